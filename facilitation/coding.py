"""Coding agreement (docs/research.md, section 2): samples of replies, blind codes, agreed codes —
the writes — and the agreement report — the read. Writes are keyword-only and atomic; the report
is a fixed number of queries whatever the size of the sample.

Blind: a coder's page shows only their own codes; the report (everyone's codes, the statistics,
the disagreements) opens to a coder once they have coded every reply of the sample, and to the
set's other facilitators at any time.
"""

import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionsets.models import Membership, Reply, Round
from actionsets.services import require_facilitator

from . import reliability
from .models import AgreedCode, BlindCode, Code, CodingSample, CodingScheme

NAME_MAX = 120
MAX_SAMPLE = 500   # one page of blind coding: enough for reliability, small enough to read


# Who codes: the set's facilitators, and its researchers (issue 17: "a facilitator and a
# co-researcher with a research role"). Drawing a sample and recording agreed codes stay the facilitators'.
CODER_ROLES = (Membership.Role.FACILITATOR, Membership.Role.RESEARCHER)


def _coder_ids(action_set) -> set[int]:
    return set(Membership.objects.current().filter(action_set=action_set, role__in=CODER_ROLES)
               .values_list("user_id", flat=True))


def _draw(action_set, mode: str, rnd: Round | None, size: int | None, seed: int | None) -> list[int]:
    replies = Reply.objects.filter(airtime__action_set=action_set)
    if rnd is not None:
        replies = replies.filter(airtime__round=rnd)
    ids = list(replies.order_by("pk").values_list("pk", flat=True))
    if mode == CodingSample.Mode.RANDOM:
        return sorted(random.Random(seed).sample(ids, min(size, len(ids))))
    return ids


@transaction.atomic
def create_sample(*, actor, action_set, name: str, scheme: CodingScheme, mode: str, coders: list,
                  round: Round | None = None, size: int | None = None, seed: int | None = None,
                  now=None) -> CodingSample:
    """Draw the sample once: every reply, every reply of one round, or a random n (of the set, or of
    one round) with a stored seed so the draw can be repeated."""
    require_facilitator(actor, action_set)
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationError({"name": _("Name the sample (at most %(max)s characters).") % {"max": NAME_MAX}})
    if mode not in CodingSample.Mode.values:
        raise ValidationError({"mode": _("Choose how to draw the sample.")})
    if mode == CodingSample.Mode.ROUND and round is None:
        raise ValidationError({"round": _("Choose the round.")})
    if round is not None and round.action_set_id != action_set.pk:
        raise ValidationError({"round": _("That round is not in this set.")})
    if mode == CodingSample.Mode.RANDOM:
        if not size or size < 1:
            raise ValidationError({"size": _("How many replies? At least one.")})
        seed = seed if seed is not None else random.SystemRandom().randrange(2**62)
    else:
        size, seed = None, None
    coder_ids = {c.pk for c in coders}
    if len(coder_ids) < 2:
        raise ValidationError({"coders": _("Agreement needs at least two coders.")})
    if not coder_ids <= _coder_ids(action_set):
        raise ValidationError({"coders": _("Coders must be this set's facilitators or researchers.")})
    reply_ids = _draw(action_set, mode, round, size, seed)
    if not reply_ids:
        raise ValidationError(_("There are no replies to sample yet."))
    if len(reply_ids) > MAX_SAMPLE:
        raise ValidationError({"mode": _("That is %(count)s replies: draw a random sample of at most %(max)s.")
                                     % {"count": len(reply_ids), "max": MAX_SAMPLE}})
    sample = CodingSample.objects.create(
        action_set=action_set, name=name, scheme=scheme, mode=mode, round=round, size=size, seed=seed,
        created_by=actor, created_at=now or timezone.now(),
    )
    sample.replies.set(reply_ids)
    sample.coders.set(coder_ids)
    return sample


def _require_coder(coder, sample: CodingSample) -> None:
    if coder.pk not in _coder_ids(sample.action_set):  # a coder who left the set, or stopped facilitating
        raise ValidationError(_("Only this set's facilitators and researchers code its samples."))
    if not sample.coders.filter(pk=coder.pk).exists():
        raise ValidationError(_("You are not one of this sample's coders."))


@transaction.atomic
def code_blind(*, coder, sample: CodingSample, codes: dict[int, Code], now=None) -> int:
    """Save a coder's codes, {reply id: code}: only replies of the sample, only the sample scheme's
    codes. A reply left out keeps its code (or stays uncoded). Returns how many were written."""
    _require_coder(coder, sample)
    in_sample = set(sample.replies.values_list("pk", flat=True))
    if not set(codes) <= in_sample:
        raise ValidationError(_("That reply is not in this sample."))
    if any(code.scheme_id != sample.scheme_id for code in codes.values()):
        raise ValidationError(_("Use the sample's coding scheme."))
    now = now or timezone.now()
    for reply_id, code in codes.items():
        BlindCode.objects.update_or_create(sample=sample, reply_id=reply_id, coder=coder,
                                           defaults={"code": code, "coded_at": now})
    return len(codes)


@transaction.atomic
def record_agreed(*, actor, sample: CodingSample, reply_id: int, code: Code, note: str = "", now=None) -> AgreedCode:
    """The code the coders settled on after discussion, kept apart from each coder's own."""
    require_facilitator(actor, sample.action_set)
    if not sample.replies.filter(pk=reply_id).exists():
        raise ValidationError(_("That reply is not in this sample."))
    if code.scheme_id != sample.scheme_id:
        raise ValidationError(_("Use the sample's coding scheme."))
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    agreed, _created = AgreedCode.objects.update_or_create(
        sample=sample, reply_id=reply_id,
        defaults={"code": code, "note": note, "decided_by": actor, "decided_at": now or timezone.now()})
    return agreed


# --- Reads ------------------------------------------------------------------------------------


def coding_page(sample: CodingSample, coder) -> tuple[list[Reply], list[Code]]:
    """The sample's replies, each with `.my_code` (this coder's only), and the scheme's codes: 3 queries."""
    replies = list(sample.replies.select_related("author", "airtime").order_by("airtime__created_at", "path"))
    mine = dict(BlindCode.objects.filter(sample=sample, coder=coder).values_list("reply_id", "code_id"))
    for reply in replies:
        reply.airtime.action_set = sample.action_set  # links: not a query per reply
        reply.my_code = mine.get(reply.pk)
    return replies, list(sample.scheme.codes.order_by("position", "label"))


@dataclass
class CodeAgreement:
    code: Code
    kappa: float | None          # Cohen's (two coders) or Fleiss' (more), this code against the rest
    used: int                    # how many codings gave this code


@dataclass
class Item:
    reply: Reply
    codes: list                  # per coder (in `coders` order): Code or None
    agreed: AgreedCode | None
    by_coder: list = field(default_factory=list)   # (coder, Code or None), for the side-by-side view

    @property
    def unanimous(self) -> bool:
        given = [c for c in self.codes if c is not None]
        return len(given) == len(self.codes) and len({c.pk for c in given}) == 1


@dataclass
class Agreement:
    sample: CodingSample
    coders: list
    codes: list[Code]
    items: list[Item]
    per_code: list[CodeAgreement] = field(default_factory=list)
    cohen: float | None = None   # two coders: over all codes
    fleiss: float | None = None  # more than two: over replies every coder coded
    alpha: float | None = None   # Krippendorff's alpha, nominal, missing codes allowed
    confusion: list = field(default_factory=list)   # rows: (code, [n per code])
    progress: dict = field(default_factory=dict)    # coder pk → replies coded

    @property
    def disagreements(self) -> list[Item]:
        return [i for i in self.items if any(c is not None for c in i.codes) and not i.unanimous]

    @property
    def complete(self) -> list[Item]:
        return [i for i in self.items if all(c is not None for c in i.codes)]


def finished(sample: CodingSample, coder_id: int, total: int | None = None) -> bool:
    total = sample.replies.count() if total is None else total
    return BlindCode.objects.filter(sample=sample, coder_id=coder_id).count() >= total


def may_see_agreement(sample: CodingSample, user_id: int, coder_ids: set[int]) -> bool:
    """Blindness: a coder sees the others' codes only once they have coded the whole sample."""
    return user_id not in coder_ids or finished(sample, user_id)


def agreement(sample: CodingSample) -> Agreement:
    """Everyone's codes side by side and the statistics: 5 queries (coders, scheme codes, replies,
    blind codes, agreed codes)."""
    coders = list(sample.coders.order_by("display_name", "email"))
    codes = list(sample.scheme.codes.order_by("position", "label"))
    by_pk = {c.pk: c for c in codes}
    replies = list(sample.replies.select_related("author", "airtime").order_by("airtime__created_at", "path"))
    given: dict[tuple[int, int], int] = {
        (reply_id, coder_id): code_id
        for reply_id, coder_id, code_id in BlindCode.objects.filter(sample=sample)
        .values_list("reply_id", "coder_id", "code_id")
    }
    agreed = {a.reply_id: a for a in AgreedCode.objects.filter(sample=sample).select_related("code", "decided_by")}
    items = []
    for reply in replies:
        reply.airtime.action_set = sample.action_set
        codes_given = [by_pk.get(given.get((reply.pk, c.pk))) for c in coders]
        items.append(Item(reply=reply, agreed=agreed.get(reply.pk), codes=codes_given,
                          by_coder=list(zip(coders, codes_given))))
    result = Agreement(sample=sample, coders=coders, codes=codes, items=items)
    result.progress = {c.pk: sum(1 for i in items if i.codes[n] is not None) for n, c in enumerate(coders)}
    _statistics(result)
    return result


def _statistics(result: Agreement) -> None:
    units = [[c.pk if c else None for c in item.codes] for item in result.items]
    complete = [u for u in units if None not in u]
    result.alpha = reliability.krippendorff_alpha(units)
    two = len(result.coders) == 2
    if two:
        result.cohen = reliability.cohen_kappa([(a, b) for a, b in complete])
    elif complete:
        result.fleiss = reliability.fleiss_kappa([[u.count(c.pk) for c in result.codes] for u in complete])
    for code in result.codes:
        used = sum(u.count(code.pk) for u in units)
        binary = [[v == code.pk for v in u] for u in complete]
        if two:
            kappa = reliability.cohen_kappa([(a, b) for a, b in binary])
        else:
            kappa = reliability.fleiss_kappa([[u.count(True), u.count(False)] for u in binary]) if binary else None
        result.per_code.append(CodeAgreement(code=code, kappa=kappa, used=used))
    pairs = reliability.pair_confusion(units)
    result.confusion = [
        (row, [pairs.get(tuple(sorted((row.pk, col.pk), key=str)), 0) for col in result.codes])
        for row in result.codes
    ]

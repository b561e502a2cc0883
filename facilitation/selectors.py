"""Reads for the facilitator's pages, each a fixed number of queries whatever the number of rows.

The dashboard's figures live in analytics.py; this module loads lists: the thread's annotations,
the moderation queue, the log, the rounds, the posts behind an advice-signal count.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from actionsets.models import ActionSet, Airtime, Membership, Reply, Round

from django.utils.translation import gettext_lazy as _

from actionsets.advice import find_signals
from .analytics import HELP_KINDS
from .models import Annotation, Code, Flag
from actionsets.models import ModerationAction


def default_codes() -> list[Code]:
    return list(Code.objects.filter(scheme__is_default=True).order_by("position", "label"))


def attach_annotations(airtime: Airtime, replies: list[Reply]) -> list[Code]:
    """Give every reply of a thread its annotations (`reply.annotations_here`) and return the
    codes for the annotation form. Two queries for the whole thread, never one per reply."""
    by_reply: dict[int, list[Annotation]] = {}
    for annotation in (
        Annotation.objects.filter(reply__airtime=airtime).select_related("code", "facilitator").order_by("created_at")
    ):
        by_reply.setdefault(annotation.reply_id, []).append(annotation)
    for reply in replies:
        reply.annotations_here = by_reply.get(reply.pk, [])
    return default_codes()


def thread_annotations(*, access, airtime: Airtime, replies: list[Reply]) -> dict:
    """The thread page's part from facilitation (actionsets.events.thread_page): facilitators see
    the annotations and the codes, two fixed queries; everyone else gets nothing and no query."""
    return {"facilitation_codes": attach_annotations(airtime, replies) if access.is_facilitator else []}


# --- Moderation -------------------------------------------------------------------------------


@dataclass
class Queue:
    open_flags: list[Flag]
    hidden: list[Reply]
    locked: list[Airtime]
    resolved: list[Flag]


RESOLVED_SHOWN = 20


def moderation_queue(action_set: ActionSet) -> Queue:
    """Open flags, hidden replies, locked airtimes and the latest resolved flags. 4 queries."""
    flags = Flag.objects.filter(reply__airtime__action_set=action_set).select_related(
        "reply__author", "reply__airtime", "flagged_by", "resolved_by"
    )
    return Queue(
        open_flags=list(flags.filter(resolved_at__isnull=True).order_by("created_at")),
        hidden=list(
            Reply.objects.filter(airtime__action_set=action_set, hidden=True)
            .select_related("author", "airtime", "hidden_by").order_by("-hidden_at")
        ),
        locked=list(Airtime.objects.filter(action_set=action_set, locked=True).select_related("presenter", "round")),
        resolved=list(flags.filter(resolved_at__isnull=False).order_by("-resolved_at")[:RESOLVED_SHOWN]),
    )


def moderation_log(action_set: ActionSet) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(action_set=action_set).select_related("actor").order_by("-created_at", "-pk")


def attach_log_targets(action_set: ActionSet, actions: list[ModerationAction]) -> None:
    """A link and a short label for each log row's target: 3 queries for the page, not per row."""
    reply_ids = {a.target_id if a.target_type == "reply" else a.detail.get("reply") for a in actions} - {None}
    airtime_ids = {a.target_id for a in actions if a.target_type == "airtime"}
    member_ids = {a.target_id for a in actions if a.target_type == "membership"}
    replies = dict(Reply.objects.filter(pk__in=reply_ids, airtime__action_set=action_set)
                   .values_list("pk", "airtime_id"))
    airtimes = {a.pk: a for a in Airtime.objects.filter(
        Q(pk__in=airtime_ids) | Q(pk__in=replies.values()), action_set=action_set).only("pk", "title")}
    members = {m.pk: m.user for m in Membership.objects.filter(pk__in=member_ids, action_set=action_set)
               .select_related("user")}
    for action in actions:
        action.link, action.label = _log_target(action, action_set, replies, airtimes, members)


def _log_target(action, action_set, replies, airtimes, members) -> tuple[str, str]:
    base = f"/sets/{action_set.slug}/airtime/"
    reply_id = action.target_id if action.target_type == "reply" else action.detail.get("reply")
    if reply_id in replies:
        airtime = airtimes.get(replies[reply_id])
        return f"{base}{replies[reply_id]}/#reply-{reply_id}", f"reply on “{airtime.title if airtime else '…'}”"
    if action.target_type == "airtime" and action.target_id in airtimes:
        return f"{base}{action.target_id}/", f"airtime “{airtimes[action.target_id].title}”"
    if action.target_type == "membership" and action.target_id in members:
        return "", members[action.target_id].name
    if action.target_type == "round":
        return f"/sets/{action_set.slug}/facilitate/rounds/", "a round"
    return "", f"{action.target_type} {action.target_id}"


# --- Rounds -----------------------------------------------------------------------------------


def rounds_overview(action_set: ActionSet) -> list[Round]:
    """The set's rounds with how much happened in each. One query."""
    return list(
        Round.objects.filter(action_set=action_set)
        .annotate(airtime_count=Count("airtimes"), reply_total=Coalesce(Sum("airtimes__reply_count"), 0))
        .order_by("number")
    )


# --- The posts behind an advice-signal count ---------------------------------------------------


def signal_posts(action_set: ActionSet, *, scope: Round | None, author_id: int | None) -> QuerySet[Reply]:
    """Help replies with an advice signal, oldest first (paginate it; then `with_signals`)."""
    qs = Reply.objects.filter(airtime__action_set=action_set, kind__in=HELP_KINDS)
    if scope is not None:
        qs = qs.filter(airtime__round=scope)
    if author_id is not None:
        qs = qs.filter(author_id=author_id)
    return qs.filter(has_advice_signal=True).select_related("author", "airtime__round").order_by("created_at", "pk")


# What facilitators read for each advice pattern (actionsets/advice.py names them for code and docs;
# a name like "you-should" is not a label).
SIGNAL_LABELS = {
    # English word list
    "you-should": _("“You should…”"),
    "i-would": _("“I would…”"),
    "if-i-were-you": _("“If I were you…”"),
    "why-dont-you": _("“Why don't you…”"),
    "have-you-tried": _("“Have you tried…?”"),
    "what-about-trying": _("“What about trying…”"),
    "in-my-experience": _("“In my experience…”"),
    "i-suggest": _("“I suggest…”"),
    "better-to": _("“It would be better to…”"),
    "imperative": _("An instruction (“Try…”, “Talk to…”)"),
    # Spanish word list: the members' own words, with what they mean
    "deberias": _("“Deberías…” (you should)"),
    "yo-haria": _("“Yo haría…”, “Yo que tú…” (I would, if I were you)"),
    "por-que-no": _("“¿Por qué no…?” (why don't you)"),
    "has-probado": _("“¿Has probado…?” (have you tried)"),
    "que-tal-si": _("“¿Qué tal si…?” (what about)"),
    "en-mi-experiencia": _("“En mi experiencia…” (in my experience)"),
    "te-recomiendo": _("“Te recomiendo…” (I recommend)"),
    "seria-mejor": _("“Sería mejor…” (it would be better)"),
    "imperativo": _("An instruction (“Prueba…”, “Habla con…”)"),
    # German word list
    "sie-sollten": _("“Sie sollten…” (you should)"),
    "ich-wuerde": _("“Ich würde…”, “An Ihrer Stelle…” (I would, in your place)"),
    "warum-nicht": _("“Warum nicht…?” (why not)"),
    "haben-sie-versucht": _("“Haben Sie schon versucht…?” (have you tried)"),
    "wie-waere-es": _("“Wie wäre es…?” (what about)"),
    "meine-erfahrung": _("“Meiner Erfahrung nach…” (in my experience)"),
    "ich-empfehle": _("“Ich empfehle…” (I recommend)"),
    "waere-besser": _("“Es wäre besser…” (it would be better)"),
    "imperativ": _("An instruction (“Versuchen Sie…”, “Sprechen Sie mit…”)"),
}


def signal_label(name: str) -> str:
    return str(SIGNAL_LABELS.get(name) or name.replace("-", " ").capitalize())


def with_signals(replies: list[Reply], language: str | None = None) -> list[Reply]:
    """Attach the matching phrases with their plain label (`reply.signals`), by the word list of
    the set's `language`. Hidden replies' text is not read here."""
    for reply in replies:
        found = [] if reply.hidden else find_signals(reply.body, language)
        reply.signals = [{"label": signal_label(s.name), "phrase": s.phrase, "sentence": s.sentence} for s in found]
    return replies


def open_flag_count(action_set: ActionSet) -> int:
    return Flag.objects.filter(reply__airtime__action_set=action_set, resolved_at__isnull=True).count()

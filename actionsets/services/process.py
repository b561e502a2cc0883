"""Writes for the set process around the airtimes: the facilitator's process choices (phase
windows, ask-before-you-see, who-hasn't-asked), check-ins, process reviews and their summary.

Same rules as actionsets/services.py: keyword-only, atomic, validated, audited; markdown is
rendered before the write transaction opens.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import phases
from ..markdown import render_stored
from ..models import ActionSet, CheckIn, ModerationAction, ProcessReview, Round
from .checks import (
    access_for,
    log_action,
    prepare,
    require_body,
    require_can_post,
    require_facilitator,
    require_guide,
)

Action = ModerationAction.Action
MAX_WINDOW_HOURS = 24 * 30
WINDOW_FIELDS = ("clarifying_hours", "probing_hours", "offers_hours", "summary_hours", "reflection_hours",
                 "review_hours")
# After a round closes its process review stays open this long: the action period, when members
# look back on how the set worked.
REVIEW_GRACE = timedelta(days=7)


# --- The facilitator's process choices --------------------------------------------------------


@transaction.atomic
def set_process_options(*, actor, action_set: ActionSet, ask_before_seeing: bool, show_who_hasnt_asked: bool,
                        language: str | None = None) -> ActionSet:
    """`language`: the language the members write in (ActionSet.language, which picks the advice
    word list for posts from now on); None or empty keeps it."""
    require_facilitator(actor, action_set)
    action_set = ActionSet.objects.select_for_update().get(pk=action_set.pk)
    language = language or action_set.language
    before = {"ask_before_seeing": action_set.ask_before_seeing, "show_who_hasnt_asked": action_set.show_who_hasnt_asked,
              "language": action_set.language}
    action_set.ask_before_seeing, action_set.show_who_hasnt_asked = ask_before_seeing, show_who_hasnt_asked
    action_set.language = language
    action_set.save(update_fields=["ask_before_seeing", "show_who_hasnt_asked", "language"])
    log_action(actor=actor, action_set=action_set, action=Action.PROCESS_OPTIONS, target=action_set,
         detail={"from": before, "to": {"ask_before_seeing": ask_before_seeing,
                                         "show_who_hasnt_asked": show_who_hasnt_asked, "language": language}})
    return action_set


@transaction.atomic
def set_phase_windows(
    *, actor, round: Round, windows: dict[str, int], ask_before_seeing: bool | None, reason: str = "",
    now: datetime | None = None,
) -> Round:
    """Change a round's phase windows (hours; 0 skips a phase) and its ask-before-you-see choice
    (None: follow the set). Airtimes already running follow the new windows from now on."""
    now = now or timezone.now()
    rnd = Round.objects.select_for_update().select_related("action_set").get(pk=round.pk)
    require_facilitator(actor, rnd.action_set)
    if rnd.state_at(now) == Round.State.CLOSED:
        raise ValidationError(_("This round has closed: its phases stay as they were."))
    errors = {}
    for name in WINDOW_FIELDS:
        value = windows.get(name, getattr(rnd, name))
        if not isinstance(value, int) or not 0 <= value <= MAX_WINDOW_HOURS:
            errors[name] = _("Give a number of hours from 0 to %(max)s.") % {"max": MAX_WINDOW_HOURS}
    if errors:
        raise ValidationError(errors)
    if windows.get("clarifying_hours", rnd.clarifying_hours) + windows.get("probing_hours", rnd.probing_hours) == 0:
        raise ValidationError({"clarifying_hours": _("Questions come first: keep a clarifying or a probing window.")})
    before = {name: getattr(rnd, name) for name in WINDOW_FIELDS} | {"ask_before_seeing": rnd.ask_before_seeing}
    for name in WINDOW_FIELDS:
        setattr(rnd, name, windows.get(name, getattr(rnd, name)))
    rnd.ask_before_seeing = ask_before_seeing
    rnd.save(update_fields=[*WINDOW_FIELDS, "ask_before_seeing"])
    after = {name: getattr(rnd, name) for name in WINDOW_FIELDS} | {"ask_before_seeing": ask_before_seeing}
    log_action(actor=actor, action_set=rnd.action_set, action=Action.PHASE_WINDOWS, target=rnd, reason=reason[:500],
         detail={"from": before, "to": after}, now=now)
    return rnd


def default_windows() -> dict[str, int]:
    return {f"{phase}_hours": hours for phase, hours in phases.DEFAULT_HOURS.items()} | {"review_hours": 48}


# --- Check-ins -----------------------------------------------------------------------------------


def _energy(energy) -> int | None:
    if energy in (None, ""):
        return None
    if not isinstance(energy, int) or not 1 <= energy <= 5:
        raise ValidationError({"energy": _("Energy is a number from 1 to 5, or leave it out.")})
    return energy


def check_in(*, author, round: Round, body: str, energy: int | None = None, now: datetime | None = None) -> CheckIn:
    """How I'm arriving in this round: one per member per round; posting again updates it."""
    prepared, energy = prepare(body), _energy(energy)
    return _check_in(author=author, round=round, prepared=prepared, energy=energy, now=now or timezone.now())


@transaction.atomic
def _check_in(*, author, round: Round, prepared, energy: int | None, now: datetime) -> CheckIn:
    rnd = Round.objects.select_related("action_set").get(pk=round.pk)
    require_can_post(access_for(author, rnd.action_set))
    if rnd.state_at(now) != Round.State.OPEN:
        if rnd.state_at(now) == Round.State.SCHEDULED:
            raise ValidationError(_("Round %(number)s is scheduled: check-ins are for an open round.")
                                  % {"number": rnd.number})
        raise ValidationError(_("Round %(number)s is closed: check-ins are for an open round.") % {"number": rnd.number})
    body, html = prepared.body, prepared.html
    existing = CheckIn.objects.select_for_update().filter(round=rnd, author=author).first()
    if existing is None:
        return CheckIn.objects.create(round=rnd, author=author, body=body, body_html=html,
                                      energy=energy, created_at=now)
    existing.body, existing.body_html, existing.energy, existing.edited_at = body, html, energy, now
    existing.save(update_fields=["body", "body_html", "energy", "edited_at"])
    return existing


# --- Process review ------------------------------------------------------------------------------


def review_window(rnd: Round) -> tuple[datetime, datetime]:
    """When a round's process review takes entries: its last `review_hours` before closing, and
    the action period after (REVIEW_GRACE), so a round closed early can still be reviewed."""
    opens = max(rnd.opens_at, rnd.closes_at - timedelta(hours=rnd.review_hours))
    return opens, rnd.closes_at + REVIEW_GRACE


def review_is_open(rnd: Round, now: datetime) -> bool:
    opens, closes = review_window(rnd)
    return opens <= now < closes


def _require_review_open(rnd: Round, now: datetime) -> None:
    opens, closes = review_window(rnd)
    if now < opens:
        raise ValidationError(_("Round %(number)s's process review opens %(when)s.") % {
            "number": rnd.number, "when": date_format(timezone.localtime(opens), "D j M, H:i")})
    if now >= closes:
        raise ValidationError(_("Round %(number)s's process review has closed.") % {"number": rnd.number})


def compose_review(what_worked: str, do_differently: str) -> str:
    """The markdown a process review is shown as (also what `rerender_posts` renders again)."""
    return f"**What worked:** {what_worked}" + (f"\n\n**Next time:** {do_differently}" if do_differently else "")


def review_process(
    *, author, round: Round, what_worked: str, do_differently: str = "", now: datetime | None = None
) -> ProcessReview:
    """A member's short review of how the set worked this round; posting again updates it."""
    what_worked = require_body(what_worked, field="what_worked")
    do_differently = (do_differently or "").strip()
    if do_differently:
        require_body(do_differently, field="do_differently")
    # Each part is within the limit, so together they may be twice it: rendered as one text
    # without the renderer's own length check (cmark is linear; the parts were checked above).
    html = render_stored(compose_review(what_worked, do_differently))
    return _review_process(author=author, round=round, what_worked=what_worked, do_differently=do_differently,
                           html=html, now=now or timezone.now())


@transaction.atomic
def _review_process(*, author, round: Round, what_worked: str, do_differently: str, html: str,
                    now: datetime) -> ProcessReview:
    rnd = Round.objects.select_related("action_set").get(pk=round.pk)
    require_can_post(access_for(author, rnd.action_set))
    _require_review_open(rnd, now)
    review, created = ProcessReview.objects.select_for_update().get_or_create(
        round=rnd, author=author,
        defaults={"what_worked": what_worked, "do_differently": do_differently, "body_html": html, "created_at": now},
    )
    if not created:
        review.what_worked, review.do_differently, review.body_html, review.edited_at = what_worked, do_differently, html, now
        review.save(update_fields=["what_worked", "do_differently", "body_html", "edited_at"])
    return review


def summarise_review(*, actor, round: Round, summary: str, now: datetime | None = None) -> Round:
    """The facilitator's (or the process steward's) summary of the round's process review."""
    prepared = prepare(summary, field="summary")
    return _summarise_review(actor=actor, round=round, prepared=prepared, now=now or timezone.now())


@transaction.atomic
def _summarise_review(*, actor, round: Round, prepared, now: datetime) -> Round:
    rnd = Round.objects.select_for_update().select_related("action_set").get(pk=round.pk)
    require_can_post(require_guide(actor, rnd.action_set))
    _require_review_open(rnd, now)
    rnd.review_summary, rnd.review_summary_html = prepared.body, prepared.html
    rnd.review_summary_by, rnd.review_summarised_at = actor, now
    rnd.save(update_fields=["review_summary", "review_summary_html", "review_summary_by", "review_summarised_at"])
    log_action(actor=actor, action_set=rnd.action_set, action=Action.REVIEW_SUMMARY, target=rnd, now=now)
    return rnd

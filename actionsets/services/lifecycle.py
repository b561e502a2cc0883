"""Writes for the set's life-cycle (docs/set-process.md): forming → active → ending → closed,
ground rules the set writes and agrees (versioned), introductions, the ending evaluation, and the
hand-over to a self-managed set with a rotating process steward.

Same rules as actionsets/services.py: keyword-only, atomic, validated, audited; markdown is
rendered before the write transaction opens.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    ActionSet,
    GroundRulesVersion,
    Introduction,
    Membership,
    ModerationAction,
    SetEvaluation,
    StewardRota,
)
from ..permissions import is_read_only
from .checks import access_for, log_action, prepare, require_body, require_facilitator
from .posts import accept_ground_rules

Action = ModerationAction.Action
State = ActionSet.State

# Where a set can go from each stage. From "ending" the set decides: continue (active),
# re-contract (forming, with its ground rules open again) or close.
TRANSITIONS = {
    State.FORMING: (State.ACTIVE,),
    State.ACTIVE: (State.ENDING,),
    State.ENDING: (State.ACTIVE, State.FORMING, State.CLOSED),
    State.CLOSED: (),
}
TRANSITION_LABELS = {
    (State.FORMING, State.ACTIVE): gettext_lazy("Start the working rounds"),
    (State.ACTIVE, State.ENDING): gettext_lazy("Begin the ending: final review and evaluation"),
    (State.ENDING, State.ACTIVE): gettext_lazy("Continue as we are"),
    (State.ENDING, State.FORMING): gettext_lazy("Re-contract: reopen the ground rules"),
    (State.ENDING, State.CLOSED): gettext_lazy("Close the set (read-only)"),
}


# Why a change of stage was refused: where the set can go from here, one sentence per stage.
_MOVES = {
    State.FORMING: gettext_lazy("A forming set can move to active."),
    State.ACTIVE: gettext_lazy("An active set can move to ending."),
    State.ENDING: gettext_lazy("An ending set can move to active, forming, closed."),
    State.CLOSED: gettext_lazy("A closed set can move to nowhere: it is closed."),
}


def _lock_set(action_set: ActionSet) -> ActionSet:
    return ActionSet.objects.select_for_update().get(pk=action_set.pk)


@transaction.atomic
def change_set_state(*, actor, action_set: ActionSet, to: str, reason: str = "", now: datetime | None = None) -> ActionSet:
    now = now or timezone.now()
    require_facilitator(actor, action_set)
    action_set = _lock_set(action_set)
    if action_set.archived:
        raise ValidationError(_("This set is archived: its stage no longer changes."))
    if to not in TRANSITIONS[action_set.state]:
        raise ValidationError({"to": _MOVES[action_set.state]})
    if to == State.ACTIVE and action_set.rules_version_id is None:
        raise ValidationError({"to": _("Agree the set's ground rules first: adopt a version before the rounds start.")})
    before = action_set.state
    action_set.state, action_set.state_changed_at = to, now
    fields = ["state", "state_changed_at"]
    if to == State.FORMING:  # re-contracting: the set rewrites its ground rules
        action_set.rules_renegotiation_open = True
        fields.append("rules_renegotiation_open")
    action_set.save(update_fields=fields)
    log_action(actor=actor, action_set=action_set, action=Action.SET_STATE, target=action_set, reason=reason[:500],
         detail={"from": before, "to": to}, now=now)
    return action_set


# --- Ground rules, versioned ---------------------------------------------------------------------


def rules_open(action_set: ActionSet) -> bool:
    """The set may propose ground rules: while forming, or when a renegotiation is open."""
    return not is_read_only(action_set) and (action_set.state == State.FORMING or action_set.rules_renegotiation_open)


def propose_ground_rules(*, author, action_set: ActionSet, text: str, note: str = "",
                         now: datetime | None = None) -> GroundRulesVersion:
    """Any member proposes the whole text as a new version while the rules are open."""
    prepared = prepare(text, field="text")
    if len((note or "").strip()) > 300:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    return _propose_ground_rules(author=author, action_set=action_set, text=prepared.body, html=prepared.html,
                                 note=note, now=now)


@transaction.atomic
def _propose_ground_rules(*, author, action_set: ActionSet, text: str, html: str, note: str,
                          now: datetime | None) -> GroundRulesVersion:
    access_for(author, action_set)
    action_set = _lock_set(action_set)
    if not rules_open(action_set):
        raise ValidationError(_("The ground rules are agreed. Ask your facilitator to open a renegotiation."))
    number = (GroundRulesVersion.objects.filter(action_set=action_set).aggregate(n=Max("number"))["n"] or 0) + 1
    return GroundRulesVersion.objects.create(
        action_set=action_set, number=number, text=text, text_html=html, note=(note or "").strip(),
        proposed_by=author, created_at=now or timezone.now(),
    )


@transaction.atomic
def adopt_ground_rules(*, actor, version: GroundRulesVersion, now: datetime | None = None) -> ActionSet:
    """The facilitator adopts a version the set has agreed: it becomes the current rules, every
    member accepts it before posting again, and the renegotiation closes."""
    now = now or timezone.now()
    action_set = _lock_set(version.action_set)
    membership = require_facilitator(actor, action_set)
    if is_read_only(action_set):
        raise ValidationError(_("This set is closed: its ground rules stay as they were."))
    if action_set.rules_version_id == version.pk:
        raise ValidationError(_("That version is already the set's ground rules."))
    GroundRulesVersion.objects.filter(pk=version.pk).update(adopted_at=now)
    action_set.rules_version, action_set.rules_renegotiation_open = version, False
    action_set.ground_rules, action_set.ground_rules_html = version.text, version.text_html
    action_set.save(update_fields=["rules_version", "rules_renegotiation_open", "ground_rules", "ground_rules_html"])
    membership.action_set = action_set
    accept_ground_rules(membership=membership, now=now)  # adopting it is accepting it
    log_action(actor=actor, action_set=action_set, action=Action.RULES_VERSION, target=version, now=now,
         detail={"number": version.number})
    return action_set


@transaction.atomic
def open_renegotiation(*, actor, action_set: ActionSet, open: bool, reason: str = "") -> ActionSet:
    require_facilitator(actor, action_set)
    action_set = _lock_set(action_set)
    if is_read_only(action_set):
        raise ValidationError(_("This set is closed: its ground rules stay as they were."))
    action_set.rules_renegotiation_open = open
    action_set.save(update_fields=["rules_renegotiation_open"])
    log_action(actor=actor, action_set=action_set, action=Action.RULES_OPEN, target=action_set, reason=reason[:500],
         detail={"open": open})
    return action_set


# --- Introductions and the ending evaluation --------------------------------------------------


def _upsert(model, *, key: dict, values: dict, now: datetime):
    existing = model.objects.select_for_update().filter(**key).first()
    if existing is None:
        return model.objects.create(**key, **values, created_at=now)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.edited_at = now
    existing.save(update_fields=[*values, "edited_at"])
    return existing


def introduce(*, author, action_set: ActionSet, body: str, now: datetime | None = None) -> Introduction:
    """Who I am and what I bring. Before the ground rules are agreed, so no acceptance needed."""
    prepared = prepare(body)
    with transaction.atomic():
        access_for(author, action_set)
        if is_read_only(action_set):
            raise ValidationError(_("This set is closed and read-only."))
        return _upsert(Introduction, key={"action_set": action_set, "author": author},
                       values={"body": prepared.body, "body_html": prepared.html}, now=now or timezone.now())


@transaction.atomic
def evaluate_set(*, author, action_set: ActionSet, usefulness: int, learned: str, preference: str,
                 process: str = "", now: datetime | None = None) -> SetEvaluation:
    access_for(author, action_set)
    if action_set.state != State.ENDING:
        raise ValidationError(_("The evaluation opens when the set is ending."))
    if usefulness not in range(1, 6):
        raise ValidationError({"usefulness": _("Choose from 1 to 5.")})
    if preference not in SetEvaluation.Choice.values:
        raise ValidationError({"preference": _("Choose what you would like the set to do next.")})
    learned = require_body(learned, field="learned")
    process = (process or "").strip()
    return _upsert(SetEvaluation, key={"action_set": action_set, "author": author},
                   values={"usefulness": usefulness, "learned": learned, "process": process, "preference": preference},
                   now=now or timezone.now())


# --- Self-managed sets ------------------------------------------------------------------------


@transaction.atomic
def hand_over(*, actor, action_set: ActionSet, rota: list[int], from_round: int, now: datetime | None = None) -> ActionSet:
    """Make the set self-managed: the learners in `rota` (user ids, in order) take turns, one round
    each from `from_round`, as process steward — the facilitator's process prompts, process notes
    and the process-review summary, never moderation."""
    require_facilitator(actor, action_set)
    action_set = _lock_set(action_set)
    learners = set(Membership.objects.current().filter(action_set=action_set, role=Membership.Role.LEARNER)
                   .values_list("user_id", flat=True))
    if not rota:
        raise ValidationError({"rota": _("Choose at least one learner for the steward rota.")})
    if len(set(rota)) != len(rota) or not set(rota) <= learners:
        raise ValidationError({"rota": _("The rota is made of this set's current learners, each once.")})
    if from_round < 1:
        raise ValidationError({"from_round": _("Give the round number the first steward starts in.")})
    StewardRota.objects.filter(action_set=action_set).delete()
    StewardRota.objects.bulk_create(
        [StewardRota(action_set=action_set, user_id=user_id, position=i) for i, user_id in enumerate(rota)]
    )
    action_set.self_managed, action_set.self_managed_from_round = True, from_round
    action_set.save(update_fields=["self_managed", "self_managed_from_round"])
    log_action(actor=actor, action_set=action_set, action=Action.SELF_MANAGED, target=action_set, now=now,
         detail={"rota": rota, "from_round": from_round})
    return action_set


@transaction.atomic
def take_back(*, actor, action_set: ActionSet) -> ActionSet:
    """Return the set to facilitated mode; the rota is kept for the record."""
    require_facilitator(actor, action_set)
    action_set = _lock_set(action_set)
    action_set.self_managed = False
    action_set.save(update_fields=["self_managed"])
    log_action(actor=actor, action_set=action_set, action=Action.SELF_MANAGED, target=action_set, detail={"rota": None})
    return action_set

"""Staff writes on cohorts and sets. Each one leaves a ModerationAction: who, what, when."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy as _

from actionsets.models import ActionSet, Cohort, Membership
from actionsets.services import log_action, log_actions, memberships_created
from actionsets.models import ModerationAction

from ..invitations import queue_invitation_email
from ..models import Invitation

Action = ModerationAction.Action


def _free_slug(model, wanted: str, *, exclude_pk=None) -> str:
    base = slugify(wanted)[:70] or "item"
    taken = set(model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    return next(s for s in [base] + [f"{base}-{n}" for n in range(2, 10_000)] if s not in taken)


def _require_name(name: str, *, limit: int = 120) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": gettext("Give it a name.")})
    if len(name) > limit:
        raise ValidationError({"name": gettext("Keep the name under %(limit)s characters.") % {"limit": limit}})
    return name


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": gettext("The cohort must end after it starts.")})


@transaction.atomic
def create_cohort(*, actor, name: str, slug: str = "", starts_on: date | None = None,
                  ends_on: date | None = None) -> Cohort:
    name = _require_name(name)
    _check_dates(starts_on, ends_on)
    if slug and Cohort.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": gettext("Another cohort already uses this web address.")})
    cohort = Cohort.objects.create(name=name, slug=slug or _free_slug(Cohort, name), starts_on=starts_on,
                                   ends_on=ends_on)
    log_action(actor=actor, action_set=None, action=Action.CREATE_COHORT, target=cohort)
    return cohort


@transaction.atomic
def update_cohort(*, actor, cohort: Cohort, name: str, starts_on: date | None, ends_on: date | None) -> Cohort:
    name = _require_name(name)
    _check_dates(starts_on, ends_on)
    before = {"name": cohort.name, "starts_on": str(cohort.starts_on), "ends_on": str(cohort.ends_on)}
    cohort.name, cohort.starts_on, cohort.ends_on = name, starts_on, ends_on
    cohort.save(update_fields=["name", "starts_on", "ends_on"])
    log_action(actor=actor, action_set=None, action=Action.EDIT_COHORT, target=cohort, detail={"before": before})
    return cohort


@transaction.atomic
def set_cohort_archived(*, actor, cohort: Cohort, archived: bool) -> Cohort:
    """Archiving makes every set of the cohort read-only (permissions.can_post refuses posting);
    restoring reopens them. Members keep reading what was written."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.archived == archived:
        return cohort
    cohort.archived = archived
    cohort.save(update_fields=["archived"])
    changed = ActionSet.objects.filter(cohort=cohort).update(archived=archived)
    log_action(actor=actor, action_set=None, action=Action.ARCHIVE_COHORT if archived else Action.RESTORE_COHORT,
         target=cohort, detail={"sets": changed})
    return cohort


@transaction.atomic
def create_set(*, actor, cohort: Cohort, name: str) -> ActionSet:
    name = _require_name(name)
    if cohort.archived:
        raise ValidationError(gettext("This cohort is archived: restore it before adding sets."))
    if ActionSet.objects.filter(cohort=cohort, name__iexact=name).exists():
        raise ValidationError({"name": gettext("%(cohort)s already has a set called “%(name)s”.") % {"cohort": cohort.name, "name": name}})
    action_set = ActionSet.objects.create(cohort=cohort, name=name, slug=_free_slug(ActionSet, f"{cohort.slug}-{name}"))
    log_action(actor=actor, action_set=action_set, action=Action.CREATE_SET, target=action_set)
    return action_set


@transaction.atomic
def rename_set(*, actor, action_set: ActionSet, name: str) -> ActionSet:
    """Renames keep the set's web address (slug): links in old emails keep working."""
    name = _require_name(name)
    if ActionSet.objects.filter(cohort_id=action_set.cohort_id, name__iexact=name).exclude(pk=action_set.pk).exists():
        raise ValidationError({"name": gettext("This cohort already has a set called “%(name)s”.") % {"name": name}})
    before = action_set.name
    action_set.name = name
    action_set.save(update_fields=["name"])
    log_action(actor=actor, action_set=action_set, action=Action.RENAME_SET, target=action_set, detail={"before": before})
    return action_set


SELF_ASSIGNMENT = _("You can't make yourself a facilitator: facilitators read everything in a set, and staff "
                    "don't read set content. Ask another administrator to assign you; the set will be told.")


@transaction.atomic
def assign_facilitator(*, actor, action_set: ActionSet, user, now=None) -> Membership:
    """Make `user` a facilitator of the set: promote a current learner, or add them (invited).

    Never oneself: a facilitator reads everything in the set, and staff do not read set content
    (DESIGN.md section 5). Another administrator can assign them, in the open: the set page and
    the members' next digest announce every new facilitator (`Membership.facilitating_since`).
    """
    now = now or timezone.now()
    if user.pk == actor.pk:
        raise ValidationError({"email": SELF_ASSIGNMENT})
    if not user.is_active:
        raise ValidationError({"email": gettext("This account is closed.")})
    membership = Membership.objects.current().filter(user=user, action_set=action_set).first()
    if membership is not None and membership.is_facilitator:
        raise ValidationError({"email": gettext("%(name)s already facilitates this set.") % {"name": user.name}})
    if membership is not None and membership.is_researcher:  # the set's facilitator revokes that first
        raise ValidationError({"email": gettext(
            "%(name)s researches this set: a researcher cannot also facilitate it.") % {"name": user.name}})
    if membership is not None:
        change_roles(actor=actor, memberships=[membership], role=Membership.Role.FACILITATOR, now=now)
        return membership
    else:
        membership = Membership.objects.create(user=user, action_set=action_set, role=Membership.Role.FACILITATOR,
                                               joined_at=now)
        memberships_created(memberships=[membership])
        invitation = Invitation.objects.create(membership=membership, created_by=actor)
        queue_invitation_email(invitation_ids=[invitation.pk])
    log_action(actor=actor, action_set=action_set, action=Action.ASSIGN_FACILITATOR, target=membership)
    return membership


@transaction.atomic
def change_roles(*, actor, memberships: list[Membership], role: str, now=None) -> list[Membership]:
    """Make current members facilitators or learners, many at once (the roster sync; promoting one
    learner is assign_facilitator). A promotion dates `facilitator_since` (the set page and the
    digests announce it) and is logged as an assigned facilitator; a demotion clears it and is
    logged as a changed role. Never oneself into facilitator (SELF_ASSIGNMENT). Memberships already
    in that role are left alone. Constant queries: one update and one log insert."""
    now = now or timezone.now()
    promoting = role == Membership.Role.FACILITATOR
    if promoting and any(m.user_id == actor.pk for m in memberships):
        raise ValidationError({"email": SELF_ASSIGNMENT})
    # Never a researcher: the set's facilitator grants and revokes that role (issue 17).
    changing = [m for m in memberships if m.role != role and m.left_at is None and not m.is_researcher]
    if not changing:
        return []
    since = now if promoting else None
    Membership.objects.filter(pk__in=[m.pk for m in changing]).update(role=role, facilitator_since=since)
    logs = []
    for membership in changing:
        before, membership.role, membership.facilitator_since = membership.role, role, since
        logs.append(ModerationAction(
            actor=actor, action_set_id=membership.action_set_id,
            action=Action.ASSIGN_FACILITATOR if promoting else Action.CHANGE_ROLE, target_type="membership",
            target_id=membership.pk, detail={"before": before, "role": role}, created_at=now))
    log_actions(logs=logs)
    return changing

"""Moving and removing members, and the invitation life-cycle (resend, renew, accept)."""

from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.services import mark_email_verified
from actionsets import services as set_services
from actionsets.models import ActionSet, Membership
from actionsets.services import log_action
from actionsets.models import ModerationAction

from ..invitations import queue_invitation_email
from ..models import Invitation

RENEW_COOLDOWN_SECONDS = 600


@transaction.atomic
def move_member(*, actor, membership: Membership, to_set: ActionSet, now: datetime | None = None) -> Membership:
    """End the membership and start one in another set of the same cohort. Their posts stay in
    the old set, attributed; they accept the new set's ground rules afresh."""
    now = now or timezone.now()
    membership = Membership.objects.select_for_update().select_related("action_set", "user").get(pk=membership.pk)
    if membership.left_at is not None:
        raise ValidationError(gettext("This person has already left the set."))
    if to_set.cohort_id != membership.action_set.cohort_id or to_set.pk == membership.action_set_id:
        raise ValidationError({"to_set": gettext("Choose another set of the same cohort.")})
    if to_set.archived:
        raise ValidationError({"to_set": gettext("That set is archived.")})
    if Membership.objects.current().filter(user_id=membership.user_id, action_set=to_set).exists():
        raise ValidationError({"to_set": gettext("%(name)s is already a member of %(set)s.") % {"name": membership.user.name, "set": to_set.name}})
    membership.left_at = now
    membership.save(update_fields=["left_at"])
    moved = Membership.objects.create(
        user=membership.user, action_set=to_set, role=membership.role, joined_at=now,
        notification_level=membership.notification_level,
    )
    set_services.memberships_created(memberships=[moved])
    old = Invitation.objects.filter(membership=membership).first()
    invitation = Invitation.objects.create(
        membership=moved, created_by=actor, created_at=now, accepted_at=old.accepted_at if old else None,
    )
    if invitation.accepted_at is None:
        queue_invitation_email(invitation_ids=[invitation.pk])
    log_action(actor=actor, action_set=membership.action_set, action=ModerationAction.Action.MOVE_MEMBER,
         target=membership, detail={"to_set": to_set.pk, "new_membership": moved.pk})
    return moved


def remove_member(*, actor, membership: Membership, reason: str = "") -> Membership:
    """Soft removal (actionsets.services.remove_member): access ends at once, posts stay."""
    return set_services.remove_member(membership=membership, actor=actor, reason=reason)


@transaction.atomic
def resend_invitation(*, actor, membership: Membership, now: datetime | None = None) -> Invitation:
    if membership.left_at is not None or not membership.user.is_active:
        raise ValidationError(gettext("This person is no longer a member of the set."))
    invitation, _ = Invitation.objects.get_or_create(
        membership=membership, defaults={"created_by": actor, "created_at": now or timezone.now()}
    )
    if invitation.accepted_at is not None:
        raise ValidationError(gettext("%(name)s has already accepted their invitation.") % {"name": membership.user.name})
    queue_invitation_email(invitation_ids=[invitation.pk])
    log_action(actor=actor, action_set=membership.action_set, action=ModerationAction.Action.RESEND_INVITATION,
         target=invitation)
    return invitation


def renew_invitation(*, key: str) -> None:
    """Someone opened an expired link and asked for a new one: send it to the same address, at
    most once per cooldown. Says nothing back, whatever happened, so the link reveals nothing."""
    invitation = Invitation.objects.filter(
        key=key, accepted_at__isnull=True, membership__left_at__isnull=True, membership__user__is_active=True
    ).first()
    if invitation is None or not cache.add(f"invitation-renew:{invitation.pk}", 1, RENEW_COOLDOWN_SECONDS):
        return
    with transaction.atomic():
        queue_invitation_email(invitation_ids=[invitation.pk])


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str | None = None, now: datetime | None = None) -> Membership:
    """Accepting sets the password (when the account has none), verifies the email address and
    marks every open invitation of this person accepted: they have proved they read that inbox."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("membership__user", "membership__action_set").get(
        pk=invitation.pk
    )
    if invitation.accepted_at is not None:
        raise ValidationError(gettext("This invitation has already been used."))
    membership = invitation.membership
    if membership.left_at is not None or not membership.user.is_active:
        raise ValidationError(gettext("This invitation is no longer valid."))
    user = membership.user
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    mark_email_verified(user=user)
    Invitation.objects.filter(membership__user=user, accepted_at__isnull=True).update(accepted_at=now)
    return membership

"""The researcher role (issue 17, docs/research.md): granted and revoked per set by the set's
facilitator, in the open.

A researcher is a member of the set (`Membership.Role.RESEARCHER`) who reads it as its facilitators
do and writes nothing in it but their own blind codes (actionsets.permissions: `can_act`,
`can_read_facilitation`). The set page and the members' next digest announce them from the grant's
date, like a facilitator; their only email about the set is the notice of the grant.

Who grants: a current facilitator of the set, never to themselves — nor to someone who is already
a member (a participant does not study their own set from the inside), nor a closed account. Staff
have no path to this role: the /manage/ forms, enrolment files, LTI rosters and the admin offer
learner and facilitator only (`Membership.ENROLLED_ROLES`).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from actionsets.models import ActionSet, Membership, ModerationAction
from actionsets.services import log_action, memberships_created, require_facilitator
from engagement.emails import absolute, build_email
from engagement.outbox import queue_emails

Action = ModerationAction.Action


def researchers_of(action_set: ActionSet) -> list[Membership]:
    """The set's current researchers, earliest grant first (one query)."""
    return list(Membership.objects.current().filter(action_set=action_set, role=Membership.Role.RESEARCHER)
                .select_related("user").order_by("joined_at", "pk"))


@transaction.atomic
def grant_researcher(*, actor, action_set: ActionSet, email: str, now: datetime | None = None) -> Membership:
    """Make the account with this address a researcher of the set: a new membership, dated now,
    muted (no email about the set), logged, and one notice by email."""
    require_facilitator(actor, action_set)
    now = now or timezone.now()
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ValidationError({"email": _("No ActionSets account has this address. Ask the programme's "
                                          "administrator to create one first.")})
    if user.pk == actor.pk:
        raise ValidationError({"email": _("Nobody grants the researcher role to themselves.")})
    if not user.is_active:
        raise ValidationError({"email": _("This account is closed.")})
    current = Membership.objects.current().filter(user=user, action_set=action_set).first()
    if current is not None and current.is_researcher:
        raise ValidationError({"email": _("%(name)s already researches this set.") % {"name": user.name}})
    if current is not None:
        raise ValidationError({"email": _("%(name)s is a member of this set: a member cannot also research it.")
                               % {"name": user.name}})
    membership = Membership.objects.create(
        user=user, action_set=action_set, role=Membership.Role.RESEARCHER, joined_at=now,
        notification_level=Membership.NotificationLevel.MUTED,
    )
    memberships_created(memberships=[membership])
    log_action(actor=actor, action_set=action_set, action=Action.GRANT_RESEARCHER, target=membership,
               detail={"user": user.pk}, now=now)
    queue_emails([build_email(
        user=user, template="researcher_granted", category="researcher", key=f"researcher.granted.{membership.pk}",
        unsubscribe_scope=None,  # a one-off notice of a grant, not a subscription
        context={"set_name": action_set.name, "granted_by": actor.name,
                 "url": absolute(reverse("actionsets:set_home", args=[action_set.slug]))},
    )])
    return membership


@transaction.atomic
def revoke_researcher(*, actor, membership: Membership, now: datetime | None = None) -> Membership:
    """End a researcher's membership: they read nothing of the set from now on (404, as any former
    member). Their blind codes stay in the samples they coded, under their name."""
    require_facilitator(actor, membership.action_set)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_researcher or membership.left_at is not None:
        raise ValidationError(_("That person is not a researcher of this set."))
    membership.left_at = now or timezone.now()
    membership.save(update_fields=["left_at"])
    log_action(actor=actor, action_set=membership.action_set, action=Action.REVOKE_RESEARCHER, target=membership,
               detail={"user": membership.user_id}, now=membership.left_at)
    return membership

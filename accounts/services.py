from django.db import transaction

from .models import User

PREFERENCE_FIELDS = ("display_name", "timezone", "digest_frequency", "digest_hour", "nudges_enabled")


@transaction.atomic
def update_preferences(*, user: User, **changes) -> User:
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"Not a preference: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=list(changes))
    return user


# --- Account life-cycle -------------------------------------------------------------------

FORMER_MEMBER_NAME = "Former member"


@transaction.atomic
def mark_email_verified(*, user: User) -> None:
    """The user proved they read `user.email` (an invitation link, or their institution's SSO)."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=user.email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


def tombstone_email(user: User) -> str:
    return f"deleted-{user.pk}@invalid"


@transaction.atomic
def delete_account(*, user: User) -> User:
    """Delete an account by anonymising it (docs/accounts.md).

    What they wrote in their sets stays in the threads, attributed to "Former member", so the
    others' questions and answers still make sense. Everything else about them goes: addresses,
    sessions, SSO links, read state, nudges, digests, queued email, flags they raised, their
    invitations, and their name and address in stored enrolment files. The row itself stays
    (posts point at it), with no usable password and no way to sign in.
    """
    from django.utils import timezone

    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount
    from allauth.usersessions.models import UserSession

    from actionsets.models import Membership, ReadMarker
    from enrolment.models import Invitation
    from enrolment.services import scrub_enrolment_files
    from engagement.models import DigestDelivery, Nudge, OutboundEmail
    from facilitation.models import Flag

    user = User.objects.select_for_update().get(pk=user.pk)
    old_email = user.email
    Membership.objects.filter(user=user, left_at__isnull=True).update(left_at=timezone.now())
    Invitation.objects.filter(membership__user=user).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()
    for model, lookup in [(EmailAddress, "user"), (SocialAccount, "user"), (ReadMarker, "user"), (Nudge, "user"),
                          (Nudge, "about_user"), (DigestDelivery, "user"), (Flag, "flagged_by"), (OutboundEmail, "user")]:
        model.objects.filter(**{lookup: user}).delete()
    OutboundEmail.objects.filter(to__iexact=old_email).delete()
    user.email = tombstone_email(user)
    user.display_name = FORMER_MEMBER_NAME
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.timezone, user.digest_frequency, user.nudges_enabled, user.last_login = "UTC", User.DigestFrequency.OFF, False, None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    scrub_enrolment_files(email=old_email, replacement=user.email)
    return user

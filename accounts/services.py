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

import secrets

from django.db import transaction
from django.utils import timezone

from .models import ProfilePicture, User
from .pictures import CONTENT_TYPE, make_picture

PREFERENCE_FIELDS = (
    "display_name", "timezone", "digest_frequency", "digest_hour", "nudges_enabled", "read_receipts",
    "language",
)


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


def set_profile_picture(*, user: User, upload) -> User:
    """Store the member's picture, re-encoded (accounts/pictures.py); a new URL each time.
    Decoding and encoding happen before the transaction: they are the slow part."""
    image = make_picture(upload)
    with transaction.atomic():
        ProfilePicture.objects.update_or_create(
            user=user, defaults={"image": image, "content_type": CONTENT_TYPE, "updated_at": timezone.now()}
        )
        user.picture_version = secrets.token_hex(6)
        User.objects.filter(pk=user.pk).update(picture_version=user.picture_version)
    return user


@transaction.atomic
def remove_profile_picture(*, user: User) -> User:
    """Back to initials on a colour."""
    ProfilePicture.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(picture_version="")
    user.picture_version = ""
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

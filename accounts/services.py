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

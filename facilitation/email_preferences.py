"""Writes to what email a person gets: one-click unsubscribes and per-set email levels."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.services import update_preferences
from actionsets.models import Membership

from .unsubscribe import DIGEST, NUDGES, Target

LEVELS = Membership.NotificationLevel


@transaction.atomic
def apply_unsubscribe(*, target: Target) -> None:
    """Turn off what the token names. Idempotent: a second click changes nothing."""
    if target.already_off:
        return
    if target.scope == DIGEST:
        update_preferences(user=target.user, digest_frequency=User.DigestFrequency.OFF)
    elif target.scope == NUDGES:
        update_preferences(user=target.user, nudges_enabled=False)
    else:
        Membership.objects.current().filter(user=target.user, action_set=target.action_set).update(
            notification_level=LEVELS.MUTED
        )


@transaction.atomic
def set_notification_levels(*, user: User, levels: dict[int, str]) -> int:
    """Set the email level of each of the user's current memberships named in `levels` (by id).

    Ids that are not the user's current memberships are ignored: nobody can change someone else's.
    """
    unknown = {level for level in levels.values() if level not in LEVELS.values}
    if unknown:
        raise ValidationError(f"Choose one of: {', '.join(label for _, label in LEVELS.choices)}.")
    changed = 0
    for membership in Membership.objects.current().filter(user=user, pk__in=list(levels)).select_for_update():
        if membership.notification_level != levels[membership.pk]:
            membership.notification_level = levels[membership.pk]
            membership.save(update_fields=["notification_level"])
            changed += 1
    return changed

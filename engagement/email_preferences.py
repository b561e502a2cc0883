"""Writes to what email a person gets: one-click unsubscribes."""

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


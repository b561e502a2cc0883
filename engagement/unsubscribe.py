"""Signed one-click unsubscribe tokens (RFC 8058), in the manner of contrib/auth/tokens.py.

A token names a user and a scope and is signed with SECRET_KEY under its own salt, so it cannot be
forged or reused for anything else; `max_age` bounds how long a forwarded email keeps working.
It is only ever able to turn email *off*, so it needs no sign-in and no CSRF token.
"""

import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext

SALT = "engagement.unsubscribe.v1"
DIGEST = "digest"
NUDGES = "nudges"
SET_PREFIX = "set:"


class InvalidToken(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    scope: str

    @property
    def set_id(self) -> int | None:
        if self.scope.startswith(SET_PREFIX):
            return int(self.scope.removeprefix(SET_PREFIX))
        return None


def set_scope(action_set_id: int) -> str:
    return f"{SET_PREFIX}{action_set_id}"


def max_age_seconds() -> int:
    return getattr(settings, "EMAIL_UNSUBSCRIBE_MAX_AGE", 60 * 60 * 24 * 90)


def make_token(*, user_id: int, scope: str) -> str:
    return signing.dumps({"u": user_id, "s": scope}, salt=SALT, compress=True)


# Ids are positive and fit a 64-bit integer column: a bigger one is refused here rather than
# by the database driver (OverflowError on SQLite, DataError on PostgreSQL: a 500 either way).
_MAX_ID = 2**63 - 1


def _valid_id(value) -> int:
    # bool is an int subclass, and int() would turn 1.5, "7" or True into an id: exact ints only.
    if type(value) is not int or not 0 < value <= _MAX_ID:
        raise ValueError("not an id")
    return value


def _parse(data) -> UnsubscribeRequest:
    """Check a signed payload's shape. The signature proves *we* produced the bytes, not that
    they have the shape this version expects (an older format, or a signer bug), so anything
    but {"u": <id>, "s": "digest" | "nudges" | "set:<id>"} is refused, never guessed at."""
    if not isinstance(data, dict) or set(data) != {"u", "s"} or not isinstance(data["s"], str):
        raise ValueError("wrong shape")
    scope = data["s"]
    if scope not in (DIGEST, NUDGES):
        digits = scope.removeprefix(SET_PREFIX)
        if digits == scope or not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
            raise ValueError("unknown scope")
        _valid_id(int(digits))
    return UnsubscribeRequest(user_id=_valid_id(data["u"]), scope=scope)


def read_token(token: str, *, max_age: int | None = None) -> UnsubscribeRequest:
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age if max_age is not None else max_age_seconds())
    except signing.SignatureExpired:
        raise InvalidToken("expired") from None
    except signing.BadSignature:
        raise InvalidToken("invalid") from None
    except (ValueError, zlib.error):
        # Correctly signed, but not base64 / zlib / JSON: still only a bad link (binascii.Error
        # and json.JSONDecodeError are ValueErrors).
        raise InvalidToken("invalid") from None
    try:
        return _parse(data)
    except ValueError:
        raise InvalidToken("invalid") from None


# --- Resolving and applying a token -----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a valid token would turn off, for whom, described for the confirm page."""

    user: object
    scope: str
    action_set: object | None
    description: str
    already_off: bool


def resolve(token: str) -> Target:
    from accounts.models import User
    from actionsets.models import ActionSet, Membership

    request = read_token(token)
    user = User.objects.filter(pk=request.user_id, is_active=True).first()
    if user is None:
        raise InvalidToken("invalid")
    if request.scope == DIGEST:
        off = user.digest_frequency == User.DigestFrequency.OFF
        label = (gettext("digest emails") if off else gettext("your weekly digest emails")
                 if user.digest_frequency == User.DigestFrequency.WEEKLY else gettext("your daily digest emails"))
        return Target(user, request.scope, None, label, off)
    if request.scope == NUDGES:
        return Target(user, request.scope, None, gettext("reminders (nudges) about your sets"),
                      not user.nudges_enabled)
    membership = Membership.objects.current().select_related("action_set").filter(
        user=user, action_set_id=request.set_id
    ).first()
    if membership is None:
        if not ActionSet.objects.filter(pk=request.set_id).exists():
            raise InvalidToken("invalid")  # no such set: not a link we sent
        # Left the set since: they already get nothing about it.
        return Target(user, request.scope, None, gettext("email about a set you are no longer in"), True)
    muted = membership.notification_level == Membership.NotificationLevel.MUTED
    return Target(user, request.scope, membership.action_set,
                  gettext("all email about %(set)s") % {"set": membership.action_set.name}, muted)

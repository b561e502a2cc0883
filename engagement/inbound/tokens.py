"""Reply-by-email addresses: `reply+<token>@<REPLY_EMAIL_DOMAIN>`.

A token names the recipient, the airtime and the post answered (or none: a reply to the airtime)
and when it stops working: the round's close, or 30 days after the email, whichever is first. It
is signed with SECRET_KEY under its own salt (`salted_hmac`), like the unsubscribe tokens, and
written in lower-case letters and digits only, because mail servers may change the case of an
address's local part and limit it to 64 characters: ids and the expiry in base 36, an 80-bit
HMAC in base 32. A token cannot be forged, changed to name another post, or reused elsewhere.
"""

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "engagement.inbound.reply.v1"
LIFETIME = timedelta(days=30)
LOCAL_PREFIX = "reply+"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_MAC_BYTES = 10  # 80 bits: 16 base-32 characters


class InvalidReplyToken(Exception):
    pass


@dataclass(frozen=True)
class ReplyToken:
    user_id: int
    airtime_id: int
    reply_id: int | None  # the post answered; None: the airtime itself
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def _b36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _DIGITS[rest] + digits
        if not number:
            return digits


def _mac(value: str) -> str:
    digest = salted_hmac(SALT, value, algorithm="sha256").digest()[:_MAC_BYTES]
    return base64.b32encode(digest).decode().lower()


def make_token(*, user_id: int, airtime_id: int, reply_id: int | None, expires_at: datetime) -> str:
    value = ".".join(_b36(n) for n in (user_id, airtime_id, reply_id or 0, int(expires_at.timestamp())))
    return f"{value}.{_mac(value)}"


def read_token(token: str) -> ReplyToken:
    """The token's contents, signature checked (expiry is the caller's to judge: an expired token
    still names the thread, so the refusal can link to it)."""
    token = (token or "").strip().lower()
    value, _, mac = token.rpartition(".")
    if not value or not constant_time_compare(mac, _mac(value)):
        raise InvalidReplyToken("bad signature")
    try:
        user_id, airtime_id, reply_id, expires = (int(part, 36) for part in value.split("."))
    except ValueError:
        raise InvalidReplyToken("malformed") from None
    if not (user_id and airtime_id):
        raise InvalidReplyToken("malformed")
    return ReplyToken(user_id, airtime_id, reply_id or None, datetime.fromtimestamp(expires, tz=UTC))


def expiry(*, round_closes_at: datetime | None, now: datetime) -> datetime:
    limit = now + LIFETIME
    return min(round_closes_at, limit) if round_closes_at else limit


def domain() -> str:
    return (getattr(settings, "REPLY_EMAIL_DOMAIN", "") or "").strip().lower()


def reply_address(*, user_id: int, airtime_id: int, reply_id: int | None = None, closes_at: datetime | None,
                  now: datetime) -> str | None:
    """The Reply-To address for an email to one person about one airtime (`closes_at`: its
    round's close); None when the feature is off (REPLY_EMAIL_DOMAIN unset)."""
    if not domain():
        return None
    token = make_token(user_id=user_id, airtime_id=airtime_id, reply_id=reply_id,
                       expires_at=expiry(round_closes_at=closes_at, now=now))
    return f"{LOCAL_PREFIX}{token}@{domain()}"


def token_from_address(address: str) -> str | None:
    """The token of a `reply+<token>@<REPLY_EMAIL_DOMAIN>` address, or None for any other address."""
    local, _, host = (address or "").strip().lower().rpartition("@")
    if not domain() or host != domain() or not local.startswith(LOCAL_PREFIX):
        return None
    return local.removeprefix(LOCAL_PREFIX) or None

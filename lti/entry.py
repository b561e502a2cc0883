"""The step from a launch to a signed-in page. Inside an iframe the browser may refuse our session
cookie (a third-party cookie), so a launch hands out a one-time, two-minute link that signs the
person in wherever it is opened — in the frame, or in a new window where cookies are first-party."""

import uuid

from django.core import signing
from django.core.cache import cache

SALT = "lti.entry"
MAX_AGE = 120


def make_token(*, user_id: int, next_path: str) -> str:
    return signing.dumps({"u": user_id, "n": next_path, "j": uuid.uuid4().hex}, salt=SALT, compress=True)


def use_token(token: str) -> dict | None:
    """The token's content, once; None when forged, expired or already used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not cache.add(f"lti-entry-used:{data['j']}", 1, timeout=MAX_AGE * 2):
        return None
    return data

"""Per-member rate limits on posting and flagging (django-ratelimit, counted in the cache)."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

MESSAGES = {
    "post": "You are posting very quickly. Nothing was lost: your text is still in the box — wait a minute and post again.",
    "flag": "You have flagged a lot of posts in a short time. Please wait before flagging more, or contact your facilitator.",
}


def over_limit(request, group: str) -> bool:
    return is_ratelimited(
        request, group=f"actionsets:{group}", key="user", rate=settings.ACTIONSETS_RATE_LIMITS[group],
        method="POST", increment=True,
    )

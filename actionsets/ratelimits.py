"""Per-member rate limits on posting, editing and flagging (django-ratelimit, counted in the cache).

Every refusal keeps what the member typed: views add `MESSAGES[group]` to the bound form and
render it again, never redirect. The message names the real window, read from
settings.ACTIONSETS_RATE_LIMITS when it is shown (tests and operators change the rates).
"""

import re
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy, ngettext
from django_ratelimit.core import is_ratelimited

# In the reader's language when shown (issue 18): lazy here, formatted in MESSAGES[group].
_TEXTS = {
    "post": gettext_lazy("You are posting very quickly. Nothing was lost: your text is still in the box — "
                         "wait %(window)s and post again."),
    "edit": gettext_lazy("You are editing very quickly. Nothing was lost: your changes are still in the box — "
                         "wait %(window)s and save again."),
    "draft": gettext_lazy("Your draft is saving very often, so this save was skipped. Nothing was lost: your "
                          "text is still in the box — it is saved again within %(window)s."),
    "flag": gettext_lazy("You have flagged a lot of posts in a short time. Please wait %(window)s before "
                         "flagging more, or contact your facilitator."),
}
_RATE = re.compile(r"^\s*\d+\s*/\s*(\d*)\s*([smhd])\s*$", re.IGNORECASE)


def _up_to(unit: str, count: int) -> str:
    """"up to an hour", "up to 5 minutes": whole phrases, so each language words them (issue 18)."""
    if count == 1:
        return {"s": gettext("up to a second"), "m": gettext("up to a minute"), "h": gettext("up to an hour"),
                "d": gettext("up to a day")}[unit]
    phrase = {
        "s": ngettext("up to %(count)s second", "up to %(count)s seconds", count),
        "m": ngettext("up to %(count)s minute", "up to %(count)s minutes", count),
        "h": ngettext("up to %(count)s hour", "up to %(count)s hours", count),
        "d": ngettext("up to %(count)s day", "up to %(count)s days", count),
    }[unit]
    return phrase % {"count": count}


def window_phrase(rate: str) -> str:
    """"20/5m" → "up to 5 minutes", "10/h" → "up to an hour": the longest wait at this rate
    (django-ratelimit counts in fixed windows of the period)."""
    match = _RATE.match(rate)
    if match is None:
        return gettext("a little while")
    multiple, unit = int(match.group(1) or 1), match.group(2).lower()
    return _up_to(unit, multiple)


class _Messages(Mapping):
    """`MESSAGES["post"]`: the refusal text for a group, with its window as configured now."""

    def __getitem__(self, group: str) -> str:
        return _TEXTS[group] % {"window": window_phrase(settings.ACTIONSETS_RATE_LIMITS[group])}

    def __iter__(self):
        return iter(_TEXTS)

    def __len__(self) -> int:
        return len(_TEXTS)


MESSAGES = _Messages()


def over_limit(request, group: str) -> bool:
    return is_ratelimited(
        request, group=f"actionsets:{group}", key="user", rate=settings.ACTIONSETS_RATE_LIMITS[group],
        method="POST", increment=True,
    )


def over_limit_for(user, group: str) -> bool:
    """The same limit for a post that arrives without a request (a reply by email): counted in the
    same cache entries as the member's posts on the site, so the two share one allowance."""
    request = HttpRequest()
    request.method, request.user = "POST", user
    return over_limit(request, group)

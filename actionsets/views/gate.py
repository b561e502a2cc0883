"""Agree before you read (issue 13, docs/set-process.md "Agree before you read").

A member who has not accepted the set's current ground rules — confidentiality among them —
is sent to the rules instead of the set's content: threads, commitments and report-backs, round
pages, continuity. `?next=` keeps where they were going (an email's link, say); after accepting
they land there. Only a path inside the same set is followed, so the parameter cannot send
anyone elsewhere.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ..permissions import SetAccess


def rules_first(request: HttpRequest, access: SetAccess) -> HttpResponse | None:
    """A redirect to the rules (with `next`) while the member has not accepted them, else None."""
    if access.membership.has_accepted_rules:
        return None
    rules = reverse("actionsets:rules", args=[access.action_set.slug])
    return redirect(f"{rules}?{urlencode({'next': request.get_full_path()})}")


def same_set_path(request: HttpRequest, access: SetAccess, target: str | None) -> str | None:
    """`target` if it is a path inside this set (no scheme, no host, no `//`, no backslash)."""
    prefix = access.action_set.get_absolute_url()
    if not target or not target.startswith(prefix) or "\\" in target or "//" in target:
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return None
    return target

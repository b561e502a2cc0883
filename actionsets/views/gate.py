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

from ..permissions import SetAccess


def rules_first(request: HttpRequest, access: SetAccess) -> HttpResponse | None:
    """A redirect to the rules (with `next`) while the member has not accepted them, else None."""
    if access.membership.has_accepted_rules:
        return None
    rules = reverse("actionsets:rules", args=[access.action_set.slug])
    return redirect(f"{rules}?{urlencode({'next': request.get_full_path()})}")

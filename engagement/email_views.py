"""One-click unsubscribe (RFC 8058): `/email/unsubscribe/<token>/`.

GET shows what the link will turn off and a button; POST turns it off. Mail clients' one-click
POST (`List-Unsubscribe=One-Click`) arrives without a session or a CSRF token, so the view is
CSRF-exempt: the signed token is the proof, and it can only ever turn email off. GET changes
nothing, because link scanners fetch every URL in an email.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import email_preferences
from . import unsubscribe as tokens


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        target = tokens.resolve(token)
    except tokens.InvalidToken as error:
        return render(request, "engagement/unsubscribe_invalid.html", {"reason": error.reason}, status=400)
    if request.method == "POST":
        email_preferences.apply_unsubscribe(target=target)
        return render(request, "engagement/unsubscribe_done.html", {"target": target})
    return render(request, "engagement/unsubscribe_confirm.html", {"target": target})


"""One-click unsubscribe (RFC 8058): `/email/unsubscribe/<token>/`.

GET shows what the link will turn off and a button; POST turns it off. Mail clients' one-click
POST (`List-Unsubscribe=One-Click`) arrives without a session or a CSRF token, so the view is
CSRF-exempt: the signed token is the proof, and it can only ever turn email off. GET changes
nothing, because link scanners fetch every URL in an email.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import email_preferences
from . import unsubscribe as tokens


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The page speaks the language of the person the token names (the language their email was
    in), not the browser's: a link opened on a shared or borrowed machine still reads as theirs. A
    person without a preference, or an invalid token, gets the browser's language."""
    try:
        target = tokens.resolve(token)
    except tokens.InvalidToken as error:
        return render(request, "engagement/unsubscribe_invalid.html", {"reason": error.reason}, status=400)
    language = target.user.language
    if not language or language == translation.get_language():
        return _answer(request, target)
    with translation.override(language):
        response = _answer(request, tokens.resolve(token))  # the target's labels, in their language
    response.headers["Content-Language"] = language
    return response


def _answer(request: HttpRequest, target) -> HttpResponse:
    if request.method == "POST":
        email_preferences.apply_unsubscribe(target=target)
        return render(request, "engagement/unsubscribe_done.html", {"target": target})
    return render(request, "engagement/unsubscribe_confirm.html", {"target": target})

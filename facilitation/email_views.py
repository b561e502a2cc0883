"""One-click unsubscribe (RFC 8058): `/email/unsubscribe/<token>/`.

GET shows what the link will turn off and a button; POST turns it off. Mail clients' one-click
POST (`List-Unsubscribe=One-Click`) arrives without a session or a CSRF token, so the view is
CSRF-exempt: the signed token is the proof, and it can only ever turn email off. GET changes
nothing, because link scanners fetch every URL in an email.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from actionsets.models import Membership

from . import email_preferences
from . import unsubscribe as tokens


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        target = tokens.resolve(token)
    except tokens.InvalidToken as error:
        return render(request, "facilitation/unsubscribe_invalid.html", {"reason": error.reason}, status=400)
    if request.method == "POST":
        email_preferences.apply_unsubscribe(target=target)
        return render(request, "facilitation/unsubscribe_done.html", {"target": target})
    return render(request, "facilitation/unsubscribe_confirm.html", {"target": target})


@login_required
@require_http_methods(["GET", "POST"])
def set_emails(request: HttpRequest) -> HttpResponse:
    """Email for each of my sets: every new post, digest and reminders, or nothing."""
    memberships = list(
        Membership.objects.current().filter(user=request.user).select_related("action_set").order_by("action_set__name")
    )
    status = 200
    if request.method == "POST":
        levels = {m.pk: request.POST.get(f"level-{m.pk}", m.notification_level) for m in memberships}
        try:
            email_preferences.set_notification_levels(user=request.user, levels=levels)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            messages.success(request, "Your email settings for each set are saved.")
            return redirect("email_set_preferences")
    return render(
        request, "facilitation/set_emails.html",
        {"memberships": memberships, "levels": Membership.NotificationLevel.choices}, status=status,
    )

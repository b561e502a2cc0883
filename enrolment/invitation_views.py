"""Accepting an invitation: public pages reached from the email link."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .invitations import InvitationExpired, read_token
from .models import Invitation


def _open_invitation(key: str) -> Invitation | None:
    return Invitation.objects.select_related("membership__user", "membership__action_set").filter(key=key).first()


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        key = read_token(token)
    except InvitationExpired:
        return render(request, "enrolment/invitation_expired.html", {"token": token}, status=410)
    except signing.BadSignature:
        return render(request, "enrolment/invitation_invalid.html", status=404)
    invitation = _open_invitation(key)
    membership = invitation.membership if invitation else None
    if invitation is None or membership.left_at is not None or not membership.user.is_active:
        return render(request, "enrolment/invitation_invalid.html", status=404)
    rules_url = reverse("actionsets:rules", kwargs={"set_slug": membership.action_set.slug})
    if invitation.accepted_at is not None:
        return render(request, "enrolment/invitation_used.html", {"next": rules_url})
    user = membership.user
    if user.has_usable_password():
        return _join_with_existing_account(request, invitation, rules_url)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = services.accept_invitation(invitation=invitation, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The accepted membership's user carries the new password hash the session is bound to.
            login(request, accepted.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, gettext("Welcome! Your password is set. Please read your set's ground rules."))
            return redirect(rules_url)
    return render(request, "enrolment/invitation_accept.html",
                  {"form": form, "invitee": user, "action_set": membership.action_set})


def _join_with_existing_account(request, invitation: Invitation, rules_url: str) -> HttpResponse:
    """People who already have a password sign in as usual; the link alone never signs them in."""
    user = invitation.membership.user
    if request.user.is_authenticated and request.user.pk == user.pk:
        if request.method == "POST":
            services.accept_invitation(invitation=invitation)
            return redirect(rules_url)
        return render(request, "enrolment/invitation_join.html", {"action_set": invitation.membership.action_set})
    return render(request, "enrolment/invitation_sign_in.html", {
        "action_set": invitation.membership.action_set, "login_url": f"{reverse('account_login')}?next={request.path}",
        "signed_in_as_other": request.user.is_authenticated,
    })


@require_POST
def renew(request: HttpRequest, token: str) -> HttpResponse:
    """Send a fresh link for an expired one, to the address it was sent to. The answer is the
    same whatever happened, so the page tells a visitor nothing about the invitation."""
    try:
        key = read_token(token)
    except InvitationExpired as expired:
        key = expired.key
    except signing.BadSignature:
        key = None
    if key:
        services.renew_invitation(key=key)
    return render(request, "enrolment/invitation_renewed.html")

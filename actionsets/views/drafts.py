"""Drafts saved as a member writes (issue 14, part 3): the reply form's and the airtime form's
"Save draft" and "Discard draft" buttons post here (`formaction`, no JavaScript needed), and
static/js/drafts.js autosaves here with fetch. Answers JSON to fetch, a redirect back otherwise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..models import Draft
from ..ratelimits import MESSAGES, over_limit
from ..templatetags.actionsets_tags import iso_datetime

SAVED = gettext_lazy("Draft saved. Only you can see it; it comes back on any device until you post or discard it.")
DISCARDED = gettext_lazy("Draft discarded.")


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _answer(request: HttpRequest, *, back: str, action: str, draft: Draft | None = None,
            error: ValidationError | None = None) -> HttpResponse:
    if _wants_json(request):
        if error is not None:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        return JsonResponse({"saved": draft is not None, "discarded": action == "discard",
                             "updated_at": iso_datetime(draft.updated_at) if draft else None})
    if error is not None:
        messages.error(request, gettext("The draft was not saved: %(reasons)s") % {"reasons": " ".join(error.messages)})
    else:
        messages.success(request, SAVED if draft is not None else DISCARDED)
    return redirect(back)


def _save_or_discard(request: HttpRequest, access, *, back: str, **place) -> HttpResponse:
    action = "discard" if request.POST.get("draft") == "discard" else "save"
    if action == "save" and over_limit(request, "draft"):
        # Refused, not lost: the text stays in the box (and in the browser's storage for autosave).
        if _wants_json(request):
            return JsonResponse({"error": MESSAGES["draft"]}, status=429)
        # Without JavaScript the box is gone once we answer: the text comes back here, whole.
        return render(request, "actionsets/draft_refused.html", {
            "message": MESSAGES["draft"], "back": back, "title": request.POST.get("title", ""),
            "body": request.POST.get("body", ""),
        }, status=429)
    try:
        if action == "discard":
            services.discard_draft(author=request.user, action_set=access.action_set, **place)
            draft = None
        else:
            draft = services.save_draft(
                author=request.user, action_set=access.action_set, access=access, body=request.POST.get("body", ""),
                title=request.POST.get("title", ""), kind=request.POST.get("kind", ""), **place,
            )
    except ValidationError as error:
        return _answer(request, back=back, action=action, error=error)
    return _answer(request, back=back, action=action, draft=draft)


@login_required
@require_POST
def reply_draft(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    """The draft of a reply on this airtime; `parent` names the reply answered, looked up among the
    replies this member sees here, like posting (permissions.get_reply_parent)."""
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    back = airtime.get_absolute_url()
    parent = None
    if request.POST.get("parent"):
        try:
            parent = permissions.get_reply_parent(access, airtime, request.POST["parent"], now=timezone.now())
        except ValidationError as error:
            return _answer(request, back=back + "#reply", action="save", error=error)
        back += f"?reply_to={parent.pk}"
    return _save_or_discard(request, access, back=back + "#reply", airtime=airtime, parent=parent)


@login_required
@require_POST
def airtime_draft(request: HttpRequest, set_slug: str) -> HttpResponse:
    """The draft of this member's airtime in the set's open round."""
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    back = reverse("actionsets:airtime_new", kwargs={"set_slug": set_slug})
    return _save_or_discard(request, access, back=back)

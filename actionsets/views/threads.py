"""Presenting an airtime, the thread, replying, editing and history: form → check → service →
redirect or render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from actionsets.advice import find_signals, has_word_list, language_name

from .. import permissions, selectors, services
from ..forms import (
    AirtimeEditForm,
    AirtimeForm,
    HelpfulForm,
    ReplyEditForm,
    ReplyForm,
    ReportBackForm,
    apply_service_errors,
    enable_uploads,
    offer_removal,
)
from ..models import ActionCommitment, Airtime, Reply
from ..ratelimits import MESSAGES, over_limit
from .common import in_sentence, set_context
from .gate import rules_first
from .thread_context import thread_context


def upload_url(access) -> str:
    return reverse("actionsets:file_upload", args=[access.action_set.slug])


@login_required
@require_http_methods(["GET", "POST"])
def airtime_new(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)  # a researcher never presents
    if not access.membership.has_accepted_rules:
        messages.info(request, gettext("Please read and accept the ground rules before presenting."))
        return redirect("actionsets:rules", set_slug=set_slug)
    now = timezone.now()
    current = services.open_round(access.action_set, now=now)
    # Say so before they write a whole airtime to be refused (issue 13): one per round, in an open one.
    presented = selectors.presented_in(request.user, current)
    # The member's draft of this round's airtime comes back here, on any device (issue 14).
    draft = selectors.draft_for(request.user, action_set=access.action_set, round=current) if current else None
    form = enable_uploads(
        AirtimeForm(request.POST or None, request.FILES or None,
                    initial={"title": draft.title, "body": draft.body} if draft else None),
        upload_url(access),
    )
    if request.method == "POST" and form.is_valid():
        if over_limit(request, "post"):
            form.add_error(None, MESSAGES["post"])
        else:
            try:
                airtime = services.present_airtime(
                    presenter=request.user, action_set=access.action_set, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, gettext("Your airtime is up. The set will be asked to respond with questions."))
                return redirect(airtime)
    return render(
        request, "actionsets/airtime_new.html",
        {
            "access": access, "action_set": access.action_set, "form": form, "presented": presented,
            "round": current, "can_present": current is not None and presented is None
            and access.action_set.state != access.action_set.State.FORMING and permissions.can_post(access),
            "open_commitments": ActionCommitment.objects.filter(
                owner=request.user, airtime__action_set=access.action_set, status=ActionCommitment.Status.OPEN
            ).select_related("airtime__round"),
            "report_form": ReportBackForm(), "draft": draft,
        },
    )


@login_required
def thread(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    if (gate := rules_first(request, access)) is not None:
        return gate
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    context = thread_context(request, access, airtime)
    services.note_visit(membership=access.membership)
    last_read = context["thread"].last_read_at
    if last_read is None or last_read < airtime.last_activity_at:
        # The activity time loaded before the replies: a reply posted while this page renders
        # stays unread rather than being marked read unseen.
        services.mark_read(user=request.user, airtime=airtime, at=airtime.last_activity_at)
    return render(request, "actionsets/thread.html", context)


@login_required
@require_POST
def reply(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    # Any known kind passes the form (forms.KindField); the service decides which kinds this member
    # may post, once, under the airtime's lock.
    form = ReplyForm(request.POST, request.FILES)
    parent, nudge, status = None, None, 400
    if form.is_valid() and form.cleaned_data["parent"]:
        # Only a reply this reader sees on this airtime: the refusal names no post (issue 11).
        try:
            parent = permissions.get_reply_parent(access, airtime, form.cleaned_data["parent"], now=timezone.now())
        except ValidationError as error:
            apply_service_errors(form, error)
    if form.is_valid():
        if over_limit(request, "post"):
            form.add_error(None, MESSAGES["post"])
        else:
            try:
                new_reply = services.post_reply(
                    author=request.user, access=access, airtime=airtime, body=form.cleaned_data["body"],
                    kind=form.cleaned_data["kind"] or None, parent=parent,
                    check_advice=True, advice_confirmed=bool(request.POST.get("post_anyway")),
                    attachments=form.cleaned_data["attachments"],
                )
            except services.AdviceNudge as advice:
                # Not an error: a second look. The text stays in the box; "Post anyway" confirms.
                nudge, status = advice.signals, 200
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, gettext("Your %(kind)s is posted.") % {"kind": in_sentence(new_reply.get_kind_display())})
                return redirect(new_reply)
    context = thread_context(request, access, airtime, reply_form=form, reply_parent=parent, nudge=nudge)
    return render(request, "actionsets/thread.html", context, status=status)


@login_required
@require_POST
def helpful(request: HttpRequest, set_slug: str, airtime_id: int, reply_id: int) -> HttpResponse:
    """The presenter marks a question as having helped them (or undoes it). Everyone but the
    presenter of this airtime gets 404: the button is theirs alone."""
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    target = permissions.get_reply_or_404(access, reply_id, airtime=airtime)
    if not permissions.can_mark_helpful(access, airtime, target):
        raise Http404
    form = HelpfulForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["undo"]:
                services.unmark_helpful(presenter=request.user, reply=target, access=access)
                messages.success(request, gettext("Mark removed."))
            else:
                services.mark_helpful(
                    presenter=request.user, reply=target, access=access, why=form.cleaned_data["why"],
                    visibility=form.cleaned_data["visibility"] or HelpfulForm.base_fields["visibility"].initial,
                )
                messages.success(request, gettext("Marked: this question helped you."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(target)


@login_required
@require_POST
def advice_check(request: HttpRequest, set_slug: str) -> JsonResponse:
    """The advice heuristic for the reply box as the member types (static/js/advice.js). Members
    only; reads nothing from the set and stores nothing."""
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    language = access.action_set.language
    if not has_word_list(language):
        # No word list for the set's language: say so once, never a silent "no advice found".
        return JsonResponse({"signals": [], "available": False, "message": gettext(
            "The advice hint is not available for %(language)s — no word list.")
            % {"language": language_name(language)}})
    text = request.POST.get("text", "")[: settings.POST_MAX_CHARS]
    signals = find_signals(text, language)
    return JsonResponse({"available": True,
                         "signals": [{"name": s.name, "phrase": s.phrase, "sentence": s.sentence} for s in signals]})


def _edit_over_limit(request: HttpRequest, form) -> bool:
    """Every saved edit stores a revision: past the edit rate the form comes back as typed."""
    if over_limit(request, "edit"):
        form.add_error(None, MESSAGES["edit"])
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def airtime_edit(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    if not permissions.can_edit(access, airtime):
        raise Http404
    form = enable_uploads(AirtimeEditForm(request.POST or None, request.FILES or None,
                                          initial={"title": airtime.title, "body": airtime.body}), upload_url(access))
    offer_removal(form, selectors.post_files(airtime) if airtime.has_files else ())
    if request.method == "POST" and form.is_valid() and not _edit_over_limit(request, form):
        try:
            services.edit_airtime(editor=request.user, airtime=airtime, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Saved. The earlier version is kept in the history."))
            return redirect(airtime)
    return render(request, "actionsets/edit.html",
                  set_context(access, airtime=airtime, form=form, post=airtime))


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request: HttpRequest, set_slug: str, airtime_id: int, reply_id: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    target = permissions.get_reply_or_404(access, reply_id, airtime=airtime)
    if not permissions.can_edit(access, target) or not permissions.can_see_hidden_body(
        request.user, target, is_facilitator=access.is_facilitator
    ):
        raise Http404
    form = enable_uploads(ReplyEditForm(request.POST or None, request.FILES or None, initial={"body": target.body}),
                          upload_url(access))
    offer_removal(form, selectors.post_files(target) if airtime.has_files else ())
    if request.method == "POST" and form.is_valid() and not _edit_over_limit(request, form):
        try:
            services.edit_reply(editor=request.user, reply=target, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Saved. The earlier version is kept in the history."))
            return redirect(target)
    return render(request, "actionsets/edit.html",
                  set_context(access, airtime=airtime, form=form, post=target))


@login_required
def history(request: HttpRequest, set_slug: str, airtime_id: int, reply_id: int | None = None) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    if (gate := rules_first(request, access)) is not None:
        return gate
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    post: Airtime | Reply = airtime
    if reply_id is not None:
        post = permissions.get_reply_or_404(access, reply_id, airtime=airtime)
    if not permissions.can_see_revisions(access, post):
        raise Http404
    return render(request, "actionsets/history.html",
                  set_context(access, airtime=airtime, post=post,
                   revisions=selectors.revisions_of(post)))

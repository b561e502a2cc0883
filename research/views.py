"""Research pages: members read the cohort's studies and opt in or out per set; the set's
facilitators register a study and download the consented, pseudonymised export. Each view:
check (actionsets.permissions) → one service or selector → render, redirect or stream."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from actionsets.forms import apply_service_errors
from actionsets.models import ModerationAction
from actionsets.permissions import get_set_or_404
from actionsets.services import log_action
from actionsets.views.common import set_context

from . import export as research_export
from . import selectors, services
from .forms import ConsentForm, StudyForm
from .permissions import check_can_act, check_facilitator, check_read_facilitation, get_study_or_404


@login_required
def studies(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = get_set_or_404(request.user, set_slug)
    found = selectors.studies_for_member(access.action_set, request.user.pk)
    return render(request, "research/studies.html", set_context(access, studies=found, form=ConsentForm()))


@login_required
@require_POST
def consent(request: HttpRequest, set_slug: str, study_id: int) -> HttpResponse:
    access = get_set_or_404(request.user, set_slug)
    check_can_act(access)
    study = get_study_or_404(access, study_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        decision = services.decide_consent(user=request.user, study=study, action_set=access.action_set,
                                           consented=form.cleaned_data["consent"], access=access)
        messages.success(request, "Thank you: you are taking part." if decision.consented
                         else "Recorded: your words stay out of this study's exports from now on.")
    else:
        messages.error(request, "Choose yes or no.")
    return redirect("research:studies", set_slug=set_slug)


@login_required
@require_http_methods(["GET", "POST"])
def facilitate(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = get_set_or_404(request.user, set_slug)
    check_read_facilitation(access)
    if request.method == "POST":
        check_facilitator(access)  # registering is the facilitators'; a researcher reads this page
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            study = services.register_study(actor=request.user, action_set=access.action_set, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"“{study.title}” is registered: members of the cohort's sets now see it.")
            return redirect("research:facilitate", set_slug=set_slug)
    found = selectors.studies_for_member(access.action_set, request.user.pk)
    for study in found:
        study.consenting = len(selectors.consenting_user_ids(study, access.action_set))
    return render(request, "research/facilitate.html", set_context(access, studies=found, form=form),
                  status=400 if form.is_bound else 200)


@login_required
def export(request: HttpRequest, set_slug: str, study_id: int, fmt: str) -> HttpResponse:
    """The consented, pseudonymised export, streamed; logged in the moderation log first."""
    access = get_set_or_404(request.user, set_slug)
    check_read_facilitation(access)  # the set's facilitators and researchers
    study = get_study_or_404(access, study_id)
    now = timezone.now()
    data = research_export.Export(study, access.action_set)
    log_action(actor=request.user, action_set=access.action_set, action=ModerationAction.Action.RESEARCH_EXPORT,
               target=study, detail={"format": fmt, "consenting": len(data.consenting),
                                     "sheet_version": study.sheet_version}, now=now)
    if fmt == "qdpx":
        stream, content_type = research_export.qdpx_stream(data, now=now), "application/zip"
    else:
        stream, content_type = research_export.data_stream(data), "application/zip"
    response = StreamingHttpResponse(stream, content_type=content_type)
    name = f"study-{study.pk}-{access.action_set.slug}-{now:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response

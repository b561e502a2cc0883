"""Research pages: members read the cohort's studies, the versions of their information sheets,
and opt in or out per set; the set's facilitators register a study, revise its sheet and download
the consented, pseudonymised export of their set or of every set of the cohort they facilitate.
Each view: check (actionsets.permissions) → one service or selector → render, redirect or stream."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actionsets.forms import apply_service_errors
from actionsets.models import ModerationAction
from actionsets.permissions import get_set_or_404
from actionsets.services import log_actions
from actionsets.views.common import set_context

from . import export as research_export
from . import selectors, services
from .forms import ConsentForm, SheetRevisionForm, StudyForm
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
        messages.success(request, _("Thank you: you are taking part.") if decision.consented
                         else _("Recorded: your words stay out of this study's exports from now on."))
    else:
        messages.error(request, _("Choose yes or no."))
    return redirect("research:studies", set_slug=set_slug)


def _diff(newer, older) -> list[tuple[str, str]]:
    """The sheet's markdown, line by line: ("add" | "remove" | "same", line)."""
    if older is None:
        return []
    ops = {"+ ": "add", "- ": "remove", "  ": "same"}
    return [(ops[line[:2]], line[2:]) for line in difflib.ndiff(older.information_sheet.splitlines(),
                                                                 newer.information_sheet.splitlines())
            if line[:2] in ops]


@login_required
def versions(request: HttpRequest, set_slug: str, study_id: int) -> HttpResponse:
    """Every version of the study's information sheet, with dates, full text and what changed."""
    access = get_set_or_404(request.user, set_slug)
    study = get_study_or_404(access, study_id)
    found = selectors.sheet_versions(study)
    for version in found:
        version.diff = _diff(version, version.previous)
    decision = next((s.decision for s in selectors.studies_for_member(access.action_set, request.user.pk)
                     if s.pk == study.pk), None)
    return render(request, "research/versions.html",
                  set_context(access, study=study, versions=found, decision=decision))


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
            messages.success(request, _("“%(title)s” is registered: members of the cohort's sets now see it.")
                             % {"title": study.title})
            return redirect("research:facilitate", set_slug=set_slug)
    found = selectors.studies_for_member(access.action_set, request.user.pk)
    for study in found:
        study.consenting = len(selectors.consenting_user_ids(study, access.action_set))
    cohort_sets = selectors.facilitated_sets_of_cohort(request.user, access.action_set.cohort_id)
    whole_cohort = len(cohort_sets) == selectors.cohort_set_count(access.action_set.cohort_id)
    return render(request, "research/facilitate.html",
                  set_context(access, studies=found, form=form, cohort_sets=cohort_sets, whole_cohort=whole_cohort),
                  status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def revise(request: HttpRequest, set_slug: str, study_id: int) -> HttpResponse:
    """A facilitator revises the information sheet: a new version, everyone consenting is asked again."""
    access = get_set_or_404(request.user, set_slug)
    check_facilitator(access)
    study = get_study_or_404(access, study_id)
    form = SheetRevisionForm(request.POST or None, initial={"information_sheet": study.information_sheet})
    if request.method == "POST" and form.is_valid():
        try:
            study = services.revise_information_sheet(actor=request.user, action_set=access.action_set, study=study,
                                                      **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Version %(version)s of the information sheet is out: members who consented "
                                        "are asked to confirm again.") % {"version": study.sheet_version})
            return redirect("research:versions", set_slug=set_slug, study_id=study.pk)
    return render(request, "research/revise.html", set_context(access, study=study, form=form),
                  status=400 if form.is_bound else 200)


def _stream(request, study, data, fmt: str, name: str, now) -> StreamingHttpResponse:
    if fmt == "qdpx":
        stream = research_export.qdpx_stream(data, now=now)
    else:
        stream = research_export.data_stream(data)
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _log(request, study, data, fmt: str, now, **extra) -> None:
    """One research_export row in the moderation log of every set exported, before the first byte."""
    log_actions(logs=[ModerationAction(
        actor=request.user, action_set=action_set, action=ModerationAction.Action.RESEARCH_EXPORT,
        target_type=study._meta.model_name, target_id=study.pk, created_at=now,
        detail={"format": fmt, "consenting": data.consenting_in(action_set), "sheet_version": study.sheet_version,
                **extra},
    ) for action_set in data.sets])


@login_required
def export(request: HttpRequest, set_slug: str, study_id: int, fmt: str) -> HttpResponse:
    """One set's consented, pseudonymised export, streamed; logged in the moderation log first."""
    access = get_set_or_404(request.user, set_slug)
    check_read_facilitation(access)  # the set's facilitators and researchers
    study = get_study_or_404(access, study_id)
    now = timezone.now()
    data = research_export.Export(study, access.action_set)
    _log(request, study, data, fmt, now)
    return _stream(request, study, data, fmt, f"study-{study.pk}-{access.action_set.slug}-{now:%Y%m%d}.{fmt}", now)


@login_required
def cohort_export(request: HttpRequest, set_slug: str, study_id: int, fmt: str) -> HttpResponse:
    """The export of every set of the cohort the requester currently facilitates — the whole cohort
    when they facilitate all of it. Staff get nothing: they never see content (docs/research.md)."""
    access = get_set_or_404(request.user, set_slug)
    check_facilitator(access)
    study = get_study_or_404(access, study_id)
    sets = selectors.facilitated_sets_of_cohort(request.user, access.action_set.cohort_id)
    whole = len(sets) == selectors.cohort_set_count(access.action_set.cohort_id)
    now = timezone.now()
    data = research_export.Export(study, sets, whole_cohort=whole)
    _log(request, study, data, fmt, now, scope="cohort", sets=len(sets), whole_cohort=whole)
    return _stream(request, study, data, fmt, f"study-{study.pk}-cohort-{now:%Y%m%d}.{fmt}", now)

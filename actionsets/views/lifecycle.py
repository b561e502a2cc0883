"""The set's life-cycle pages: forming (introductions, ground rules being written), the ending
(final review and evaluation), the export of one's own contributions — and the facilitator's
life-cycle page (stage, ground-rules versions, self-managed hand-over)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import exports, permissions, selectors, services
from ..forms import (
    EvaluationForm,
    IntroductionForm,
    RulesProposalForm,
    apply_service_errors,
)
from ..models import GroundRulesVersion, Introduction, Membership, SetEvaluation
from ..ratelimits import MESSAGES, over_limit
from .common import set_context


def _attempt(request, form, action, success) -> bool:
    if form is not None and over_limit(request, "post"):
        form.add_error(None, MESSAGES["post"])
        return False
    try:
        action()
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
        else:
            apply_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


# --- Forming -----------------------------------------------------------------------------------


def _forming_page(request, access, *, intro_form=None, proposal_form=None, status=200):
    action_set = access.action_set
    intros = list(Introduction.objects.filter(action_set=action_set).select_related("author").order_by("created_at"))
    mine = next((i for i in intros if i.author_id == request.user.pk), None)
    versions = list(GroundRulesVersion.objects.filter(action_set=action_set).select_related("proposed_by")
                    .order_by("-number"))
    return render(request, "actionsets/process/forming.html", set_context(
        access, introductions=intros, versions=versions, rules_open=services.rules_open(action_set),
        intro_form=intro_form or IntroductionForm(initial={"body": mine.body} if mine else None), my_intro=mine,
        proposal_form=proposal_form or RulesProposalForm(initial={"text": action_set.ground_rules}),
    ), status=status)


@login_required
def forming(request: HttpRequest, set_slug: str) -> HttpResponse:
    return _forming_page(request, permissions.get_set_or_404(request.user, set_slug))


@login_required
@require_POST
def introduce(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    form = IntroductionForm(request.POST)
    if form.is_valid() and _attempt(
            request, form, lambda: services.introduce(author=request.user, action_set=access.action_set,
                                                                body=form.cleaned_data["body"]),
            _("Thank you for introducing yourself.")):
        return redirect("actionsets:forming", set_slug=set_slug)
    return _forming_page(request, access, intro_form=form, status=400)


@login_required
@require_POST
def rules_propose(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    form = RulesProposalForm(request.POST)
    if form.is_valid() and _attempt(
            request, form, lambda: services.propose_ground_rules(
                author=request.user, action_set=access.action_set, **form.cleaned_data),
            _("Your proposal is posted. The set discusses it; the facilitator adopts the version you agree.")):
        return redirect("actionsets:forming", set_slug=set_slug)
    return _forming_page(request, access, proposal_form=form, status=400)


# --- Ending ------------------------------------------------------------------------------------


def _ending_page(request, access, *, form=None, status=200):
    evaluations = SetEvaluation.objects.filter(action_set=access.action_set).select_related("author")
    if not access.is_facilitator:  # members see their own; the facilitator reads them all
        evaluations = evaluations.filter(author=request.user)
    evaluations = list(evaluations.order_by("created_at"))
    mine = next((e for e in evaluations if e.author_id == request.user.pk), None)
    tally = {c: sum(1 for e in evaluations if e.preference == c) for c in SetEvaluation.Choice.values}
    return render(request, "actionsets/process/ending.html", set_context(
        access, evaluations=evaluations, mine=mine, choices=SetEvaluation.Choice.choices, tally=tally,
        form=form or EvaluationForm(initial={"usefulness": mine.usefulness, "learned": mine.learned,
                                             "process": mine.process, "preference": mine.preference} if mine else None),
    ), status=status)


@login_required
def ending(request: HttpRequest, set_slug: str) -> HttpResponse:
    return _ending_page(request, permissions.get_set_or_404(request.user, set_slug))


@login_required
@require_POST
def evaluate(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    form = EvaluationForm(request.POST)
    if form.is_valid() and _attempt(request, form, lambda: services.evaluate_set(
            author=request.user, action_set=access.action_set, **form.cleaned_data), _("Thank you for your evaluation.")):
        return redirect("actionsets:ending", set_slug=set_slug)
    return _ending_page(request, access, form=form, status=400)


@login_required
def export(request: HttpRequest, set_slug: str) -> HttpResponse:
    """My own contributions as Markdown: always available, and the way out of a closed set."""
    access = permissions.get_set_or_404(request.user, set_slug)
    text = exports.contributions_markdown(request.user, access.action_set, now=timezone.now())
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-contributions-{access.action_set.slug}.md"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The facilitator's life-cycle page ---------------------------------------------------------


def _now_in_state(to: str) -> str:
    """The message after a change of stage: one whole sentence per stage (issue 18)."""
    return {
        "forming": _("The set is now forming."),
        "active": _("The set is now active."),
        "ending": _("The set is now ending."),
        "closed": _("The set is now closed."),
    }.get(to, "")


def _facilitated(request, set_slug):
    access = permissions.get_set_or_404(request.user, set_slug)
    permissions.check_facilitator(access)
    return access


@login_required
def lifecycle(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = _facilitated(request, set_slug)
    action_set, now = access.action_set, timezone.now()
    members = list(Membership.objects.current().filter(action_set=action_set).select_related("user")
                   .order_by("-role", "user__display_name"))
    rota = selectors.steward_rota(action_set)
    current = selectors.current_round(selectors.rounds_of(action_set), now)
    return render(request, "actionsets/process/lifecycle.html", set_context(
        access, transitions=[(to, services.TRANSITION_LABELS[(action_set.state, to)])
                             for to in services.TRANSITIONS[action_set.state]],
        states=action_set.State.choices, members=members,
        learners=[m for m in members if not m.is_facilitator],
        versions=list(GroundRulesVersion.objects.filter(action_set=action_set).select_related("proposed_by")
                      .order_by("-number")),
        rota=rota, rota_ids=[m.user_id for m in rota], stewards=selectors.process_stewards(action_set, now),
        from_round=action_set.self_managed_from_round or (current.number if current else 1),
    ))


@login_required
@require_POST
def lifecycle_state(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = _facilitated(request, set_slug)
    to = request.POST.get("to", "")
    _attempt(request, None, lambda: services.change_set_state(
        actor=request.user, action_set=access.action_set, to=to, reason=request.POST.get("reason", "")),
        _now_in_state(to))
    return redirect("actionsets:lifecycle", set_slug=set_slug)


@login_required
@require_POST
def rules_renegotiation(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = _facilitated(request, set_slug)
    wanted = request.POST.get("open") == "1"
    _attempt(request, None, lambda: services.open_renegotiation(
        actor=request.user, action_set=access.action_set, open=wanted, reason=request.POST.get("reason", "")),
        _("The ground rules are open for the set to propose changes.") if wanted else _("The renegotiation is closed."))
    return redirect("actionsets:lifecycle", set_slug=set_slug)


@login_required
@require_POST
def rules_adopt(request: HttpRequest, set_slug: str, version_id: int) -> HttpResponse:
    access = _facilitated(request, set_slug)
    version = GroundRulesVersion.objects.filter(pk=version_id, action_set=access.action_set).first()
    if version is None:
        raise Http404
    version.action_set = access.action_set
    _attempt(request, None, lambda: services.adopt_ground_rules(actor=request.user, version=version),
             _("Version %(number)s is the set's ground rules. Members accept it before they post again.")
             % {"number": version.number})
    return redirect("actionsets:lifecycle", set_slug=set_slug)


@login_required
@require_POST
def self_managed(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = _facilitated(request, set_slug)
    if request.POST.get("take_back") == "1":
        _attempt(request, None, lambda: services.take_back(actor=request.user, action_set=access.action_set),
                 _("The set is facilitated again."))
        return redirect("actionsets:lifecycle", set_slug=set_slug)
    order = sorted(((request.POST.get(f"position-{uid}", ""), uid) for uid in request.POST.getlist("steward")),
                   key=lambda pair: (not pair[0].isdigit(), int(pair[0]) if pair[0].isdigit() else 0))
    from_round = request.POST.get("from_round", "")
    _attempt(request, None, lambda: services.hand_over(
        actor=request.user, action_set=access.action_set, rota=[int(uid) for _position, uid in order if uid.isdigit()],
        from_round=int(from_round) if from_round.isdigit() else 0),
        _("The set is self-managed: the process steward rotates each round."))
    return redirect("actionsets:lifecycle", set_slug=set_slug)

"""The facilitator's set-process page (/sets/<set>/facilitate/process/, and each round's
windows at /sets/<set>/rounds/<number>/windows/): the set's process
options and each open or scheduled round's phase windows. Facilitators only; everyone else 404.
Each view: check → one service → redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..forms import PhaseWindowsForm, ProcessOptionsForm, apply_service_errors


def _facilitated(request: HttpRequest, set_slug: str) -> permissions.SetAccess:
    access = permissions.get_set_or_404(request.user, set_slug)
    permissions.check_facilitator(access)
    return access


def _process_page(request, access, *, options_form=None, bound=None, status=200) -> HttpResponse:
    now = timezone.now()
    rounds = selectors.rounds_of(access.action_set)
    for rnd in rounds:
        rnd.current_state = rnd.state_at(now)
        rnd.current_state_label = rnd.State(rnd.current_state).label
        if rnd.current_state != "closed":
            rnd.form = bound if bound is not None and bound.prefix == f"round-{rnd.pk}" else PhaseWindowsForm.for_round(rnd)
    action_set = access.action_set
    return render(request, "actionsets/process/facilitate.html", {
        "access": access, "action_set": action_set, "rounds": rounds,
        "options_form": options_form or ProcessOptionsForm(initial={
            "ask_before_seeing": action_set.ask_before_seeing, "show_who_hasnt_asked": action_set.show_who_hasnt_asked,
            "language": action_set.language}),
    }, status=status)


@login_required
def process(request: HttpRequest, set_slug: str) -> HttpResponse:
    return _process_page(request, _facilitated(request, set_slug))


@login_required
@require_POST
def process_options(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = _facilitated(request, set_slug)
    form = ProcessOptionsForm(request.POST)
    if form.is_valid():
        services.set_process_options(actor=request.user, action_set=access.action_set, **form.cleaned_data)
        messages.success(request, _("The set's process options are saved."))
        return redirect("actionsets:process", set_slug=set_slug)
    return _process_page(request, access, options_form=form, status=400)


@login_required
@require_POST
def round_windows(request: HttpRequest, set_slug: str, number: int) -> HttpResponse:
    access = _facilitated(request, set_slug)
    rnd = permissions.get_round_or_404(access, number)
    form = PhaseWindowsForm.for_round(rnd, request.POST)
    if form.is_valid():
        try:
            services.set_phase_windows(actor=request.user, round=rnd, windows=form.windows(),
                                               ask_before_seeing=form.ask(), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Round %(number)s's phases are saved. Running airtimes follow them from now.")
                             % {"number": rnd.number})
            return redirect("actionsets:process", set_slug=set_slug)
    return _process_page(request, access, bound=form, status=400)


@login_required
def round_windows_moved(request: HttpRequest, set_slug: str, round_id: int) -> HttpResponse:
    """The id-addressed URL before issue 12 (/facilitate/process/rounds/<id>/). Facilitators only,
    like the page it leads to; a 308 so a form posted to the old address is posted again."""
    rnd = permissions.get_round_by_id_or_404(_facilitated(request, set_slug), round_id)
    return redirect("actionsets:round_windows", set_slug=set_slug, number=rnd.number, permanent=True,
                    preserve_request=True)

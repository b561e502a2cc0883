"""A round's page (check-ins, report-backs due, airtimes, process review) and a member's
continuity view. Members of the set only; each view: check → one service or selector → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..forms import (
    CheckInForm,
    ProcessReviewForm,
    ReviewSummaryForm,
    apply_service_errors,
)
from ..models import Membership, Round
from ..ratelimits import MESSAGES, over_limit
from .gate import rules_first


def get_round_by_number_or_404(access: permissions.SetAccess, number: int) -> Round:
    rnd = Round.objects.filter(action_set=access.action_set, number=number).select_related("review_summary_by").first()
    if rnd is None:
        raise Http404
    return rnd


def _round_page(request, access, rnd, *, check_in_form=None, review_form=None, summary_form=None, status=200):
    now = timezone.now()
    page = selectors.round_page(access.action_set, rnd)
    mine_in = page.mine(page.check_ins, request.user.pk)
    mine_review = page.mine(page.reviews, request.user.pk)
    can_post = permissions.can_post(access)
    return render(request, "actionsets/process/round.html", {
        "access": access, "action_set": access.action_set, "page": page, "round": rnd, "now": now,
        "round_state": rnd.state_at(now), "can_post": can_post,
        "review_open": services.review_is_open(rnd, now), "review_opens": services.review_window(rnd)[0],
        "can_guide": permissions.can_guide_process(access),
        "my_check_in": mine_in, "my_review": mine_review,
        "check_in_form": check_in_form or CheckInForm(initial={"body": mine_in.body, "energy": mine_in.energy}
                                                      if mine_in else None),
        "review_form": review_form or ProcessReviewForm(initial={"what_worked": mine_review.what_worked,
                                                                 "do_differently": mine_review.do_differently}
                                                        if mine_review else None),
        "summary_form": summary_form or ReviewSummaryForm(initial={"summary": rnd.review_summary}),
    }, status=status)


@login_required
def round_detail(request: HttpRequest, set_slug: str, number: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    if (gate := rules_first(request, access)) is not None:
        return gate
    return _round_page(request, access, get_round_by_number_or_404(access, number))


def _post(request, set_slug, number, form_class, form_name, action, success):
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    rnd = get_round_by_number_or_404(access, number)
    form = form_class(request.POST)
    if form.is_valid():
        if over_limit(request, "post"):
            form.add_error(None, MESSAGES["post"])
        else:
            try:
                action(access, rnd, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, success)
                return redirect(reverse("actionsets:round", kwargs={"set_slug": set_slug, "number": number}))
    return _round_page(request, access, rnd, status=400, **{form_name: form})


@login_required
@require_POST
def check_in(request: HttpRequest, set_slug: str, number: int) -> HttpResponse:
    return _post(request, set_slug, number, CheckInForm, "check_in_form",
                 lambda access, rnd, data: services.check_in(author=request.user, round=rnd, **data),
                 gettext_lazy("Thank you for checking in."))


@login_required
@require_POST
def process_review(request: HttpRequest, set_slug: str, number: int) -> HttpResponse:
    return _post(request, set_slug, number, ProcessReviewForm, "review_form",
                 lambda access, rnd, data: services.review_process(author=request.user, round=rnd, **data),
                 gettext_lazy("Thank you: your process review is saved."))


@login_required
@require_POST
def review_summary(request: HttpRequest, set_slug: str, number: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    if not permissions.can_guide_process(access):
        raise Http404
    return _post(request, set_slug, number, ReviewSummaryForm, "summary_form",
                 lambda access, rnd, data: services.summarise_review(actor=request.user, round=rnd,
                                                                             summary=data["summary"]),
                 gettext_lazy("The process review summary is posted for the set."))


# --- Continuity ----------------------------------------------------------------------------------


@login_required
def me(request: HttpRequest, set_slug: str) -> HttpResponse:
    permissions.get_set_or_404(request.user, set_slug)
    return redirect("actionsets:continuity", set_slug=set_slug, user_id=request.user.pk)


@login_required
def continuity(request: HttpRequest, set_slug: str, user_id: int) -> HttpResponse:
    """A member's issue across rounds. Any member of the set may read it (it is all set content
    they can already see); someone who was never in the set is a 404."""
    access = permissions.get_set_or_404(request.user, set_slug)
    if (gate := rules_first(request, access)) is not None:
        return gate
    member = (Membership.objects.filter(action_set=access.action_set, user_id=user_id).select_related("user")
              .order_by("-joined_at").first())
    if member is None:
        raise Http404
    entries = selectors.continuity_for(
        access.action_set, member, viewer_id=request.user.pk, viewer_is_facilitator=access.is_facilitator,
        now=timezone.now(),
    )
    return render(request, "actionsets/process/continuity.html", {
        "access": access, "action_set": access.action_set, "member": member, "entries": entries,
        "is_me": member.user_id == request.user.pk,
    })

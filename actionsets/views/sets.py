"""Home, the set page, its ground rules and notices, and commitments: form → check → service →
redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions, selectors, services
from ..forms import (
    CommitmentForm,
    NotificationLevelForm,
    ReportBackForm,
    apply_service_errors,
)
from ..models import ActionCommitment
from ..ratelimits import MESSAGES, over_limit
from ..services import review_is_open


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Staff in no set have nothing here ("You are not in a set yet"): their home is the staff area.
    # Staff who are members too see their sets, with the staff area in the navigation.
    if request.user.is_staff and not selectors.is_in_a_set(request.user):
        return redirect("manage:home")
    summaries, commitments = selectors.home_for(request.user, now=timezone.now())
    return render(request, "actionsets/home.html", {"summaries": summaries, "commitments": commitments})


@login_required
def set_home(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    now = timezone.now()
    page = selectors.set_home(request.user, access.action_set, now=now)
    can_present = (
        page.current is not None and page.current.state_at(now) == "open" and page.my_airtime is None
        and permissions.can_post(access)
    )
    # Only the invitation to present mentions them: no query on the usual view.
    open_commitments = selectors.open_commitment_count(request.user, access.action_set) if can_present else 0
    return render(
        request, "actionsets/set_home.html",
        {"access": access, "action_set": access.action_set, "page": page, "can_present": can_present, "now": now,
         "open_commitments": open_commitments,
         "notification_form": NotificationLevelForm(initial={"notification_level": access.membership.notification_level}),
         # The round ends with a process review: prompt everyone while it is open (no query).
         "review_open": page.current is not None and review_is_open(page.current, now)},
    )


@login_required
@require_POST
def notifications(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    form = NotificationLevelForm(request.POST)
    if form.is_valid():
        services.set_notification_level(membership=access.membership, level=form.cleaned_data["notification_level"])
        messages.success(request, f"Email from {access.action_set.name}: {access.membership.get_notification_level_display().lower()}.")
    else:
        messages.error(request, "Choose watching, normal or muted.")
    return redirect(access.action_set)


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    if request.method == "POST":
        services.accept_ground_rules(membership=access.membership)
        messages.success(request, "Thank you — you have accepted the ground rules. Welcome to the set.")
        return redirect(access.action_set)
    return render(request, "actionsets/rules.html", {"access": access, "action_set": access.action_set})


@login_required
def commitments(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    items = list(selectors.commitments_in_set(access.action_set))
    mine = [c for c in items if c.owner_id == request.user.pk]
    others = [c for c in items if c.owner_id != request.user.pk]
    return render(request, "actionsets/commitments.html",
                  {"access": access, "action_set": access.action_set, "mine": mine, "others": others,
                   "report_form": ReportBackForm()})


@login_required
@require_POST
def commitment_new(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    form = CommitmentForm(request.POST)
    status = 400
    if form.is_valid():
        if over_limit(request, "post"):
            form.add_error(None, MESSAGES["post"])
            status = 429
        else:
            try:
                services.record_commitment(owner=request.user, airtime=airtime, text=form.cleaned_data["text"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Commitment recorded. You will be asked to report back next round.")
                return redirect(f"{airtime.get_absolute_url()}#commitments")
    # Refused: the form again, with what was typed (a redirect would lose it).
    return render(request, "actionsets/commitment_new.html",
                  {"access": access, "action_set": access.action_set, "airtime": airtime, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def commitment_report(request: HttpRequest, set_slug: str, commitment_id: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    commitment = ActionCommitment.objects.select_related("airtime__round").filter(
        pk=commitment_id, airtime__action_set=access.action_set, owner=request.user
    ).first()
    if commitment is None:
        raise Http404
    form = ReportBackForm(request.POST or None, legacy_status=commitment.status, initial={
        "status": commitment.status if commitment.reported_at else None, "report_back": commitment.report_back,
        "what_happened": commitment.what_happened, "how_differed": commitment.how_differed,
        "learned": commitment.learned,
    })
    if request.method == "POST" and form.is_valid() and over_limit(request, "post"):
        form.add_error(None, MESSAGES["post"])
    elif request.method == "POST" and form.is_valid():
        try:
            services.report_back(owner=request.user, commitment=commitment, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Thank you for reporting back.")
            return redirect(request.POST.get("next") if request.POST.get("next", "").startswith(f"/sets/{set_slug}/")
                            else f"/sets/{set_slug}/commitments/")
    return render(request, "actionsets/report_back.html",
                  {"access": access, "action_set": access.action_set, "commitment": commitment, "form": form})

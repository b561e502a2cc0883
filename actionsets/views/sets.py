"""Home, the set page, its ground rules and notices, and commitments: form → check → service →
redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions, selectors, services
from ..forms import (
    CommitmentForm,
    NotificationLevelForm,
    ReportBackForm,
    SetEmailLevelsForm,
    apply_service_errors,
)
from ..models import ActionCommitment
from ..ratelimits import MESSAGES, over_limit
from ..services import review_is_open
from .common import in_sentence, same_set_path, set_context
from .gate import rules_first


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Staff in no set have nothing here ("You are not in a set yet"): their home is the staff area.
    # Staff who are members too see their sets, with the staff area in the navigation.
    if request.user.is_staff and not selectors.is_in_a_set(request.user):
        return redirect("enrolment:home")
    now = timezone.now()
    summaries, commitments = selectors.home_for(request.user, now=now)
    todos = selectors.todo_for(request.user, [s.membership for s in summaries], now=now,
                               review_window=services.review_window)
    for summary, todo in zip(summaries, todos, strict=True):
        summary.todo = todo
    return render(request, "actionsets/home.html", {"summaries": summaries, "commitments": commitments})


@login_required
def how_rounds_work(request: HttpRequest) -> HttpResponse:
    """The set process in plain words, linked wherever it is used (home, set page, phase bars)."""
    return render(request, "actionsets/how_rounds_work.html")


@login_required
def set_home(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    now = timezone.now()
    services.note_visit(membership=access.membership, now=now)  # first: the member list shows me here
    page = selectors.set_home(request.user, access.action_set, now=now)
    # The same to-do list as home's, for this set: it says whether I can still present.
    [todo] = selectors.todo_for(request.user, [access.membership], now=now, review_window=services.review_window)
    return render(
        request, "actionsets/set_home.html",
        set_context(access, page=page, todo=todo, now=now,
         notification_form=NotificationLevelForm(initial={"notification_level": access.membership.notification_level}),
         # The round ends with a process review: prompt everyone while it is open (no query).
         review_open=page.current is not None and review_is_open(page.current, now)),
    )


@login_required
@require_POST
def notifications(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    form = NotificationLevelForm(request.POST)
    if form.is_valid():
        services.set_notification_level(membership=access.membership, level=form.cleaned_data["notification_level"])
        messages.success(request, gettext("Email from %(set)s: %(level)s.") % {
            "set": access.action_set.name, "level": in_sentence(access.membership.get_notification_level_display())})
    else:
        messages.error(request, gettext("Choose watching, normal or muted."))
    return redirect(access.action_set)


def email_levels_section(*, user) -> dict:
    """Preferences' table of my sets' email levels (accounts.pages.preferences_page): one query."""
    memberships = selectors.my_memberships(user)
    return {"set_email_levels": SetEmailLevelsForm(memberships=memberships)} if memberships else {}


@login_required
@require_POST
def email_levels(request: HttpRequest) -> HttpResponse:
    """Every set's email level at once, from Preferences; the same service as the set sidebar."""
    form = SetEmailLevelsForm(request.POST, memberships=selectors.my_memberships(request.user))
    if form.is_valid():
        for membership, field in form.rows():
            services.set_notification_level(membership=membership, level=form.cleaned_data[field.name])
        messages.success(request, gettext("Email from your sets is saved."))
    else:
        messages.error(request, gettext("Choose every new post, digest and reminders, or no email for each set."))
    return redirect("account_preferences")


@login_required
@require_POST
def welcome_dismiss(request: HttpRequest, set_slug: str) -> HttpResponse:
    """The set page's first-visit welcome, dismissed: a plain form, so it works without JavaScript."""
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    services.dismiss_welcome(membership=access.membership)
    return redirect(access.action_set)


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    # Where the member was going when the gate sent them here (an email's link, say): same set only.
    next_path = same_set_path(request, access, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        services.accept_ground_rules(membership=access.membership)
        messages.success(request, gettext("Thank you — you have accepted the ground rules. Welcome to the set."))
        return redirect(next_path or access.action_set.get_absolute_url())
    return render(request, "actionsets/rules.html",
                  set_context(access, next_path=next_path))


@login_required
def commitments(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    if (gate := rules_first(request, access)) is not None:
        return gate
    items = list(selectors.commitments_in_set(access.action_set))
    mine = [c for c in items if c.owner_id == request.user.pk]
    others = [c for c in items if c.owner_id != request.user.pk]
    return render(request, "actionsets/commitments.html",
                  set_context(access, mine=mine, others=others,
                   report_form=ReportBackForm()))


@login_required
@require_POST
def commitment_new(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
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
                messages.success(request, gettext("Commitment recorded. You will be asked to report back next round."))
                return redirect(f"{airtime.get_absolute_url()}#commitments")
    # Refused: the form again, with what was typed (a redirect would lose it).
    return render(request, "actionsets/commitment_new.html",
                  set_context(access, airtime=airtime, form=form), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def commitment_report(request: HttpRequest, set_slug: str, commitment_id: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    if (gate := rules_first(request, access)) is not None:
        return gate
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
            messages.success(request, gettext("Thank you for reporting back."))
            return redirect(same_set_path(request, access, request.POST.get("next"))
                            or f"/sets/{set_slug}/commitments/")
    return render(request, "actionsets/report_back.html",
                  set_context(access, commitment=commitment, form=form))


@login_required
def member_handles(request: HttpRequest, set_slug: str) -> JsonResponse:
    """The mention autocomplete's source (static/js/mentions.js): the set's current members whose
    handle or name starts with `?q=`, as JSON. Members only, like every page of the set."""
    access = permissions.get_set_or_404(request.user, set_slug)
    return JsonResponse({"members": selectors.mention_candidates(
        access.action_set.pk, request.GET.get("q", ""), exclude_user_id=request.user.pk)})

"""The staff area (/manage/): cohorts, sets, enrolment. Staff only; everyone else gets 404.

Each view: parse → check (staff) → one service or selector → render/redirect. Pages show
figures and memberships, never set content.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from actionsets.forms import apply_service_errors

from . import planning, selectors, services
from .allocation import CONSTRAINT_LABELS
from .forms import (
    AllocationForm, AllocationMoveForm, CohortForm, FacilitatorForm, MoveForm, PersonForm, RemoveForm, SetForm, UploadForm,
)
from .services.allocations import SCOPES
from .permissions import staff_required
from .uploads import LimitedMemoryUploadHandler

PREVIEW_ROWS_SHOWN = 1000


def _page_number(request: HttpRequest, name: str) -> int:
    """?<name>=N as a page number; anything else is the first page."""
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "enrolment/home.html", {"cohorts": selectors.cohorts_overview()})


@staff_required
@require_http_methods(["GET", "POST"])
def cohort_new(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Cohort “%(name)s” created. Add its sets, then enrol people.") % {"name": cohort.name})
            return redirect("enrolment:cohort", cohort_slug=cohort.slug)
    return render(request, "enrolment/cohort_form.html", {"form": form, "cohort": None})


@staff_required
def cohort(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    cohort = selectors.get_cohort_or_404(cohort_slug)
    return render(request, "enrolment/cohort.html", {
        "cohort": cohort, "figures": selectors.cohort_figures(cohort, now=timezone.now()),
        "effects": selectors.cohort_email_effects(cohort, now=timezone.now()),
        "batches": selectors.recent_batches(cohort), "allocations": selectors.recent_allocations(cohort),
        "log": selectors.staff_log(cohort=cohort, page=_page_number(request, "log")),
        "set_form": SetForm(),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    cohort = selectors.get_cohort_or_404(cohort_slug)
    initial = {"name": cohort.name, "starts_on": cohort.starts_on, "ends_on": cohort.ends_on}
    form = CohortForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cohort(actor=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Cohort saved."))
            return redirect("enrolment:cohort", cohort_slug=cohort.slug)
    return render(request, "enrolment/cohort_form.html", {"form": form, "cohort": cohort})


@staff_required
@require_POST
def cohort_archive(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    cohort = selectors.get_cohort_or_404(cohort_slug)
    archived = request.POST.get("archived", "1") == "1"
    services.set_cohort_archived(actor=request.user, cohort=cohort, archived=archived)
    messages.success(request, gettext("Cohort archived: its sets are now read-only.") if archived
                     else gettext("Cohort restored: its sets are open for posting again."))
    return redirect("enrolment:cohort", cohort_slug=cohort.slug)


@staff_required
@require_http_methods(["GET", "POST"])
def set_new(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    cohort = selectors.get_cohort_or_404(cohort_slug)
    form = SetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action_set = services.create_set(actor=request.user, cohort=cohort, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Set “%(name)s” created.") % {"name": action_set.name})
            return redirect("enrolment:set", set_slug=action_set.slug)
    return render(request, "enrolment/set_form.html", {"form": form, "cohort": cohort, "action_set": None})


@staff_required
def set_detail(request: HttpRequest, set_slug: str) -> HttpResponse:
    action_set = selectors.get_set_or_404(set_slug)
    return render(request, "enrolment/set.html", {
        "action_set": action_set, "cohort": action_set.cohort, "members": selectors.set_members(action_set),
        "facilitator_form": FacilitatorForm(),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def set_edit(request: HttpRequest, set_slug: str) -> HttpResponse:
    action_set = selectors.get_set_or_404(set_slug)
    form = SetForm(request.POST or None, initial={"name": action_set.name}, renaming=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_set(actor=request.user, action_set=action_set, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Set renamed."))
            return redirect("enrolment:set", set_slug=action_set.slug)
    return render(request, "enrolment/set_form.html",
                  {"form": form, "cohort": action_set.cohort, "action_set": action_set})


@staff_required
@require_POST
def set_facilitator(request: HttpRequest, set_slug: str) -> HttpResponse:
    action_set = selectors.get_set_or_404(set_slug)
    form = FacilitatorForm(request.POST)
    if form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", gettext("No account uses this address. Enrol them first (Add a person)."))
        else:
            try:
                services.assign_facilitator(actor=request.user, action_set=action_set, user=user)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, gettext("%(name)s now facilitates %(set)s.") % {"name": user.name, "set": action_set.name})
                return redirect("enrolment:set", set_slug=action_set.slug)
    return render(request, "enrolment/set.html", {
        "action_set": action_set, "cohort": action_set.cohort, "members": selectors.set_members(action_set),
        "facilitator_form": form,
    }, status=400)


@staff_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    cohort = selectors.get_cohort_or_404(cohort_slug)
    sets = list(cohort.action_sets.all())
    form = PersonForm(request.POST or None, sets=sets, initial={"set_name": request.GET.get("set", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.enrol_person(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("%(email)s is enrolled; their invitation is on its way.")
                             % {"email": form.cleaned_data["email"]})
            return redirect("enrolment:cohort", cohort_slug=cohort.slug)
    return render(request, "enrolment/person_form.html", {"form": form, "cohort": cohort})


@csrf_exempt
def enrol(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    # The upload handler must be chosen before anything reads request.POST, which the CSRF
    # middleware would do first: so CSRF is checked inside, by csrf_protect (Django's pattern).
    request.upload_handlers = [LimitedMemoryUploadHandler(request)]
    return _enrol(request, cohort_slug)


@staff_required
@csrf_protect
@require_http_methods(["GET", "POST"])
def _enrol(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    cohort = selectors.get_cohort_or_404(cohort_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.preview_enrolment(
            cohort=cohort, uploaded_by=request.user, data=upload.read(), filename=upload.name,
            create_sets=form.cleaned_data["create_sets"], allocate_later=form.cleaned_data["allocate_later"],
        )
        return redirect("enrolment:batch", batch_id=batch.pk)
    return render(request, "enrolment/enrol.html", {"form": form, "cohort": cohort},
                  status=400 if form.errors else 200)


@staff_required
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.get_batch_or_404(batch_id)
    rows = batch.plan.get("rows", [])
    return render(request, "enrolment/batch.html", {
        "batch": batch, "cohort": batch.cohort, "plan": batch.plan, "totals": batch.totals,
        "rows": rows[:PREVIEW_ROWS_SHOWN], "hidden_rows": max(0, len(rows) - PREVIEW_ROWS_SHOWN),
        "error_rows": [row for row in rows if row["outcome"] == planning.ERROR],
        "labels": planning.OUTCOME_LABELS,
    })


def _commit(request: HttpRequest, commit, *, again: str):
    """Run a preview's commit service and say how it went; None when nothing was committed."""
    try:
        return commit()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except DatabaseError:  # a constraint or trigger refused a row: the transaction rolled back whole
        messages.error(request, gettext("Something changed while committing (was someone else enrolling the same "
                                        "people?). Nothing was saved: %(again)s") % {"again": again})
    return None


@staff_required
@require_POST
def batch_commit(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.get_batch_or_404(batch_id)
    done = _commit(request, lambda: services.commit_enrolment(batch=batch, actor=request.user),
                   again=gettext("upload the file again to see a fresh preview."))
    if done is not None:
        added = done.result.get("new_memberships", 0)
        left, changed = len(done.result.get("left", [])), len(done.result.get("role_changed", []))
        text = ngettext("Committed: %(count)s new membership; invitations are on their way.",
                        "Committed: %(count)s new memberships; invitations are on their way.", added) % {"count": added}
        if "left" in done.result:
            text += " " + ngettext("%(count)s membership ended,", "%(count)s memberships ended,", left) % {"count": left}
            text += " " + ngettext("%(count)s role changed.", "%(count)s roles changed.", changed) % {"count": changed}
        messages.success(request, text)
    return redirect("enrolment:batch", batch_id=batch.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def member_move(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.get_membership_or_404(membership_id)
    sets = [s for s in membership.action_set.cohort.action_sets.filter(archived=False) if s.pk != membership.action_set_id]
    form = MoveForm(request.POST or None, sets=sets)
    if request.method == "POST" and form.is_valid():
        to_set = next(s for s in sets if s.slug == form.cleaned_data["to_set"])
        try:
            services.move_member(actor=request.user, membership=membership, to_set=to_set)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("%(name)s moved to %(set)s.") % {"name": membership.user.name, "set": to_set.name})
            return redirect("enrolment:set", set_slug=to_set.slug)
    return render(request, "enrolment/member_move.html", {"membership": membership, "form": form,
                                                          "action_set": membership.action_set})


@staff_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.get_membership_or_404(membership_id)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.remove_member(actor=request.user, membership=membership, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("%(name)s removed from %(set)s. What they wrote stays in the set.")
                         % {"name": membership.user.name, "set": membership.action_set.name})
        return redirect("enrolment:set", set_slug=membership.action_set.slug)
    return render(request, "enrolment/member_remove.html", {"membership": membership, "form": form,
                                                            "action_set": membership.action_set})


@staff_required
@require_POST
def member_resend(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.get_membership_or_404(membership_id)
    try:
        services.resend_invitation(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("A new invitation is on its way to %(email)s.") % {"email": membership.user.email})
    return redirect("enrolment:set", set_slug=membership.action_set.slug)


ALLOCATION_SETS_SHOWN = 200


@staff_required
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    """Step 1 of allocating: the options. Solving runs in the request (its time limit bounds it)."""
    cohort = selectors.get_cohort_or_404(cohort_slug)
    form = AllocationForm(request.POST or None, scopes=SCOPES.items())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        span = data["span_hours"]
        options = services.AllocationOptions(
            size=data["size"], span_hours=None if span is None else float(span), scope=data["scope"],
            facilitators_per_set=data["facilitators_per_set"], time_limit=settings.ALLOCATION_TIME_LIMIT)
        try:
            allocation = services.preview_allocation(cohort=cohort, actor=request.user, options=options)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("enrolment:allocation", allocation_id=allocation.pk)
    return render(request, "enrolment/allocate.html", {
        "cohort": cohort, "form": form, "roster": selectors.roster_figures(cohort),
        "allocations": selectors.recent_allocations(cohort),
    }, status=400 if form.errors else 200)


def _allocation_page(request: HttpRequest, allocation, move_form: AllocationMoveForm, status: int = 200) -> HttpResponse:
    plan = allocation.plan
    people = plan.get("people", {})
    sets = [
        {**summary, "learners": [people[str(k)] for k in proposed["learners"]],
         "facilitator_people": [people[str(k)] for k in proposed["facilitators"]]}
        for summary, proposed in zip(plan.get("summaries", []), plan.get("sets", []))
    ]
    return render(request, "enrolment/allocation.html", {
        "allocation": allocation, "cohort": allocation.cohort, "plan": plan, "options": allocation.options,
        "sets": sets[:ALLOCATION_SETS_SHOWN], "hidden_sets": max(0, len(sets) - ALLOCATION_SETS_SHOWN),
        "costs": [(CONSTRAINT_LABELS[name], cost) for name, cost in plan.get("costs", {}).items()],
        "learner_count": sum(s["size"] for s in sets), "move_form": move_form,
        "constraint_labels": CONSTRAINT_LABELS,
    }, status=status)


@staff_required
def allocation(request: HttpRequest, allocation_id: int) -> HttpResponse:
    return _allocation_page(request, selectors.get_allocation_or_404(allocation_id), AllocationMoveForm())


@staff_required
@require_POST
def allocation_move(request: HttpRequest, allocation_id: int) -> HttpResponse:
    found = selectors.get_allocation_or_404(allocation_id)
    form = AllocationMoveForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["person"].lower()
        user_id = next((int(k) for k, p in found.plan.get("people", {}).items() if p["email"].lower() == email), None)
        if user_id is None:
            form.add_error("person", gettext("Nobody with this address is in this allocation."))
        else:
            try:
                services.move_in_allocation(allocation=found, actor=request.user, user_id=user_id,
                                            to_set=form.cleaned_data["to_set"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, gettext("Moved %(email)s to Set %(number)s; the score is updated.")
                                 % {"email": email, "number": form.cleaned_data["to_set"]})
                return redirect("enrolment:allocation", allocation_id=found.pk)
    return _allocation_page(request, found, form, status=400)


@staff_required
@require_POST
def allocation_commit(request: HttpRequest, allocation_id: int) -> HttpResponse:
    found = selectors.get_allocation_or_404(allocation_id)
    done = _commit(request, lambda: services.commit_allocation(allocation=found, actor=request.user),
                   again=gettext("allocate again to see a fresh proposal."))
    if done is not None:
        made = done.result.get("sets", 0)
        messages.success(request, ngettext("Committed: %(count)s set created; invitations are on their way.",
                                           "Committed: %(count)s sets created; invitations are on their way.", made)
                         % {"count": made})
    return redirect("enrolment:allocation", allocation_id=found.pk)

"""Reads for the staff area. Figures only: staff see counts about sets, never their content
(docs/architecture.md, section 2). Each function costs a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from actionsets.models import ActionSet, Airtime, Cohort, Membership, Reply
from actionsets.models import ModerationAction

from .models import Allocation, CohortPerson, EnrolmentBatch, Invitation

ACTIVE_DAYS = 7


def _count(queryset: QuerySet) -> Subquery:
    return Coalesce(Subquery(
        queryset.order_by().values("action_set").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
    ), 0)


def sets_with_figures(*, now: datetime) -> QuerySet:
    """Sets annotated with enrolled / accepted / active-in-the-last-7-days counts: one query.

    Each figure is its own correlated subquery, so the counts do not multiply each other's rows.
    """
    since = now - timedelta(days=ACTIVE_DAYS)
    current = Membership.objects.filter(action_set=OuterRef("pk"), left_at__isnull=True)
    posted = Q(Exists(Airtime.objects.filter(action_set=OuterRef("action_set"), presenter=OuterRef("user"),
                                             created_at__gte=since))) | Q(
        Exists(Reply.objects.filter(airtime__action_set=OuterRef("action_set"), author=OuterRef("user"),
                                    created_at__gte=since)))
    return ActionSet.objects.annotate(
        enrolled=_count(current),
        facilitators=_count(current.filter(role=Membership.Role.FACILITATOR)),
        accepted=_count(current.filter(invitation__accepted_at__isnull=False)),
        invited=_count(current.filter(invitation__isnull=False)),
        active=_count(current.filter(posted)),
    ).order_by("name")


@dataclass
class CohortFigures:
    cohort: Cohort
    sets: list
    enrolled: int
    accepted: int
    invited: int
    active: int


def cohort_figures(cohort: Cohort, *, now: datetime) -> CohortFigures:
    sets = list(sets_with_figures(now=now).filter(cohort=cohort))
    return CohortFigures(
        cohort=cohort, sets=sets, enrolled=sum(s.enrolled for s in sets), accepted=sum(s.accepted for s in sets),
        invited=sum(s.invited for s in sets), active=sum(s.active for s in sets),
    )


def cohorts_overview() -> QuerySet:
    current = Membership.objects.filter(action_set__cohort=OuterRef("pk"), left_at__isnull=True)
    enrolled = Coalesce(Subquery(
        current.order_by().values("action_set__cohort").annotate(n=Count("user", distinct=True)).values("n")[:1],
        output_field=IntegerField()), 0)
    return Cohort.objects.annotate(set_count=Count("action_sets", distinct=True), people=enrolled).order_by(
        "archived", "-starts_on", "name")


def get_cohort_or_404(slug: str) -> Cohort:
    cohort = Cohort.objects.filter(slug=slug).first()
    if cohort is None:
        raise Http404
    return cohort


def get_set_or_404(slug: str) -> ActionSet:
    action_set = ActionSet.objects.select_related("cohort").filter(slug=slug).first()
    if action_set is None:
        raise Http404
    return action_set


def get_membership_or_404(membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "action_set__cohort").filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404
    return membership


def get_batch_or_404(batch_id: int) -> EnrolmentBatch:
    batch = EnrolmentBatch.objects.select_related("cohort", "uploaded_by", "committed_by").filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def get_allocation_or_404(allocation_id: int) -> Allocation:
    allocation = Allocation.objects.select_related("cohort", "created_by", "committed_by").filter(pk=allocation_id).first()
    if allocation is None:
        raise Http404
    return allocation


@dataclass(frozen=True)
class RosterFigures:
    learners: int
    unplaced_learners: int
    unplaced_facilitators: int
    placed_learners: int


def roster_figures(cohort: Cohort) -> RosterFigures:
    """Who allocation would read: one query for the roster, one for the placed learners."""
    in_a_set = Membership.objects.current().filter(action_set__cohort=cohort, user=OuterRef("user"))
    counts = CohortPerson.objects.filter(cohort=cohort, user__is_active=True).annotate(placed=Exists(in_a_set)).aggregate(
        learners=Count("pk", filter=Q(role=Membership.Role.LEARNER)),
        unplaced_learners=Count("pk", filter=Q(role=Membership.Role.LEARNER, placed=False)),
        unplaced_facilitators=Count("pk", filter=Q(role=Membership.Role.FACILITATOR, placed=False)),
    )
    placed = Membership.objects.current().filter(action_set__cohort=cohort, role=Membership.Role.LEARNER).count()
    return RosterFigures(placed_learners=placed, **counts)


def recent_allocations(cohort: Cohort, limit: int = 5) -> list[Allocation]:
    return list(Allocation.objects.filter(cohort=cohort).select_related("created_by").defer("plan")[:limit])


def set_members(action_set: ActionSet) -> list[Membership]:
    """Current members with their invitation state. No activity per person: that is set content."""
    return list(
        Membership.objects.current().filter(action_set=action_set).select_related("user")
        .annotate(invitation_sent_at=Subquery(Invitation.objects.filter(membership=OuterRef("pk")).values("sent_at")[:1]),
                  invitation_accepted_at=Subquery(
                      Invitation.objects.filter(membership=OuterRef("pk")).values("accepted_at")[:1]),
                  has_invitation=Exists(Invitation.objects.filter(membership=OuterRef("pk"))))
        .order_by("-role", "user__display_name", "user__email")
    )


def recent_batches(cohort: Cohort, limit: int = 10) -> list[EnrolmentBatch]:
    return list(EnrolmentBatch.objects.filter(cohort=cohort).select_related("uploaded_by", "committed_by")
                .defer("plan")[:limit])


STAFF_LOG_PAGE_SIZE = 25


@dataclass(frozen=True)
class StaffLogPage:
    entries: list[ModerationAction]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def staff_log(*, cohort: Cohort, page: int = 1, per_page: int = STAFF_LOG_PAGE_SIZE) -> StaffLogPage:
    """One page of staff actions on the cohort and its sets (who, what, when), newest first.

    One query: a page asks for one row more than it shows to know whether an older page exists,
    instead of counting the whole log."""
    set_ids = ActionSet.objects.filter(cohort=cohort).values("pk")
    page = max(1, page)
    start = (page - 1) * per_page
    rows = list(
        ModerationAction.objects.filter(
            Q(action_set__in=set_ids) | Q(target_type="cohort", target_id=cohort.pk)
            | Q(target_type="enrolmentbatch", detail__cohort=cohort.pk)
            | Q(target_type="allocation", detail__cohort=cohort.pk)
        )
        # Facilitators' moderation is about set content: not shown here. Members added by a
        # file are summed up by that file's own "enrolled people" entry.
        .exclude(action__in=["hide", "restore", "lock", "unlock", "edit", "resolve_flag"])
        .exclude(action="add_member", detail__has_key="batch")
        .exclude(action__in=["add_member", "move_member", "create_set"], detail__has_key="allocation")
        .select_related("actor", "action_set").order_by("-created_at", "-pk")[start:start + per_page + 1]
    )
    return StaffLogPage(entries=rows[:per_page], number=page, has_next=len(rows) > per_page)

"""Allocating a cohort from its roster: the CSV's extra columns, preview → move → commit, the
shell command, and the must-not-share column staying with staff. Constraint satisfaction is
checked here from the committed memberships, not from the solver's own figures."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actionsets.models import ActionSet, Membership, ModerationAction
from enrolment import services
from enrolment.models import Allocation, CohortPerson, Invitation
from enrolment.services.allocations import read_roster
from tests.factories import MembershipFactory, UserFactory

from .conftest import make_csv, row_errors

HEADER = "email,display_name,set,role,timezone,department,organisation,must_not_share,requested"
ZONES = ["Europe/London", "Europe/Paris", "America/New_York", "America/Chicago"]


def roster_file(n=24, *, facilitators=4):
    rows = []
    for i in range(n):
        must_not = "boss@example.org" if i == 0 else ""
        requested = "person3@example.org" if i == 2 else ""
        rows.append((f"person{i}@example.org", f"Person {i}", "", "learner", ZONES[(i // 12) % 2 * 2 + i % 2],
                     f"Dept {i % 4}", f"Org {i % 3}", must_not, requested))
    rows.append(("boss@example.org", "The Boss", "", "learner", "Europe/London", "Dept 0", "Org 0",
                 "person0@example.org", ""))
    rows += [(f"fac{i}@example.org", f"Facilitator {i}", "", "facilitator", "Europe/London", "", "", "", "")
             for i in range(facilitators)]
    return make_csv(rows, header=HEADER)


@pytest.fixture
def rostered(cohort, staff, preview):
    batch = services.preview_enrolment(cohort=cohort, uploaded_by=staff, data=roster_file(), allocate_later=True)
    services.commit_enrolment(batch=batch, actor=staff)
    return cohort


def options(**kwargs):
    return services.AllocationOptions(**{"time_limit": 5, "span_hours": None, **kwargs})


def test_a_file_with_empty_set_cells_fills_the_roster_with_the_extra_columns(cohort, staff):
    batch = services.preview_enrolment(cohort=cohort, uploaded_by=staff, data=roster_file(), allocate_later=True)
    assert batch.totals["to_allocate"] == 29 and batch.totals["errors"] == 0
    assert not [n for n in batch.plan["notes"] if "ignored" in n]
    batch = services.commit_enrolment(batch=batch, actor=staff)
    assert Membership.objects.filter(user__email__startswith="person").count() == 0  # no set yet
    assert Invitation.objects.filter(batch=batch).count() == 0  # invited when allocated
    person = CohortPerson.objects.get(user__email="person0@example.org")
    assert (person.department, person.organisation, person.must_not_share) == ("Dept 0", "Org 0", ["boss@example.org"])
    assert CohortPerson.objects.get(user__email="person2@example.org").requested == ["person3@example.org"]
    assert CohortPerson.objects.filter(cohort=cohort, role="facilitator").count() == 4


def test_without_allocate_later_an_empty_set_cell_is_still_an_error(preview):
    batch = preview(roster_file())
    assert batch.totals["errors"] == 29
    assert any("The set is empty" in message for _, _, message in row_errors(batch))


def test_a_bad_address_in_the_must_not_share_column_is_named(cohort, staff):
    data = make_csv([("a@example.org", "A", "", "learner", "", "", "", "not-an-address", "")], header=HEADER)
    batch = services.preview_enrolment(cohort=cohort, uploaded_by=staff, data=data, allocate_later=True)
    assert [m for _, column, m in row_errors(batch) if "must_not_share" in column] == [
        "“not-an-address” is not an email address: list addresses separated by semicolons."]


def test_existing_files_import_as_before_and_also_fill_the_roster(preview, staff, cohort, action_set):
    batch = services.commit_enrolment(batch=preview(make_csv([("x@example.org", "X", "Set A", "learner")])), actor=staff)
    assert batch.result["new_memberships"] == 1
    assert CohortPerson.objects.get(user__email="x@example.org").department == ""


def _memberships(cohort):
    """Committed sets as the database has them: {set id: [users]} for sets made by allocation."""
    found = {}
    for m in Membership.objects.current().filter(action_set__cohort=cohort).select_related("user"):
        found.setdefault(m.action_set_id, []).append(m)
    return found


def test_preview_then_commit_creates_sets_memberships_and_invitations_meeting_the_constraints(
        rostered, staff, mailoutbox, django_capture_on_commit_callbacks):
    allocation = services.preview_allocation(cohort=rostered, actor=staff, options=options(span_hours=6))
    assert not ActionSet.objects.filter(cohort=rostered, name__startswith="Set ").exclude(name="Set A").exists()
    with django_capture_on_commit_callbacks(execute=True):
        allocation = services.commit_allocation(allocation=allocation, actor=staff)
    new_sets = ActionSet.objects.filter(cohort=rostered).exclude(name="Set A")
    assert allocation.result["sets"] == new_sets.count() == 4
    sets = _memberships(rostered)
    for action_set in new_sets:
        members = sets[action_set.pk]
        learners = [m.user for m in members if m.role == "learner"]
        facilitators = [m.user for m in members if m.role == "facilitator"]
        assert 5 <= len(learners) <= 8 and len(facilitators) == 1
        emails = {u.email for u in learners}
        assert not {"person0@example.org", "boss@example.org"} <= emails  # must not share
        offsets = [timezone.now().astimezone(u.tzinfo).utcoffset().total_seconds() / 3600 for u in learners]
        assert max(offsets) - min(offsets) <= 6
    together = {m.user.email: set_id for set_id, members in sets.items() for m in members}
    assert together["person2@example.org"] == together["person3@example.org"]  # requested pair
    invited = sorted(m.to[0] for m in mailoutbox)
    assert len(invited) == 29 and "person0@example.org" in invited
    log = ModerationAction.objects.filter(actor=staff)
    assert log.filter(action="allocate_cohort").count() == 1 and log.filter(action="create_set").count() == 4


def test_committing_twice_is_a_no_op(rostered, staff):
    allocation = services.preview_allocation(cohort=rostered, actor=staff, options=options())
    services.commit_allocation(allocation=allocation, actor=staff)
    before = (ActionSet.objects.count(), Membership.objects.count(), Invitation.objects.count())
    again = services.commit_allocation(allocation=allocation, actor=staff)
    assert again.is_committed
    assert (ActionSet.objects.count(), Membership.objects.count(), Invitation.objects.count()) == before
    # Nobody is left to allocate now.
    with pytest.raises(ValidationError, match="nobody to allocate"):
        services.preview_allocation(cohort=rostered, actor=staff, options=options())


def test_someone_placed_between_preview_and_commit_is_left_where_they_are(rostered, staff, action_set):
    allocation = services.preview_allocation(cohort=rostered, actor=staff, options=options())
    person = User.objects.get(email="person5@example.org")
    MembershipFactory(user=person, action_set=action_set)
    allocation = services.commit_allocation(allocation=allocation, actor=staff)
    assert person.pk in allocation.result["skipped"]
    assert list(Membership.objects.current().filter(user=person).values_list("action_set", flat=True)) == [action_set.pk]


def test_moving_a_person_between_proposed_sets_rescores_and_commit_follows_the_move(rostered, staff):
    allocation = services.preview_allocation(cohort=rostered, actor=staff, options=options())
    boss = User.objects.get(email="boss@example.org")
    victim = User.objects.get(email="person0@example.org")
    target = next(i for i, s in enumerate(allocation.plan["sets"]) if victim.pk in s["learners"])
    assert allocation.plan["costs"]["must_not_share"] == 0
    allocation = services.move_in_allocation(allocation=allocation, actor=staff, user_id=boss.pk, to_set=target + 1)
    assert allocation.plan["costs"]["must_not_share"] == 1000
    assert allocation.plan["summaries"][target]["conflicts"] == 1
    assert any(u["constraint"] == "must_not_share" and set(u["people"]) == {boss.pk, victim.pk}
               for u in allocation.plan["unmet"])
    services.commit_allocation(allocation=allocation, actor=staff)
    boss_set = Membership.objects.current().get(user=boss).action_set_id
    assert Membership.objects.current().get(user=victim).action_set_id == boss_set


def test_a_move_to_a_set_that_does_not_exist_is_refused(rostered, staff):
    allocation = services.preview_allocation(cohort=rostered, actor=staff, options=options())
    with pytest.raises(ValidationError):
        services.move_in_allocation(allocation=allocation, actor=staff, user_id=User.objects.get(
            email="boss@example.org").pk, to_set=99)


def test_allocating_all_moves_learners_already_in_a_set(rostered, staff, action_set, learner):
    allocation = services.preview_allocation(cohort=rostered, actor=staff, options=options(scope="all"))
    assert str(learner.pk) in allocation.plan["people"]
    allocation = services.commit_allocation(allocation=allocation, actor=staff)
    assert allocation.result["moved"] == 1
    old = Membership.objects.get(user=learner, action_set=action_set)
    assert old.left_at is not None
    assert Membership.objects.current().get(user=learner).action_set.name.startswith("Set ")


def test_read_roster_costs_the_same_queries_whatever_the_size(cohort, staff, learner):
    counts = []
    for size in (10, 60):
        for user in [UserFactory(email=f"r{size}-{i}@example.org") for i in range(size)]:
            CohortPerson.objects.create(cohort=cohort, user=user, must_not_share=[f"r{size}-0@example.org"])
        with CaptureQueriesContext(connection) as ctx:
            roster = read_roster(cohort, scope="all", now=timezone.now())
        counts.append(len(ctx.captured_queries))
        assert roster["pairs"]["must_not_share"]
    assert counts[0] == counts[1] == 3


def test_the_command_proposes_then_commits(rostered, staff):
    staff.is_superuser = True
    staff.save()
    out = io.StringIO()
    call_command("allocate_cohort", rostered.slug, "--size", "6", "--time-limit", "3", stdout=out, stderr=io.StringIO())
    assert "25 learners in 4 sets" in out.getvalue() and "nothing was saved" in out.getvalue()
    assert not Allocation.objects.exists()
    call_command("allocate_cohort", rostered.slug, "--commit", "--time-limit", "3", stdout=out, stderr=io.StringIO())
    assert Allocation.objects.get().is_committed and "Committed allocation" in out.getvalue()


def test_staff_allocate_through_the_pages(client_for, staff, rostered):
    client = client_for(staff)
    page = client.get(reverse("enrolment:allocate", kwargs={"cohort_slug": rostered.slug}))
    assert b"25</strong> learners not yet in a set" in page.content
    response = client.post(reverse("enrolment:allocate", kwargs={"cohort_slug": rostered.slug}),
                           {"size": 6, "span_hours": "", "scope": "unplaced", "facilitators_per_set": 1})
    allocation = Allocation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/manage/allocations/{allocation.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Score:" in page and "Must not share a set" in page
    assert page.count('<th scope="row" class="num">') == len(allocation.plan["sets"]) == 4  # one row per proposed set
    person = allocation.plan["people"][str(allocation.plan["sets"][0]["learners"][0])]["email"]
    response = client.post(reverse("enrolment:allocation_move", kwargs={"allocation_id": allocation.pk}),
                           {"person": person, "to_set": 2})
    assert response.status_code == 302
    response = client.post(reverse("enrolment:allocation_commit", kwargs={"allocation_id": allocation.pk}))
    assert response.status_code == 302
    second_set = Membership.objects.current().get(user__email=person).action_set
    assert second_set.name in {"Set 1", "Set 2", "Set 3", "Set 4"}
    assert Allocation.objects.get().is_committed


def test_the_must_not_share_column_is_never_shown_to_learners(client_for, staff, rostered):
    allocation = services.preview_allocation(cohort=rostered, actor=staff, options=options())
    services.commit_allocation(allocation=allocation, actor=staff)
    victim = User.objects.get(email="person0@example.org")
    membership = Membership.objects.current().get(user=victim)
    membership.ground_rules_accepted_at = timezone.now()
    membership.save()
    client = client_for(victim)
    pages = ["/", f"/sets/{membership.action_set.slug}/", f"/sets/{membership.action_set.slug}/rules/",
             reverse("account_preferences"), reverse("account_my_data"), reverse("account_my_data_json"),
             reverse("account_my_data_markdown")]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "boss@example.org" not in body and "must_not_share" not in body, url
    # Their set-mates do not see it either, nor the boss.
    for user in [m.user for m in Membership.objects.current().filter(action_set=membership.action_set)] + [
            User.objects.get(email="boss@example.org")]:
        other = client_for(user)
        body = other.get("/", follow=True).content.decode() + json.dumps(
            other.get(reverse("account_my_data_json")).json() if user.is_active else {})
        assert "must_not_share" not in body and "person0@example.org, boss" not in body
    # Staff see the conflict on the allocation's page only.
    page = client_for(staff).get(reverse("enrolment:allocation", kwargs={"allocation_id": allocation.pk}))
    assert page.status_code == 200


def test_deleting_an_account_takes_it_off_rosters_lists_and_plans(rostered, staff):
    from personal_data.services import delete_account

    allocation = services.preview_allocation(cohort=rostered, actor=staff, options=options())
    boss = User.objects.get(email="boss@example.org")
    delete_account(user=boss)
    assert not CohortPerson.objects.filter(user=boss).exists()
    assert CohortPerson.objects.get(user__email="person0@example.org").must_not_share == []
    allocation.refresh_from_db()
    assert "boss@example.org" not in json.dumps(allocation.plan) and "The Boss" not in json.dumps(allocation.plan)
    from enrolment.models import EnrolmentBatch
    assert not [b for b in EnrolmentBatch.objects.all() if "boss@example.org" in json.dumps(b.plan)]

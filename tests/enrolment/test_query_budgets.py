"""Query counts are part of the contract: preview and commit cost the same at 20 and 400 rows.

Preview (6): savepoint, the cohort's sets, the users named in the file (one IN query), their
memberships in the cohort, an earlier commit of the same file, the batch insert; + release.
Commit: lock the batch, the same three lookups, one bulk insert each for users, memberships,
invitations and log rows, one upsert of the cohort's roster (CohortPerson: what allocation
reads), the batch update (plus savepoints). PostgreSQL inserts any number of
rows in one statement; SQLite caps a statement at 999 parameters, so Django splits a bulk insert
there into ceil(rows / (999 // fields)) statements — counted below from Django's own batch size.
"""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from actionsets.models import Membership
from enrolment import services
from enrolment.models import CohortPerson, Invitation
from actionsets.models import ModerationAction
from tests.factories import MembershipFactory, UserFactory

from .conftest import make_csv, people

PREVIEW_QUERIES = 7
COMMIT_QUERIES = 13  # 12 with the roster (allocation), +1: the handles the new members' sets already use


def _mixed_file(size, action_set):
    """Half new people, a quarter existing people new to the set, a quarter already enrolled."""
    existing = [UserFactory(email=f"person{i}@example.org") for i in range(size // 2, size)]
    for user in existing[: len(existing) // 2]:
        MembershipFactory(user=user, action_set=action_set)
    return make_csv(people(size))


def _extra_statements(model, rows: int) -> int:
    """Statements beyond one that this backend needs to bulk-insert `rows` rows (0 on PostgreSQL)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * rows)
    return math.ceil(rows / batch) - 1 if rows else 0


@pytest.mark.parametrize("size", [20, 400])
def test_preview_query_count_is_constant(preview, action_set, size):
    data = _mixed_file(size, action_set)
    with CaptureQueriesContext(connection) as ctx:
        batch = preview(data)
    assert batch.totals["rows"] == size
    assert len(ctx.captured_queries) == PREVIEW_QUERIES, [q["sql"][:90] for q in ctx.captured_queries]


@pytest.mark.parametrize("size", [20, 400])
def test_commit_query_count_is_constant(preview, staff, action_set, size):
    batch = preview(_mixed_file(size, action_set))
    new_users, new_members = batch.totals["new_users"], batch.totals["new_memberships"]
    with CaptureQueriesContext(connection) as ctx:
        batch = services.commit_enrolment(batch=batch, actor=staff)
    assert batch.result["new_memberships"] == new_members == size - size // 4
    roster = batch.totals["new_memberships"] + batch.totals["already_enrolled"]
    split = (_extra_statements(User, new_users) + _extra_statements(Membership, new_members)
             + _extra_statements(CohortPerson, roster)
             + _extra_statements(Invitation, new_members) + _extra_statements(ModerationAction, new_members + 1))
    assert len(ctx.captured_queries) == COMMIT_QUERIES + split, [q["sql"][:90] for q in ctx.captured_queries]


def test_commit_is_a_single_statement_per_table_on_postgresql(preview, staff, action_set):
    from tests.integration import require_postgres

    require_postgres()
    batch = preview(_mixed_file(400, action_set))
    with CaptureQueriesContext(connection) as ctx:
        services.commit_enrolment(batch=batch, actor=staff)
    assert len(ctx.captured_queries) == COMMIT_QUERIES


def _grow_cohort(cohort, staff, sets: int, per_set: int):
    from actionsets import services as set_services
    from tests.factories import ActionSetFactory, RoundFactory

    for n in range(sets):
        action_set = ActionSetFactory(cohort=cohort)
        round_ = RoundFactory(action_set=action_set, number=1)
        members = [MembershipFactory(action_set=action_set).user for _ in range(per_set)]
        set_services.present_airtime(presenter=members[0], action_set=action_set, title="t", body="b")
        assert round_.is_open
    services.enrol_person(cohort=cohort, actor=staff, email=f"new{sets}@example.org", display_name="N",
                          set_name=cohort.action_sets.first().name, role="learner")


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# Cohort page (9): session, user, cohort, sets with their figures (one query of correlated
# subqueries), recent batches, recent allocations, staff log (the cohort's sets are a subquery
# inside it); + 2 for "do the emails help?" (engagement/effects.py).
# Set page (4): session, user, set+cohort, members with invitation state.
# Home (3): session, user, cohorts with counts.
@pytest.mark.parametrize("size", [2, 12])
def test_staff_pages_query_counts_are_constant(client_for, staff, cohort, size):
    _grow_cohort(cohort, staff, sets=size, per_set=size)
    client = client_for(staff)
    action_set = cohort.action_sets.first()
    assert _page_queries(client, f"/manage/cohorts/{cohort.slug}/") == 10  # each +1: the header's unread notifications
    assert _page_queries(client, f"/manage/sets/{action_set.slug}/") == 5
    assert _page_queries(client, "/manage/") == 4

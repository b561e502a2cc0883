"""Query counts are part of the contract: preview and commit cost the same at 20 and 400 rows.

Preview (6): savepoint, the cohort's sets, the users named in the file (one IN query), their
memberships in the cohort, an earlier commit of the same file, the batch insert; + release.
Commit: lock the batch, the same three lookups, one bulk insert each for users, memberships,
invitations and log rows, the batch update (plus savepoints). PostgreSQL inserts any number of
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
from enrolment.models import Invitation
from facilitation.models import ModerationAction
from tests.factories import MembershipFactory, UserFactory

from .conftest import make_csv, people

PREVIEW_QUERIES = 7
COMMIT_QUERIES = 11


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
    split = (_extra_statements(User, new_users) + _extra_statements(Membership, new_members)
             + _extra_statements(Invitation, new_members) + _extra_statements(ModerationAction, new_members + 1))
    assert len(ctx.captured_queries) == COMMIT_QUERIES + split, [q["sql"][:90] for q in ctx.captured_queries]


def test_commit_is_a_single_statement_per_table_on_postgresql(preview, staff, action_set):
    from tests.integration import require_postgres

    require_postgres()
    batch = preview(_mixed_file(400, action_set))
    with CaptureQueriesContext(connection) as ctx:
        services.commit_enrolment(batch=batch, actor=staff)
    assert len(ctx.captured_queries) == COMMIT_QUERIES

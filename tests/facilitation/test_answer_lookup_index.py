"""The "has the presenter answered this question?" lookup has its own index and uses it.

Without the (in_reply_to, author) index SQLite answered the dashboard's response-rate query by
walking every reply of the presenter for each question: 90 ms instead of 1 ms on the benchmark's
2,000-reply set (docs/benchmarks.md).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionsets.models import Reply
from facilitation import analytics


def test_the_index_exists(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Reply._meta.db_table)
    index = constraints["reply_answer_lookup"]
    assert index["index"] and index["columns"] == ["in_reply_to_id", "author_id"]


def test_the_response_rate_query_uses_it_on_sqlite(action_set):
    if connection.vendor != "sqlite":  # PostgreSQL plans from statistics; EXPLAIN there is in bench/
        return
    with CaptureQueriesContext(connection) as ctx:
        list(analytics._response_rows(action_set, None))
    [sql] = [q["sql"] for q in ctx.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "reply_answer_lookup" in plan, plan

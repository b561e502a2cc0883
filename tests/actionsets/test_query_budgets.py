"""Query counts are part of the contract: the same budget at 5 and at 200 replies/members.

Every page with the header also counts my unread notifications (one small COUNT, issue 14).

Thread page (11): session, user, membership+set, airtime, replies (one ordered query on the
materialised path), every reader's read marker (mine, and "read by"), facilitator ids, this
airtime's commitments, earlier commitments, my drafts in the thread (issue 14), the header's
count. The presenter's (and a facilitator's) view adds one: who they have knocked
(engagement/knocks.py). Set page (13): session, user, membership+set, the header's count,
rounds, members, airtimes with read state, who has posted this round, and the to-do list's five
(actionsets/selectors/todo.py: rounds with my check-in and review, open airtimes with my last
question, waiting replies, questions ask-before-you-see may withhold, my open commitments) — the
same whether or not the page invites me to present. The first visit of a day also writes the
member's last-visit day (one UPDATE; a second visit that day writes nothing). Home (12): session, user,
the header's count,
memberships with unread counts, rounds, my airtimes, my open commitments, and the to-do list's five
for all my sets at once.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionsets import services
from actionsets.models import Membership
from tests.factories import MembershipFactory


def _grow(airtime, action_set, *, replies, members):
    people = [MembershipFactory(action_set=action_set).user for _ in range(members)]
    parent = None
    for n in range(replies):
        author = people[n % len(people)]
        reply = services.post_reply(author=author, airtime=airtime, body=f"Question {n}?", parent=parent)
        parent = reply if n % 3 else None
    for person in people:  # more airtimes and members at the larger size
        services.present_airtime(presenter=person, action_set=action_set, title="Another", body="More")


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [5, 200])
def test_thread_page_query_count_is_constant(client, airtime, action_set, learner2, size):
    _grow(airtime, action_set, replies=size, members=max(3, size // 20))
    client.force_login(learner2)
    client.get(airtime.get_absolute_url())  # first visit writes the read marker
    assert _count(client, airtime.get_absolute_url()) == 11  # 9 + the reader's drafts (issue 14) + the header's unread notifications


@pytest.mark.parametrize("size", [5, 200])
def test_presenters_thread_page_with_read_by_and_knocks_is_constant(client, airtime, action_set, learner, size):
    from engagement.models import Knock

    _grow(airtime, action_set, replies=size, members=max(3, size // 20))
    for member in Membership.objects.filter(action_set=action_set).exclude(user=learner)[:3]:
        Knock.objects.create(airtime=airtime, user=member.user, knocked_by=learner)
    client.force_login(learner)
    client.get(airtime.get_absolute_url())
    assert _count(client, airtime.get_absolute_url()) == 12  # + drafts (14), the header's notifications (14), who was knocked (19)


@pytest.mark.parametrize("size", [5, 200])
def test_set_page_query_count_is_constant(client, airtime, action_set, learner2, size):
    _grow(airtime, action_set, replies=size, members=max(3, size // 20))
    services.present_airtime(presenter=learner2, action_set=action_set, title="Mine", body="Presented already")
    client.force_login(learner2)
    client.get(action_set.get_absolute_url())  # the day's first visit writes the last-visit day
    assert _count(client, action_set.get_absolute_url()) == 13  # + the header's unread notifications


@pytest.mark.parametrize("size", [5, 200])
def test_set_page_inviting_to_present_costs_the_same(client, airtime, action_set, size):
    _grow(airtime, action_set, replies=size, members=max(3, size // 20))
    newcomer = MembershipFactory(action_set=action_set).user  # has not presented this round
    client.force_login(newcomer)
    client.get(action_set.get_absolute_url())
    assert _count(client, action_set.get_absolute_url()) == 13  # + the header's unread notifications


@pytest.mark.parametrize("size", [5, 200])
def test_home_query_count_is_constant(client, airtime, action_set, learner2, size, other_set):
    _grow(airtime, action_set, replies=size, members=max(3, size // 20))
    MembershipFactory(action_set=other_set, user=learner2, role=Membership.Role.LEARNER)
    client.force_login(learner2)
    assert _count(client, "/") == 12  # +1: the header's unread notifications


def test_reading_an_unchanged_thread_writes_nothing(client, airtime, learner2):
    client.force_login(learner2)
    client.get(airtime.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        client.get(airtime.get_absolute_url())
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []


def test_thread_page_renders_no_markdown(client, airtime, learner2, monkeypatch):
    from cmarkgfm import cmark

    def _fail(*args, **kwargs):
        raise AssertionError("markdown rendered during a page view")

    monkeypatch.setattr(cmark, "markdown_to_html_with_extensions", _fail)
    client.force_login(learner2)
    assert client.get(airtime.get_absolute_url()).status_code == 200


def _post_reply(client, airtime, body):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(airtime.get_absolute_url() + "reply/", {"body": body})
    assert response.status_code == 302, response.content[:500]
    return ctx.captured_queries


@pytest.mark.parametrize("size", [5, 200])
def test_reply_post_query_count_is_constant(client, airtime, action_set, learner2, size):
    """Posting a reply (POST …/reply/): the view loads the membership once and hands that access to
    the service, which no longer loads it again (issue 12, part 6)."""
    _grow(airtime, action_set, replies=size, members=max(3, size // 20))
    client.force_login(learner2)
    _post_reply(client, airtime, "A first question?")  # the first post writes the read marker
    queries = _post_reply(client, airtime, "What have you tried so far?")
    assert len(queries) == REPLY_POST_QUERIES, "\n".join(q["sql"][:150] for q in queries)
    membership_reads = [q["sql"] for q in queries if MEMBERSHIP_READ.search(q["sql"])]
    assert len(membership_reads) == 1, membership_reads


# Reply POST (12): session, user, membership+set, airtime; in the transaction (savepoint here, a
# transaction outside tests): the airtime locked, the reply count for the path, the reply, the
# airtime's counters, the read marker read and moved, the release. Before issue 12 the service
# loaded the membership a second time (13). Issue 14 adds one: the draft of the place posted to is
# deleted in the same transaction; issue 15 another: the reply's search document is written too,
# one upsert with its full-text vector (docs/search.md): 14.
REPLY_POST_QUERIES = 14
MEMBERSHIP_READ = re.compile(r'^\s*SELECT\b.*\bFROM\s+"?actionsets_membership"?', re.S)


def test_reply_post_works_out_the_allowed_kinds_once(client, airtime, learner2, monkeypatch):
    """The walk of a reply decides which kinds this member may post once per request: in the
    service, under the airtime's lock (the view no longer works them out for its form). Counted by
    passing each call through to the real rule in both places that may call it."""
    from actionsets import permissions, reply_checks

    calls = []
    real = permissions.allowed_reply_kinds

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(permissions, "allowed_reply_kinds", counted)
    monkeypatch.setattr(reply_checks, "allowed_reply_kinds", counted)
    client.force_login(learner2)
    _post_reply(client, airtime, "What have you tried so far?")
    assert len(calls) == 1

"""The set page's hand-written list query answers exactly what the ORM's read-state query does.

`selectors.listed_airtimes` is one SQL statement written out (the ORM spent longer building the
statement than the database spent running it); this holds it to `airtimes_with_read_state` over
the states that matter: never opened, read, new replies by others, my own replies, hidden ones,
another user's markers, another set's airtimes. Runs on SQLite and on PostgreSQL.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from actionsets import selectors, services
from actionsets.models import Reply
from tests.factories import MembershipFactory, RoundFactory


def _orm(user, action_set):
    return [
        (a.pk, a.title, a.reply_count, a.last_read_at, a.new_reply_count)
        for a in selectors.airtimes_with_read_state(user, action_set=action_set).order_by("created_at", "pk")
    ]


def _hand_written(user, action_set):
    return [(a.pk, a.title, a.reply_count, a.last_read_at, a.new_reply_count)
            for a in selectors.listed_airtimes(user, action_set)]


@pytest.fixture
def busy_set(action_set, open_round, learner, learner2, other_set):
    now = timezone.now()
    people = [learner, learner2] + [MembershipFactory(action_set=action_set).user for _ in range(3)]
    airtimes = [
        services.present_airtime(presenter=p, action_set=action_set, title=f"Airtime {i}", body="Body",
                                 now=now - timedelta(hours=10 - i))
        for i, p in enumerate(people[:4])
    ]
    for i, airtime in enumerate(airtimes):
        others = [p for p in people if p.pk != airtime.presenter_id]
        for n in range(i * 3):
            services.post_reply(author=others[n % len(others)], airtime=airtime, body=f"Question {n}?",
                                now=now - timedelta(hours=5 - n * 0.1))
    return action_set, airtimes, people


def test_hand_written_list_equals_the_orm_in_every_read_state(busy_set, other_set, learner):
    action_set, airtimes, people = busy_set
    viewer = people[1]
    # Read one thread part-way, one fully, leave the rest unopened; hide a reply; another user reads too.
    replies = list(Reply.objects.filter(airtime=airtimes[3]).order_by("created_at"))
    services.mark_read(user=viewer, airtime=airtimes[3], at=replies[3].created_at)
    services.mark_read(user=viewer, airtime=airtimes[2], at=timezone.now())
    services.mark_read(user=people[2], airtime=airtimes[1], at=timezone.now() - timedelta(days=3))
    Reply.objects.filter(pk=replies[-1].pk).update(hidden=True)
    RoundFactory(action_set=other_set, number=1)
    MembershipFactory(action_set=other_set, user=viewer)
    services.present_airtime(presenter=viewer, action_set=other_set, title="Elsewhere", body="Not listed")

    for user in people:
        assert _hand_written(user, action_set) == _orm(user, action_set)
    listed = _hand_written(viewer, action_set)
    assert len(listed) == 4
    assert [row[0] for row in listed] == [a.pk for a in airtimes]  # oldest first
    assert any(row[3] is None for row in listed) and any(row[4] > 0 for row in listed)


def test_list_defers_the_bodies(busy_set):
    action_set, airtimes, people = busy_set
    [first, *_] = selectors.listed_airtimes(people[0], action_set)
    assert {"body", "body_html"} <= first.get_deferred_fields()

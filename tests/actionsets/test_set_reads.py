"""The set pages' reads and the membership gate: what each returns in every state that matters.

These were hand-written SQL once (tests then held them equal to the ORM); they are ORM queries
again, so what is held here is the behaviour: order, which rows, the read state, the types.
Runs on SQLite and on PostgreSQL.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from actionsets import permissions, selectors, services
from actionsets.models import Airtime, ReadMarker, Reply
from tests.factories import ActionSetFactory, MembershipFactory, RoundFactory


# --- rounds and memberships ---------------------------------------------------------------

def test_rounds_of_lists_the_sets_rounds_in_order(action_set, other_set):
    for number in (3, 1, 2):
        RoundFactory(action_set=action_set, number=number, ask_before_seeing=number == 2)
    RoundFactory(action_set=other_set, number=1)
    found = selectors.rounds_of(action_set)
    assert [r.number for r in found] == [1, 2, 3]
    assert {r.action_set_id for r in found} == {action_set.pk}
    assert [r.ask_before_seeing for r in found] == [False, True, False]
    assert all(timezone.is_aware(r.opens_at) for r in found)


def test_memberships_with_users_include_past_members(action_set, other_set, learner, facilitator,
                                                      django_assert_num_queries):
    left = MembershipFactory(action_set=action_set, left_at=timezone.now() - timedelta(days=2),
                             ground_rules_accepted_at=timezone.now())
    MembershipFactory(action_set=other_set)
    with django_assert_num_queries(1):  # the users come in the same query
        found = selectors.memberships_with_users(action_set.pk)
        names = [m.user.email for m in found]
    assert [m.pk for m in found] == sorted(m.pk for m in found)
    assert {m.user_id for m in found} == {learner.pk, facilitator.pk, left.user_id}
    assert left.user.email in names
    assert [m.is_current for m in found].count(False) == 1


# --- the membership gate -------------------------------------------------------------------

@pytest.fixture
def archived_set(action_set, learner):
    archived = ActionSetFactory(slug="old-set", archived=True, cohort=action_set.cohort,
                                ask_before_seeing=True, self_managed=True, self_managed_from_round=2)
    MembershipFactory(action_set=archived, user=learner, ground_rules_accepted_at=timezone.now())
    return archived


def test_gate_finds_only_a_current_membership(action_set, other_set, learner, facilitator, archived_set):
    left = MembershipFactory(action_set=other_set, left_at=timezone.now() - timedelta(days=1)).user
    gate = permissions._current_membership_by_slug
    assert gate(learner.pk, action_set.slug).user_id == learner.pk
    assert gate(facilitator.pk, action_set.slug).is_facilitator
    assert gate(learner.pk, "old-set").action_set == archived_set
    assert gate(left.pk, other_set.slug) is None           # left the set
    assert gate(learner.pk, other_set.slug) is None        # never a member
    assert gate(learner.pk, "no-such-set") is None
    assert gate(facilitator.pk, "old-set") is None


def test_gate_loads_set_and_cohort_in_one_query(archived_set, learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        membership = permissions._current_membership_by_slug(learner.pk, "old-set")
        assert membership.action_set.cohort.pk == archived_set.cohort_id
    assert membership.action_set.archived is True and membership.action_set.ask_before_seeing is True
    assert timezone.is_aware(membership.ground_rules_accepted_at) and timezone.is_aware(membership.joined_at)
    assert membership.action_set.self_managed_from_round == 2


# --- the set page's airtime list -----------------------------------------------------------

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


def _expected_new(user, airtime, read_at):
    return Reply.objects.filter(airtime=airtime, hidden=False, created_at__gt=read_at).exclude(author=user).count()


def test_list_has_each_airtimes_read_state(busy_set, other_set):
    action_set, airtimes, people = busy_set
    viewer = people[1]
    # Read one thread part-way, one fully, leave the rest unopened; hide a reply; another user reads too.
    replies = list(Reply.objects.filter(airtime=airtimes[3]).order_by("created_at"))
    services.mark_read(user=viewer, airtime=airtimes[3], at=replies[3].created_at)
    services.mark_read(user=viewer, airtime=airtimes[2], at=timezone.now())
    long_ago = timezone.now() - timedelta(days=3)
    services.mark_read(user=people[2], airtime=airtimes[1], at=long_ago)
    Reply.objects.filter(pk=replies[-1].pk).update(hidden=True)
    RoundFactory(action_set=other_set, number=1)
    MembershipFactory(action_set=other_set, user=viewer)
    services.present_airtime(presenter=viewer, action_set=other_set, title="Elsewhere", body="Not listed")

    listed = selectors.listed_airtimes(viewer, action_set)
    assert [a.pk for a in listed] == [a.pk for a in airtimes]  # oldest first, this set only
    by_pk = {a.pk: a for a in listed}
    assert by_pk[airtimes[0].pk].last_read_at is None and by_pk[airtimes[0].pk].new_reply_count == 0
    assert by_pk[airtimes[1].pk].last_read_at != long_ago   # another user's marker is not mine
    assert by_pk[airtimes[2].pk].new_reply_count == 0       # read fully
    part = by_pk[airtimes[3].pk]
    marker = ReadMarker.objects.get(user=viewer, airtime=airtimes[3]).last_read_at
    assert part.last_read_at == marker and timezone.is_aware(part.last_read_at)
    # New: replies by others after my marker, not the hidden one, not my own.
    later = Reply.objects.filter(airtime=airtimes[3], created_at__gt=marker)
    assert part.new_reply_count == later.exclude(author=viewer).count() - 1 > 0
    for user in people:  # each reader's state is their own
        for a in selectors.listed_airtimes(user, action_set):
            marker = a.last_read_at
            assert a.new_reply_count == (_expected_new(user, a, marker) if marker else 0)


def test_list_defers_the_bodies_and_joins_nothing(busy_set, django_assert_num_queries):
    action_set, airtimes, people = busy_set
    with django_assert_num_queries(1):
        [first, *_] = selectors.listed_airtimes(people[0], action_set)
    assert {"body", "body_html"} <= first.get_deferred_fields()


# --- the set page's airtime rows: display values made once in the selector ------------------

def _rows(user, action_set, now):
    page = selectors.set_home(user, action_set, now=now)
    return {a.pk: a for rows in page.airtimes_by_round.values() for a in rows}


def test_rows_carry_what_the_row_shows_for_this_reader(busy_set):
    action_set, airtimes, people = busy_set
    presenter, reader = people[3], people[1]
    now = timezone.now()
    replies = list(Reply.objects.filter(airtime=airtimes[3]).order_by("created_at"))
    services.mark_read(user=reader, airtime=airtimes[3], at=replies[3].created_at)
    services.mark_read(user=reader, airtime=airtimes[2], at=now)
    Airtime.objects.filter(pk=airtimes[1].pk).update(locked=True)

    mine = _rows(presenter, action_set, now)[airtimes[3].pk]
    assert mine.row_meta.startswith(f"{presenter.name} (you) · 9 replies · last activity ")
    assert mine.row_url == f"/sets/{action_set.slug}/airtime/{airtimes[3].pk}/"

    rows = _rows(reader, action_set, now)
    assert "(you)" not in rows[airtimes[3].pk].row_meta      # one reader's row is not another's
    marker = ReadMarker.objects.get(user=reader, airtime=airtimes[3]).last_read_at
    new = _expected_new(reader, airtimes[3], marker)
    assert new > 0
    assert (rows[airtimes[3].pk].row_badge, rows[airtimes[3].pk].row_unread) == (f"{new} new", True)
    assert (rows[airtimes[2].pk].row_badge, rows[airtimes[2].pk].row_unread) == ("", False)  # read
    assert (rows[airtimes[0].pk].row_badge, rows[airtimes[0].pk].row_unread) == ("New", True)  # never opened
    assert rows[airtimes[0].pk].row_meta.endswith(" · 0 replies · last activity 10 hours ago")
    assert rows[airtimes[1].pk].row_meta.endswith(" ago · locked")


def test_set_page_escapes_a_presenters_name_in_the_row(busy_set, client):
    action_set, airtimes, people = busy_set
    presenter = people[0]
    presenter.display_name = "<b>Bold</b> & co"
    presenter.save(update_fields=["display_name"])
    client.force_login(people[1])
    html = client.get(action_set.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co · 0 replies" in html
    assert "<b>Bold</b>" not in html

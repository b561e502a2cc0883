"""The dashboard's figures against values worked out by hand on the small set (conftest.py)."""

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from actionsets.selectors import rounds_of
from facilitation import analytics, stats


@pytest.fixture
def board(small_set):
    return analytics.dashboard(small_set.action_set, rounds=rounds_of(small_set.action_set), scope=None,
                               now=timezone.now())


def by_name(board):
    return {m.user.display_name: m for m in board.members if m.user.display_name}


def test_gini_of_a_known_distribution():
    # Posts per learner [3, 2, 2, 0]: Σ|xi−xj| over ordered pairs = 18, n = 4, mean = 7/4.
    assert stats.gini([3, 2, 2, 0]) == pytest.approx(18 / (2 * 16 * 7 / 4))          # 0.3214
    assert stats.gini_normalised([3, 2, 2, 0]) == pytest.approx(3 / 7)                # G·4/3
    assert stats.gini_normalised([5, 5, 5]) == 0
    assert stats.gini_normalised([6, 0, 0]) == pytest.approx(1.0)                      # one member does it all
    assert stats.gini([4]) is None and stats.gini([0, 0]) is None


def test_evenness_counts_silent_members():
    h = -(3 / 7 * math.log(3 / 7) + 2 * (2 / 7) * math.log(2 / 7))
    assert stats.evenness([3, 2, 2, 0]) == pytest.approx(h / math.log(4))             # 0.7783
    assert stats.evenness([1, 1, 1, 1]) == pytest.approx(1.0)
    assert stats.evenness([5, 0]) == pytest.approx(0.0)


def test_posts_words_and_kinds_per_member(board):
    m = by_name(board)
    assert (m["Ann"].airtimes, m["Ann"].replies, m["Ann"].posts) == (1, 2, 3)
    assert (m["Ben"].posts, m["Cat"].posts, m["Dee"].posts) == (2, 2, 0)
    assert m["Ann"].by_kind == {"question": 1, "reflection": 0, "response": 1, "summary": 0}
    assert m["Cat"].by_kind["reflection"] == 1
    # "We miss deadlines." 3 + "What would success look like?" 5 + "Not yet: I am afraid of the answer." 8
    assert m["Ann"].words == 16


def test_hidden_replies_count_in_participation_and_are_marked(board):
    cat = by_name(board)["Cat"]
    assert cat.replies == 2 and cat.hidden == 1


def test_equity_over_learners_is_flagged_above_0_4(board):
    equity = board.equity_posts
    assert (equity.n, equity.total, equity.top) == (4, 7, 3)
    assert equity.g_star == pytest.approx(3 / 7) and equity.flagged
    assert "3 of the 7 posts" in equity.reading


def test_who_replies_to_whom(board):
    m = by_name(board)
    names = [member.user.display_name for member in board.members]
    rows = {author.user.display_name: {c["target"].user.display_name: c["n"] for c in cells}
            for author, cells in board.matrix}
    assert rows["Ben"]["Ann"] == 1          # q1 on Ann's airtime
    assert rows["Cat"]["Ann"] == 2          # q2 and x1 on Ann's airtime
    assert rows["Ann"]["Ben"] == 2          # q3 on Ben's airtime, r1 answering Ben's q1
    assert rows["Ann"]["Ann"] is None       # the diagonal is nobody's
    assert (m["Ann"].given, m["Ann"].received) == (2, 4)   # received: Ben 1, Cat 2, facilitator 1
    assert (m["Dee"].given, m["Dee"].received) == (0, 0)
    assert len(names) == 5


def test_process_quality(board, small_set):
    t = board.totals
    assert t["help_replies"] == 4                                  # q1 q2 q3 x1
    assert t["question_share"] == pytest.approx(0.75)
    assert t["reflection_share"] == pytest.approx(0.25)
    assert (t["advice"], t["disguised"]) == (1, 1)                 # q1: "Have you tried…"
    assert t["asks"] == 3
    # Questions from others: on a1 q1, q2 (Ann answered q1); on a2 q3 (Ben answered none).
    assert (t["questions_received"], t["questions_answered"]) == (3, 1)
    assert t["response_rate"] == pytest.approx(1 / 3)
    assert by_name(board)["Ann"].response_rate == pytest.approx(0.5)
    # First reply by someone else: a1 after 2 h (q1), a2 after 3 h (q3): median 2.5 h.
    assert board.first_reply["median"] == timedelta(hours=2, minutes=30)
    assert analytics.as_hours(board.first_reply["median"]) == 2.5


def test_one_round_at_a_time(small_set):
    from actionsets import services
    from tests.factories import RoundFactory

    small_set.round.closes_at = timezone.now() - timedelta(minutes=1)
    small_set.round.save()
    later = RoundFactory(action_set=small_set.action_set, number=2, opens_at=timezone.now() - timedelta(seconds=30))
    services.present_airtime(presenter=small_set.dee, action_set=small_set.action_set, title="Mine", body="One two")
    rounds = rounds_of(small_set.action_set)
    whole = analytics.dashboard(small_set.action_set, rounds=rounds, scope=None, now=timezone.now())
    two = analytics.dashboard(small_set.action_set, rounds=rounds, scope=later, now=timezone.now())
    assert by_name(whole)["Dee"].posts == 1 and by_name(whole)["Ann"].posts == 3
    assert by_name(two)["Dee"].posts == 1 and by_name(two)["Ann"].posts == 0
    assert [m.user.display_name for m in two.silent] == ["Ann", "Ben", "Cat"]


def _set_with_posts(action_set, posts: list[int], *, joined, opens_at):
    """Learners joined at `joined`, each presenting once and asking (posts − 1) questions on the first airtime."""
    from actionsets import services as set_services
    from tests.factories import MembershipFactory, RoundFactory

    rnd = RoundFactory(action_set=action_set, number=1, opens_at=opens_at)
    people = [MembershipFactory(action_set=action_set, joined_at=joined, user__display_name=f"L{i}").user
              for i in range(len(posts))]
    t0 = opens_at + timedelta(hours=1)
    airtimes = [set_services.present_airtime(presenter=p, action_set=action_set, title="Issue", body="My issue.",
                                             now=t0) for p in people]
    for person, n in zip(people, posts):
        for _ in range(n - 1):
            set_services.post_reply(author=person, airtime=airtimes[0] if person != people[0] else airtimes[1],
                                    body="What have you tried?", now=t0 + timedelta(hours=1))
    return rnd


def test_a_member_who_joined_yesterday_does_not_move_equity(action_set):
    now = timezone.now()
    rnd = _set_with_posts(action_set, [1, 1, 2, 3, 3], joined=now - timedelta(days=6), opens_at=now - timedelta(days=5))
    before = analytics.dashboard(action_set, rounds=[rnd], scope=rnd, now=now).equity_posts
    assert before.g_star == pytest.approx(0.30, abs=0.005) and before.left_out == 0
    # With the newcomer counted as a silent member, G* would read 0.44: "a few members are carrying it".
    assert stats.gini_normalised([1, 1, 2, 3, 3, 0]) == pytest.approx(0.44, abs=0.005)

    from tests.factories import MembershipFactory
    MembershipFactory(action_set=action_set, joined_at=now - timedelta(days=1), user__display_name="New")
    for scope in (rnd, None):
        after = analytics.dashboard(action_set, rounds=[rnd], scope=scope, now=now).equity_posts
        assert (after.n, after.left_out) == (5, 1)
        assert after.g_star == pytest.approx(0.30, abs=0.005) and not after.flagged
        assert "Counted over the 5 learners who were members when round 1 opened; 1 who joined later is not counted." \
            in after.reading

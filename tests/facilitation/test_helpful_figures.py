"""The dashboard's "questions that helped" figures against the small set (conftest.py), by hand:
Ann marks Cat's q2 on her airtime a1 (posted 4 h after a1); Ben marks Ann's q3 on a2 (posted 3 h
after a2). Ben's q1 stays unmarked. So 2 of the 3 questions put to others helped."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionsets import services
from actionsets.selectors import rounds_of
from facilitation import analytics, exports


@pytest.fixture
def board(small_set):
    s = small_set
    services.mark_helpful(presenter=s.ann, reply=s.q2, why="I had not asked myself that", visibility="private")
    services.mark_helpful(presenter=s.ben, reply=s.q3)
    return analytics.dashboard(s.action_set, rounds=rounds_of(s.action_set), scope=None, now=timezone.now())


def test_helpful_share_by_member(board, small_set):
    figures = {m.user.display_name: (m.asked_others, m.helped, m.helpful_share) for m in board.members
               if m.user.display_name}
    assert figures["Ben"] == (1, 0, 0.0)
    assert figures["Cat"] == (1, 1, 1.0)
    assert figures["Ann"] == (1, 1, 1.0)
    assert figures["Dee"] == (0, 0, None)     # asked nothing: no share, not 0 %


def test_helpful_share_by_kind_and_overall(board, small_set):
    s = small_set
    expected = {}
    for q, helped in ((s.q1, 0), (s.q2, 1), (s.q3, 1)):
        asked_n, helped_n = expected.get(q.kind, (0, 0))
        expected[q.kind] = (asked_n + 1, helped_n + helped)
    got = {row["kind"]: (row["asked"], row["helped"]) for row in board.helpful.by_kind if row["asked"]}
    assert got == expected
    assert (board.helpful.helped, board.helpful.asked) == (2, 3)
    assert board.helpful.share == pytest.approx(2 / 3)


def test_which_questions_helped_their_openness_and_time_to_the_first(board, small_set):
    h = board.helpful
    assert [m.reply for m in h.marks] == [small_set.q2, small_set.q3]
    assert [m.openness for m in h.marks] == ["open", "open"]
    assert h.openness == {"open": 2, "closed": 0, "other": 0}
    assert h.airtimes_marked == 2
    assert h.first_median == timedelta(hours=3.5)   # median of 4 h (a1) and 3 h (a2)


def test_dashboard_page_and_csv_label_the_figures(client, board, small_set):
    client.force_login(small_set.facilitator)
    page = client.get(reverse("facilitation:dashboard", args=[small_set.action_set.slug])).content.decode()
    assert "Questions that helped" in page and "presenters' own marks" in page
    assert "What matters most to you here?" in page and "I had not asked myself that" in page
    assert "Median time from an airtime being presented" in page
    csv = exports.dashboard_csv(board)
    assert "questions to others,marked helpful by the presenter" in csv
    assert "helpful share of questions to others,0.667" in csv


def test_learners_never_see_the_figures(client, board, small_set):
    client.force_login(small_set.cat)
    assert client.get(reverse("facilitation:dashboard", args=[small_set.action_set.slug])).status_code == 404

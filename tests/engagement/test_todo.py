"""The learner's to-do list (actionsets.selectors.todo, issue 13 items 1 and 6): what waits for me
per set, most urgent first, with the digest's definition of "waiting for your answer" and the
thread's ask-before-you-see rule. It lives here for the `circle` story and the digests beside it."""

from datetime import timedelta

from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import dateformat, timezone
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from actionsets import selectors, services
from actionsets.models import Membership, Reply, Round
from engagement.digests import build_digests
from tests.factories import ActionSetFactory, RoundFactory

from .conftest import NOW, member

HOUR = timedelta(hours=1)


def todo(user, now=NOW):
    memberships = list(Membership.objects.current().filter(user=user).select_related("action_set")
                       .order_by("action_set__name"))
    return selectors.todo_for(user, memberships, now=now, review_window=services.review_window)


def kinds(user, now=NOW) -> list[str]:
    return [item.kind for t in todo(user, now) for item in t.items]


def test_each_member_sees_what_waits_for_them_most_urgent_first(circle):
    airtime = circle.present(circle.ana, at=NOW - 40 * HOUR, title="Ana's airtime")
    question = circle.reply(circle.ben, airtime, at=NOW - 20 * HOUR, body="What would success look like?")

    [ana] = todo(circle.ana)
    assert [i.kind for i in ana.items] == ["waiting", "check_in", "presented"]
    assert ana.items[0].reply == question and ana.items[0].due == circle.round.closes_at
    [cat] = todo(circle.cat)  # has not asked Ana yet: the clarifying phase ends 48 h after she presented
    assert [(i.kind, i.due) for i in cat.items] == [
        ("ask", airtime.created_at + 48 * HOUR), ("present", circle.round.closes_at),
        ("check_in", circle.round.closes_at)]
    assert "ask" not in kinds(circle.ben)  # asked in this phase
    assert "ask" in kinds(circle.ben, NOW + 30 * HOUR)  # ...but not yet in the probing phase
    assert kinds(circle.fac) == []  # facilitators neither present nor ask; nothing waits for Fay


def test_home_waiting_for_your_answer_agrees_with_the_digest(circle):
    airtime = circle.present(circle.ana, at=NOW - 40 * HOUR, title="Ana's airtime")
    for who in (circle.ben, circle.cat):
        circle.reply(who, airtime, at=NOW - 20 * HOUR, body="What would success look like?")
    digest = build_digests([circle.ana.pk], now=NOW)[0]
    [news] = digest.sets
    waiting = [i for i in todo(circle.ana)[0].items if i.kind == "waiting"]
    assert [i.reply.get_absolute_url() for i in waiting] == [n.url.removeprefix("https://sets.example.edu") for n in news.waiting]
    assert len(waiting) == digest.waiting_count == 2


def test_the_presenters_response_waits_for_nobody(circle):
    """Ana answers Ben's question: neither Ben's digest nor his home lists her response as waiting."""
    airtime = circle.present(circle.ana, at=NOW - 40 * HOUR, title="Ana's airtime")
    question = circle.reply(circle.ben, airtime, at=NOW - 30 * HOUR, body="What would success look like?")
    circle.reply(circle.ana, airtime, at=NOW - 20 * HOUR, body="Fewer late nights.", parent=question,
                 kind=Reply.Kind.RESPONSE)

    digest = build_digests([circle.ben.pk], now=NOW)[0]
    assert digest.waiting_count == 0
    assert "waiting" not in kinds(circle.ben)


def test_ask_before_you_see_hides_what_the_thread_hides(circle):
    """A reply to Cat sits under Ana's question; where the set asks first and Cat has asked nothing
    in the clarifying phase, the thread withholds it — and so does her to-do list."""
    circle.ask_before_seeing(True)
    opens = circle.round.opens_at
    circle.phase_hours(clarifying=2, probing=0, summary=0)
    airtime = circle.present(circle.ben, at=opens + HOUR, title="Ben's rota problem")
    question = circle.reply(circle.ana, airtime, at=opens + 2 * HOUR, body="Who drew up the rota?")
    mine = circle.reply(circle.cat, airtime, at=opens + 4 * HOUR, kind=Reply.Kind.REFLECTION, parent=question,
                        body="I do this too.")
    circle.phase_hours(clarifying=72)  # back in the clarifying phase
    circle.reply(circle.ana, airtime, at=opens + 5 * HOUR, body="How do you cope?", parent=mine)
    at = opens + 28 * HOUR

    assert "waiting" not in kinds(circle.cat, at)
    circle.ask_before_seeing(False)
    assert "waiting" in kinds(circle.cat, at)


def test_a_member_who_has_not_accepted_the_rules_is_asked_to_first(circle):
    Membership.objects.filter(user=circle.cat).update(ground_rules_accepted_at=None)
    assert kinds(circle.cat) == ["rules"]


def test_a_forming_set_does_not_ask_anyone_to_present(circle):
    from actionsets.models import ActionSet
    ActionSet.objects.filter(pk=circle.action_set.pk).update(state=ActionSet.State.FORMING)
    assert "present" not in kinds(circle.cat)


@pytest.mark.parametrize("size", [1, 4])
def test_to_do_query_count_is_constant_in_sets_and_items(circle, size):
    extra_sets = [ActionSetFactory(name=f"Set {n}", slug=f"set-{n}") for n in range(size - 1)]
    for action_set in extra_sets:
        RoundFactory(action_set=action_set, number=1, opens_at=NOW - timedelta(days=3), closes_at=NOW + timedelta(days=11))
        member(action_set, f"p{action_set.pk}@example.edu", "P")
        Membership.objects.create(action_set=action_set, user=circle.ana, joined_at=NOW - timedelta(days=30),
                                  ground_rules_accepted_at=NOW - timedelta(days=30))
    airtime = circle.present(circle.ana, at=NOW - 40 * HOUR, title="Ana's airtime")
    for n in range(size * 3):
        circle.reply([circle.ben, circle.cat][n % 2], airtime, at=NOW - (30 - n) * HOUR, body=f"Question {n}?")
    other = circle.present(circle.ben, at=NOW - 10 * HOUR)
    for n in range(size):
        services.record_commitment(owner=circle.ana, airtime=airtime, text=f"Act {n}", now=NOW - HOUR)
    circle.reply(circle.ana, other, at=NOW - 5 * HOUR, body="And then?")
    memberships = list(Membership.objects.current().filter(user=circle.ana).select_related("action_set"))
    with CaptureQueriesContext(connection) as ctx:
        todos = selectors.todo_for(circle.ana, memberships, now=NOW, review_window=services.review_window)
        for t in todos:
            for item in t.items:  # what the template reads
                item.airtime and (item.airtime.get_absolute_url(), item.airtime.title, item.airtime.presenter.name)
                item.reply and (item.reply.get_absolute_url(), item.reply.author.name)
                item.commitment and item.commitment.due_round
    assert len(ctx.captured_queries) == 5, "\n".join(q["sql"][:160] for q in ctx.captured_queries)
    assert len(todos) == size
    assert sum(i.kind == "waiting" for t in todos for i in t.items) == size * 3


def test_home_and_set_page_show_the_list_with_deadlines_in_my_time_zone(circle, client):
    now = timezone.now()  # pages read the clock: the round is placed around it
    Round.objects.filter(pk=circle.round.pk).update(opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=11))
    User.objects.filter(pk=circle.ana.pk).update(timezone="America/New_York")
    airtime = circle.present(circle.ana, at=now - 40 * HOUR, title="Ana's airtime")
    question = circle.reply(circle.ben, airtime, at=now - 20 * HOUR, body="What would success look like?")
    closes = timezone.localtime(now + timedelta(days=11), ZoneInfo("America/New_York"))
    client.force_login(circle.ana)
    for url in ("/", circle.action_set.get_absolute_url()):
        page = client.get(url).content.decode()
        assert f'<a href="{question.get_absolute_url()}">Ben\'s clarifying question</a>' in page
        assert "is waiting for your answer" in page
        assert f"by <time datetime=" in page and dateformat.format(closes, "D j M, H:i T") in page
        assert 'href="/how-rounds-work/"' in page
    client.force_login(circle.fac)
    assert "Nothing waiting for you here." in client.get("/").content.decode()


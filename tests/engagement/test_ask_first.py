"""Ask before you see, in email: a digest, a watching email or a nudge never shows, quotes or counts
a reply its reader may not yet see in the thread (actionsets.selectors: `withholds_questions` +
`filter_visible`, `visible_replies_for`).

In the clarifying phase of a set (or round) that asks first, a member who has not asked a question
on an airtime does not see other members' questions, nor anything under them. Presenter and
facilitators always see everything; the rule ends with the clarifying phase.
"""

from datetime import timedelta

import pytest

from actionsets import selectors
from actionsets.models import ActionSet, Airtime, Membership, Reply
from engagement import watching
from engagement.digests import build_digests
from engagement.models import DigestDelivery, Nudge

from .conftest import NOW, SITE, to, without_via

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def everything(email) -> str:
    return without_via(email.subject + email.body + email.alternatives[0][0])


def visible_to(user, airtime, now) -> set[int]:
    """What the thread shows `user` at `now` (the airtime fresh: its round's windows may have changed)."""
    airtime = Airtime.objects.select_related("round", "action_set").get(pk=airtime.pk)
    return {r.pk for r in selectors.visible_replies_for(user, airtime, now)}


# --- Digests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("confidential", [False, True])
def test_a_member_who_has_not_asked_gets_no_other_questions_in_the_digest_until_they_ask(
    circle, run_digests, mailoutbox, confidential
):
    ActionSet.objects.filter(pk=circle.action_set.pk).update(confidential_digests=confidential)
    circle.ask_before_seeing()
    airtime = circle.present(circle.ben, at=NOW - 20 * HOUR, title="Ben's rota problem")
    question = circle.reply(circle.ana, airtime, at=NOW - 18 * HOUR, body="ANA-QUESTION who drew up the rota?")
    answer = circle.reply(circle.ben, airtime, at=NOW - 15 * HOUR, body="BEN-ANSWER my deputy did.", parent=question)
    assert visible_to(circle.cat, airtime, NOW) == set()  # the thread withholds both from Cat

    run_digests(NOW)

    [cat] = to(mailoutbox, circle.cat)
    assert cat.subject == "1 new post in Leading Change — your daily digest"  # the airtime: nothing else counted
    for withheld in ("ANA-QUESTION", "BEN-ANSWER", "clarifying question", "response", "NEW REPLIES", "New replies",
                     f"#reply-{question.pk}", f"#reply-{answer.pk}"):
        assert withheld not in everything(cat)
    assert "Ben's rota problem" in cat.body
    assert DigestDelivery.objects.get(user=circle.cat).item_count == 1
    [fay] = to(mailoutbox, circle.fac)  # a facilitator sees every question
    assert fay.subject == "3 new posts in Leading Change — your daily digest"
    assert "1 clarifying question, 1 response" in fay.body

    # Cat asks her own question: from then on she sees the others', and what comes under them.
    circle.reply(circle.cat, airtime, at=NOW + HOUR, body="What would a fair rota look like?")
    follow_up = circle.reply(circle.ana, airtime, at=NOW + 2 * HOUR, body="ANA-FOLLOW-UP and your deputy?",
                             parent=answer)
    circle.reply(circle.ben, airtime, at=NOW + 3 * HOUR, body="BEN-AGAIN they agreed.", parent=follow_up)
    mailoutbox.clear()
    run_digests(NOW + DAY)

    [cat] = to(mailoutbox, circle.cat)
    assert cat.subject == "2 new posts in Leading Change — your daily digest"
    assert '"Ben\'s rota problem": 2 new (1 clarifying question, 1 response)' in cat.body
    if not confidential:
        assert 'Ana (clarifying question): "ANA-FOLLOW-UP and your deputy?"' in cat.body
        assert 'Ben (response): "BEN-AGAIN they agreed."' in cat.body
        assert f"{SITE}/sets/leading-change/airtime/{airtime.pk}/#reply-{follow_up.pk}" in without_via(cat.body)


def test_the_digest_shows_the_questions_once_the_clarifying_phase_is_over(circle, run_digests, mailoutbox):
    circle.ask_before_seeing()
    circle.phase_hours(clarifying=2)  # probing from 2 hours in: nobody's questions are withheld then
    airtime = circle.present(circle.ben, at=NOW - 20 * HOUR, title="Ben's rota problem")
    circle.reply(circle.ana, airtime, at=NOW - 19 * HOUR, body="ANA-QUESTION who drew up the rota?")

    run_digests(NOW)

    [cat] = to(mailoutbox, circle.cat)
    assert 'Ana (clarifying question): "ANA-QUESTION who drew up the rota?"' in cat.body


def test_a_round_that_does_not_ask_first_shows_everything(circle, run_digests, mailoutbox):
    circle.ask_before_seeing()
    circle.round.ask_before_seeing = False  # the round overrides the set
    circle.round.save()
    airtime = circle.present(circle.ben, at=NOW - 20 * HOUR, title="Ben's rota problem")
    circle.reply(circle.ana, airtime, at=NOW - 18 * HOUR, body="ANA-QUESTION who drew up the rota?")

    run_digests(NOW)

    [cat] = to(mailoutbox, circle.cat)
    assert "ANA-QUESTION" in cat.body


def test_a_round_that_asks_first_withholds_in_a_set_that_does_not(circle, run_digests, mailoutbox):
    circle.round.ask_before_seeing = True
    circle.round.save()
    airtime = circle.present(circle.ben, at=NOW - 20 * HOUR, title="Ben's rota problem")
    circle.reply(circle.ana, airtime, at=NOW - 18 * HOUR, body="ANA-QUESTION who drew up the rota?")

    run_digests(NOW)

    [cat] = to(mailoutbox, circle.cat)
    assert "ANA-QUESTION" not in everything(cat)
    [ben] = to(mailoutbox, circle.ben)  # the presenter sees every question on his airtime
    assert "ANA-QUESTION" in ben.body and "WAITING FOR YOUR ANSWER" in ben.body


# --- Watching --------------------------------------------------------------------------------


@pytest.fixture
def watchers(circle):
    Membership.objects.filter(user__in=[circle.cat, circle.fac], action_set=circle.action_set).update(
        notification_level=Membership.NotificationLevel.WATCHING
    )


def test_a_watcher_hears_of_others_questions_only_once_they_have_asked(
    circle, watchers, mailoutbox, django_capture_on_commit_callbacks
):
    circle.ask_before_seeing()

    def post(user, at, body, parent=None):
        with django_capture_on_commit_callbacks(execute=True):
            return circle.reply(user, airtime, at=at, body=body, parent=parent)

    with django_capture_on_commit_callbacks(execute=True):
        airtime = circle.present(circle.ben, at=NOW, title="Ben's rota problem")
    question = post(circle.ana, NOW + HOUR, "ANA-QUESTION who drew up the rota?")
    post(circle.ben, NOW + 2 * HOUR, "BEN-ANSWER my deputy did.", parent=question)
    assert watching.notify_watchers(reply_id=question.pk) == 0  # a repeated task: still nothing new
    post(circle.cat, NOW + 3 * HOUR, "What would a fair rota look like?")
    second = post(circle.ana, NOW + 4 * HOUR, "ANA-SECOND and who agreed it?")

    cat = to(mailoutbox, circle.cat)
    assert [m.subject for m in cat] == [
        "Ben presented “Ben's rota problem” · Leading Change",
        "Ana posted a clarifying question on “Ben's rota problem” · Leading Change",
    ]
    assert f"#reply-{second.pk}" in cat[1].body
    assert not any("ANA-QUESTION" in everything(m) or "BEN-ANSWER" in everything(m) for m in cat)
    fay = to(mailoutbox, circle.fac)  # a facilitator hears of every post
    assert len(fay) == 5 and "ANA-QUESTION" in fay[1].body and "BEN-ANSWER" in fay[2].body


def test_after_the_clarifying_phase_a_watcher_hears_of_every_question(
    circle, watchers, mailoutbox, django_capture_on_commit_callbacks
):
    circle.ask_before_seeing()
    airtime = circle.present(circle.ben, at=NOW, title="Ben's rota problem")
    with django_capture_on_commit_callbacks(execute=True):
        circle.reply(circle.ana, airtime, at=NOW + 49 * HOUR, body="ANA-PROBING what do you want from them?")
    [cat] = to(mailoutbox, circle.cat)
    assert cat.subject == "Ana posted a probing question on “Ben's rota problem” · Leading Change"
    assert "ANA-PROBING" in cat.body


# --- Nudges ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ask_first", [False, True])
def test_a_nudge_names_only_replies_the_member_may_see(circle, run_nudges, mailoutbox, ask_first):
    """A reply waiting for Cat sits under Ana's question. Cat has posted a reflection there but asked
    nothing; the facilitator then widened the clarifying window, so the airtime is back in its
    clarifying phase and, where the set asks first, the thread withholds Ana's question and all
    under it from Cat — and so must her quiet nudge and her digest."""
    ActionSet.objects.filter(pk=circle.action_set.pk).update(quiet_after_days=1)
    circle.ask_before_seeing(ask_first)
    opens = circle.round.opens_at
    circle.phase_hours(clarifying=2, probing=0, summary=0)
    airtime = circle.present(circle.ben, at=opens + HOUR, title="Ben's rota problem")
    question = circle.reply(circle.ana, airtime, at=opens + 2 * HOUR, body="ANA-QUESTION who drew up the rota?")
    mine = circle.reply(circle.cat, airtime, at=opens + 4 * HOUR, kind=Reply.Kind.REFLECTION, parent=question,
                        body="I do this too.")
    circle.phase_hours(clarifying=72)  # running airtimes follow new windows at once
    waiting = circle.reply(circle.ana, airtime, at=opens + 5 * HOUR, body="ANA-TO-CAT how do you cope?", parent=mine)
    at = opens + 28 * HOUR  # Cat quiet for a day; the airtime still in its clarifying phase

    run_nudges(at)

    [nudge] = to(mailoutbox, circle.cat)
    assert Nudge.objects.get(user=circle.cat).kind == Nudge.Kind.QUIET_MEMBER
    link = f"{SITE}/sets/leading-change/airtime/{airtime.pk}/#reply-{waiting.pk}"
    digest = build_digests([circle.cat.pk], now=at)[0]  # Sunday's: Saturday from 07:00, all unread after her post
    if ask_first:
        assert waiting.pk not in visible_to(circle.cat, airtime, at)
        assert "is waiting for your answer" not in nudge.body and link not in everything(nudge)
        assert digest.sets == [] and digest.is_empty  # nothing she may see is new
    else:
        assert f'- Ana is waiting for your answer on "Ben\'s rota problem": {link}' in without_via(nudge.body)
        [news] = digest.sets
        assert [item.url for item in news.waiting] == [link]
        assert [(t.kinds_label, t.waiting) for t in news.threads] == [("1 clarifying question", 1)]

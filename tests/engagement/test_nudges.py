"""Nudges: each kind just under and just over its threshold, escalation, opt-out, muting, nights.

The circle's round opened on Saturday at 12:00 UTC (NOW − 3 days); its quiet_after_days is 4.
"""

from datetime import timedelta

import pytest

from accounts.models import User
from actionsets import services
from actionsets.models import Membership
from facilitation import services as facilitation_services
from engagement.models import Nudge, OutboundEmail
from tests.factories import RoundFactory

from .conftest import NOW, SITE, to, without_via

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
Kind = Nudge.Kind


def kinds(user) -> list[str]:
    return sorted(Nudge.objects.filter(user=user).values_list("kind", flat=True))


def mute(circle, user):
    Membership.objects.filter(user=user, action_set=circle.action_set).update(
        notification_level=Membership.NotificationLevel.MUTED
    )


@pytest.fixture
def quiet_at(circle):
    return circle.round.opens_at + timedelta(days=circle.action_set.quiet_after_days)


# --- Quiet member ---------------------------------------------------------------------------


def test_a_quiet_member_is_nudged_once_with_what_is_waiting_for_them(circle, run_nudges, mailoutbox, quiet_at):
    airtime = circle.present(circle.ben, at=circle.round.opens_at + DAY, title="Ben's rota problem")
    circle.reply(circle.fac, airtime, at=circle.round.opens_at + DAY + HOUR, kind="summary")  # not unanswered

    run_nudges(quiet_at - MINUTE)
    assert Nudge.objects.count() == 0 and mailoutbox == []

    run_nudges(quiet_at)
    assert kinds(circle.ana) == kinds(circle.cat) == [Kind.QUIET_MEMBER]
    assert kinds(circle.ben) == []  # he presented a day in: quiet for three days only
    assert kinds(circle.fac) == []  # facilitators are not nudged for quiet
    [email] = to(mailoutbox, circle.ana)
    assert email.subject == "What’s waiting for you in Leading Change"
    assert "We haven't heard from you in Leading Change for 4 days. No pressure" in email.body
    assert f"- You have not presented your airtime in round 1 yet: {SITE}/sets/leading-change/airtime/new/" in email.body
    assert (f"- Ben's airtime \"Ben's rota problem\" would welcome your questions: "
            f"{SITE}/sets/leading-change/airtime/{airtime.pk}/") in email.body
    assert "Round 1 closes Saturday 5 December, 12:00 UTC." in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    run_nudges(quiet_at + HOUR)
    run_nudges(quiet_at + 2 * DAY)
    assert len(to(mailoutbox, circle.ana)) == 1


def test_posting_resets_the_quiet_clock(circle, run_nudges, quiet_at):
    airtime = circle.present(circle.ben, at=circle.round.opens_at + HOUR)
    circle.reply(circle.ana, airtime, at=quiet_at - HOUR)
    run_nudges(quiet_at)
    assert kinds(circle.ana) == []
    run_nudges(quiet_at - HOUR + 4 * DAY)
    assert kinds(circle.ana) == [Kind.QUIET_MEMBER]  # quiet again, since her last post: a new period


def test_still_quiet_a_period_later_the_facilitator_is_told_with_their_last_activity(
    circle, run_nudges, mailoutbox, quiet_at
):
    earlier = RoundFactory(action_set=circle.action_set, number=0, opens_at=NOW - 20 * DAY, closes_at=NOW - 6 * DAY)
    old = circle.present(circle.ben, at=NOW - 10 * DAY - HOUR, title="Older airtime")
    circle.reply(circle.ana, old, at=NOW - 10 * DAY)  # a clarifying question, an hour into the airtime
    current = circle.present(circle.ben, at=circle.round.opens_at + HOUR)
    circle.reply(circle.fac, current, at=circle.round.opens_at + 2 * HOUR, kind="summary")
    escalate_at = quiet_at + timedelta(days=circle.action_set.quiet_after_days)

    run_nudges(escalate_at - MINUTE)
    assert Nudge.objects.filter(kind=Kind.QUIET_ESCALATION).count() == 0
    run_nudges(escalate_at)

    rows = list(Nudge.objects.filter(kind=Kind.QUIET_ESCALATION))
    assert {(n.user, n.about_user) for n in rows} == {(circle.fac, circle.ana), (circle.fac, circle.cat)}
    assert len({n.email_id for n in rows}) == 1  # one email to the facilitator about both
    [email] = to(mailoutbox, circle.fac)
    assert email.subject == "2 members have been quiet in Leading Change"
    assert "- Ana <ana@example.edu>: quiet for 8 days. Last activity in the set: Saturday 14 November, 12:00 UTC." in email.body
    assert "- Cat <cat@example.edu>: quiet for 8 days. Last activity in the set: none yet." in email.body
    run_nudges(escalate_at + DAY)  # Ben has now been quiet 8 days too: he is new news, Ana and Cat are not
    later = Nudge.objects.filter(kind=Kind.QUIET_ESCALATION).exclude(pk__in=[n.pk for n in rows])
    assert [n.about_user for n in later] == [circle.ben]
    assert "Ben has been quiet in Leading Change" == to(mailoutbox, circle.fac)[-1].subject


def test_members_who_turned_nudges_off_get_none_but_the_facilitator_still_hears(circle, run_nudges, mailoutbox, quiet_at):
    User.objects.filter(pk=circle.cat.pk).update(nudges_enabled=False)
    run_nudges(quiet_at)
    assert kinds(circle.cat) == []
    run_nudges(quiet_at + 4 * DAY)
    assert kinds(circle.cat) == []
    [email] = [m for m in to(mailoutbox, circle.fac) if "quiet" in m.subject]
    assert "Cat <cat@example.edu>: quiet for 8 days." in email.body
    assert "They have turned reminders off, so they have not been nudged." in email.body


def test_muted_members_get_nothing_for_that_set_and_a_muted_facilitator_no_escalation(circle, run_nudges, quiet_at):
    mute(circle, circle.ana)
    mute(circle, circle.fac)
    run_nudges(quiet_at + 4 * DAY)
    assert kinds(circle.ana) == [] and kinds(circle.fac) == []
    assert kinds(circle.cat) == [Kind.QUIET_MEMBER]


def test_nobody_is_nudged_at_night_it_waits_for_their_morning(circle, run_nudges, mailoutbox, quiet_at):
    User.objects.filter(pk=circle.ana.pk).update(timezone="Pacific/Auckland")
    run_nudges(quiet_at)  # 12:00 UTC is 01:00 in Auckland
    assert kinds(circle.ana) == [] and kinds(circle.cat) == [Kind.QUIET_MEMBER]
    run_nudges(quiet_at + 5 * HOUR)  # 06:00
    assert kinds(circle.ana) == []
    run_nudges(quiet_at + 6 * HOUR)  # 07:00
    assert kinds(circle.ana) == [Kind.QUIET_MEMBER]
    assert len(to(mailoutbox, circle.ana)) == 1


# --- Unanswered airtime ---------------------------------------------------------------------


def test_an_airtime_nobody_has_answered_in_48_hours_nudges_the_other_members(circle, run_nudges, mailoutbox):
    posted = NOW - 2 * DAY
    airtime = circle.present(circle.ben, at=posted, title="Ben's rota problem")
    # Ben answered a question the facilitator then hid: his own response does not answer his airtime.
    question = circle.reply(circle.cat, airtime, at=posted + HOUR, body="Is this about Sam?")
    circle.reply(circle.ben, airtime, at=posted + 2 * HOUR, body="Some more context.", parent=question)
    facilitation_services.hide_reply(actor=circle.fac, reply=question, reason="Names a colleague",
                                     now=posted + 3 * HOUR)

    run_nudges(posted + 48 * HOUR - MINUTE)
    assert Nudge.objects.count() == 0
    run_nudges(posted + 48 * HOUR)

    assert {n.user for n in Nudge.objects.filter(kind=Kind.UNANSWERED_AIRTIME)} == {circle.ana, circle.cat, circle.fac}
    assert set(Nudge.objects.values_list("period", flat=True)) == {f"airtime:{airtime.pk}"}
    [email] = to(mailoutbox, circle.cat)
    assert email.subject == "Ben’s airtime is waiting for a first question"
    assert 'Ben presented "Ben\'s rota problem" 48 hours ago and nobody has asked a question yet.' in email.body
    assert f"{SITE}/sets/leading-change/airtime/{airtime.pk}/" in email.body
    run_nudges(posted + 72 * HOUR)
    assert Nudge.objects.filter(kind=Kind.UNANSWERED_AIRTIME).count() == 3


def test_one_visible_question_means_the_airtime_is_answered(circle, run_nudges):
    posted = NOW - 2 * DAY
    airtime = circle.present(circle.ben, at=posted)
    hidden = circle.reply(circle.cat, airtime, at=posted + HOUR)
    hidden.hidden = True
    hidden.save()
    run_nudges(posted + 48 * HOUR)
    assert Nudge.objects.filter(kind=Kind.UNANSWERED_AIRTIME).count() == 3  # a hidden reply does not count
    other = circle.present(circle.ana, at=posted)
    circle.reply(circle.cat, other, at=posted + HOUR)
    run_nudges(posted + 49 * HOUR)
    assert not Nudge.objects.filter(kind=Kind.UNANSWERED_AIRTIME, period=f"airtime:{other.pk}").exists()


# --- Questions waiting ----------------------------------------------------------------------


def test_questions_unanswered_for_72_hours_nudge_the_presenter(circle, run_nudges, mailoutbox):
    airtime = circle.present(circle.ana, at=circle.round.opens_at + HOUR, title="Ana's airtime")
    asked = circle.round.opens_at + 2 * HOUR
    first = circle.reply(circle.ben, airtime, at=asked, body="What would success look like?")
    circle.reply(circle.cat, airtime, at=asked + HOUR, body="Who decides?")

    run_nudges(asked + 72 * HOUR - MINUTE)
    assert kinds(circle.ana) == []
    run_nudges(asked + 72 * HOUR)

    [nudge] = Nudge.objects.filter(user=circle.ana)
    assert (nudge.kind, nudge.period) == (Kind.QUESTIONS_WAITING, f"airtime:{airtime.pk}:question:{first.pk}")
    [email] = to(mailoutbox, circle.ana)
    assert email.subject == "Questions are waiting for you on “Ana's airtime”"
    assert 'Your airtime "Ana\'s airtime" has 2 questions waiting for your answer, the oldest for 3 days (from Ben, Cat).' in email.body
    assert f"{SITE}/sets/leading-change/airtime/{airtime.pk}/#reply-{first.pk}" in without_via(email.body)


def test_a_follow_up_question_to_the_presenters_answer_also_waits(circle, run_nudges):
    airtime = circle.present(circle.ana, at=circle.round.opens_at + HOUR)
    asked = circle.round.opens_at + 2 * HOUR
    question = circle.reply(circle.ben, airtime, at=asked)
    answer = circle.reply(circle.ana, airtime, at=asked + HOUR, parent=question, body="A rota.")
    follow_up = circle.reply(circle.ben, airtime, at=asked + 2 * HOUR, parent=answer, body="Who drew it up?")
    run_nudges(asked + 2 * HOUR + 72 * HOUR)
    [nudge] = Nudge.objects.filter(user=circle.ana)
    assert nudge.period == f"airtime:{airtime.pk}:question:{follow_up.pk}"


def test_answered_questions_do_not_nudge(circle, run_nudges):
    airtime = circle.present(circle.ana, at=circle.round.opens_at + HOUR)
    asked = circle.round.opens_at + 2 * HOUR
    question = circle.reply(circle.ben, airtime, at=asked)
    circle.reply(circle.ana, airtime, at=asked + DAY, parent=question, body="Good question.")
    run_nudges(asked + 73 * HOUR)
    assert kinds(circle.ana) == []


# --- Report-back due ------------------------------------------------------------------------


def test_open_commitments_in_the_round_they_are_due_nudge_their_owner(circle, run_nudges, mailoutbox):
    next_round = RoundFactory(action_set=circle.action_set, number=2, opens_at=circle.round.closes_at,
                              closes_at=circle.round.closes_at + 14 * DAY)
    airtime = circle.present(circle.ana, at=NOW - HOUR)
    services.record_commitment(owner=circle.ana, airtime=airtime, text="Talk to Sam by Friday", now=NOW)
    done = services.record_commitment(owner=circle.ben, airtime=circle.present(circle.ben, at=NOW - HOUR),
                                      text="Draft the rota", now=NOW)
    services.report_back(owner=circle.ben, commitment=done, status="done", report_back="Drafted it.", now=NOW)
    due = next_round.opens_at + 48 * HOUR

    run_nudges(due - MINUTE)
    assert Kind.REPORT_BACK_DUE not in kinds(circle.ana)
    run_nudges(due)

    assert Kind.REPORT_BACK_DUE in kinds(circle.ana) and Kind.REPORT_BACK_DUE not in kinds(circle.ben)
    [email] = [m for m in to(mailoutbox, circle.ana) if m.subject == "Time to report back in Leading Change"]
    assert "Round 2 is the time to report back on your commitment: what you did" in email.body
    assert "- Talk to Sam by Friday" in email.body
    assert f"{SITE}/sets/leading-change/commitments/" in email.body


# --- Together -------------------------------------------------------------------------------


def test_several_nudges_for_one_person_travel_in_one_email(circle, run_nudges, mailoutbox, quiet_at):
    circle.present(circle.ben, at=circle.round.opens_at + HOUR, title="Ben's rota problem")
    run_nudges(quiet_at)
    rows = Nudge.objects.filter(user=circle.ana)
    assert sorted(rows.values_list("kind", flat=True)) == [Kind.QUIET_MEMBER, Kind.UNANSWERED_AIRTIME]
    assert len({n.email_id for n in rows}) == 1
    [email] = to(mailoutbox, circle.ana)
    assert "We haven't heard from you" in email.body and "nobody has asked a question yet" in email.body
    assert OutboundEmail.objects.get(pk=rows[0].email_id).status == OutboundEmail.Status.SENT


def test_archived_sets_and_closed_rounds_nudge_nobody(circle, run_nudges, quiet_at):
    run_nudges(circle.round.closes_at + DAY)
    circle.action_set.archived = True
    circle.action_set.save()
    run_nudges(quiet_at)
    assert Nudge.objects.count() == 0


@pytest.mark.parametrize("ask_first", [False, True])
@pytest.mark.parametrize("extra", [2, 20])
def test_a_nudge_batch_costs_the_same_queries_whatever_its_size(
    circle, extra, ask_first, quiet_at, django_assert_num_queries
):
    """16 queries: 10 to plan (open rounds, members, airtimes, reply aggregates, last replies, last
    airtimes, waiting questions, due commitments, existing nudges, and — since ask-before-you-see —
    the questions it may withhold, loaded once for the batch) and 6 to record (savepoint, lock
    sets, re-check nudges, insert emails, insert nudges, release)."""
    from engagement import nudges

    from .conftest import member

    circle.ask_before_seeing(ask_first)
    people = [member(circle.action_set, f"p{n}@example.edu", f"P{n}").user for n in range(extra)]
    for n, person in enumerate(people[: extra // 2]):
        airtime = circle.present(person, at=circle.round.opens_at + n * MINUTE)
        circle.reply(people[-1], airtime, at=circle.round.opens_at + HOUR)
    with django_assert_num_queries(16):
        written = nudges.run_nudge_batch([circle.action_set.pk], now=quiet_at)
    assert len(written) >= 3

"""Rounds run themselves: the round-open email, and the reminder 24 hours before closing."""

from datetime import timedelta

import pytest

from accounts.models import User
from actionsets.models import Membership, Round
from engagement.models import Nudge

from .conftest import NOW, SITE, to

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def opening(circle):
    """Round 1 opened an hour before NOW."""
    Round.objects.filter(pk=circle.round.pk).update(opens_at=NOW - HOUR)
    circle.round.refresh_from_db()
    return circle


def test_every_member_is_told_once_that_the_round_is_open_and_what_is_expected(opening, run_round_emails, mailoutbox):
    run_round_emails(NOW)
    run_round_emails(NOW + 15 * MINUTE)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (opening.ana, opening.ben, opening.cat, opening.fac)
    )
    [email] = to(mailoutbox, opening.ana)
    assert email.subject == "Round 1 of Leading Change is open"
    assert "Round 1 of Leading Change is open until Saturday 5 December, 12:00 UTC." in email.body
    assert "1. Present your airtime in the first few days" in email.body
    assert f"{SITE}/sets/leading-change/airtime/new/" in email.body
    assert "questions, not advice" in email.body
    [fay] = to(mailoutbox, opening.fac)
    assert "Your members have been told what is expected of them." in fay.body
    assert "Present your airtime" not in fay.body
    assert set(Nudge.objects.values_list("kind", "period")) == {(Nudge.Kind.ROUND_OPEN, f"round:{opening.round.pk}")}


def test_round_open_respects_mutes_and_nights_but_not_the_nudge_switch(opening, run_round_emails, mailoutbox):
    User.objects.filter(pk=opening.ana.pk).update(nudges_enabled=False)
    User.objects.filter(pk=opening.ben.pk).update(timezone="Pacific/Auckland")  # 01:00 there
    Membership.objects.filter(user=opening.cat).update(notification_level=Membership.NotificationLevel.MUTED)
    run_round_emails(NOW)
    assert {m.to[0] for m in mailoutbox} == {opening.ana.email, opening.fac.email}
    run_round_emails(NOW + 6 * HOUR)  # 07:00 in Auckland
    assert {m.to[0] for m in mailoutbox} == {opening.ana.email, opening.fac.email, opening.ben.email}


def test_a_round_open_for_more_than_three_days_is_not_announced(circle, run_round_emails, mailoutbox):
    run_round_emails(circle.round.opens_at + 72 * HOUR)
    assert mailoutbox == []


def test_round_open_lists_commitments_to_report_back_on(opening, run_round_emails, mailoutbox):
    from actionsets import services
    from tests.factories import RoundFactory

    earlier = RoundFactory(action_set=opening.action_set, number=0, opens_at=NOW - 20 * DAY, closes_at=NOW - 2 * DAY)
    airtime = services.present_airtime(presenter=opening.ana, action_set=opening.action_set, title="Before",
                                       body="Earlier problem", now=earlier.opens_at + HOUR)
    services.record_commitment(owner=opening.ana, airtime=airtime, text="Ask Sam for feedback", now=earlier.opens_at + DAY)
    run_round_emails(NOW)
    [email] = to(mailoutbox, opening.ana)
    assert "4. Report back on your 1 commitment from last round" in email.body
    assert "   - Ask Sam for feedback" in email.body
    assert f"{SITE}/sets/leading-change/commitments/" in email.body


def test_closing_reminder_24_hours_before_to_those_who_have_not_presented_or_replied(circle, run_round_emails, mailoutbox):
    closes = circle.round.closes_at
    ana_airtime = circle.present(circle.ana, at=NOW)
    ben_airtime = circle.present(circle.ben, at=NOW)
    circle.reply(circle.ana, ben_airtime, at=NOW + HOUR)  # Ana has presented and asked: nothing missing
    circle.reply(circle.cat, ana_airtime, at=NOW + HOUR)  # Cat asked but has not presented
    # Ben presented but has asked nobody anything.

    run_round_emails(closes - 24 * HOUR - MINUTE)
    assert mailoutbox == []
    run_round_emails(closes - 24 * HOUR)

    assert {m.to[0] for m in mailoutbox} == {circle.ben.email, circle.cat.email}
    [cat] = to(mailoutbox, circle.cat)
    assert cat.subject == "Round 1 of Leading Change closes in 24 hours"
    assert "- You have not presented your airtime yet. There is still time:" in cat.body
    assert "asked a question" not in cat.body
    [ben] = to(mailoutbox, circle.ben)
    assert "- You have not asked a question on anyone else's airtime yet." in ben.body
    assert "presented your airtime" not in ben.body
    run_round_emails(closes - 23 * HOUR)
    assert len(mailoutbox) == 2


def test_closing_reminder_skips_people_with_nudges_off(circle, run_round_emails, mailoutbox):
    User.objects.filter(pk__in=[circle.ana.pk, circle.ben.pk]).update(nudges_enabled=False)
    run_round_emails(circle.round.closes_at - 24 * HOUR)
    assert {m.to[0] for m in mailoutbox} == {circle.cat.email}


@pytest.mark.parametrize("extra", [2, 20])
def test_a_round_email_batch_costs_the_same_queries_whatever_its_size(opening, extra, django_assert_num_queries):
    """12 queries: 6 to plan (rounds, members, airtimes, replies, commitments due, existing nudges)
    and 6 to record (savepoint, lock rounds, re-check, insert emails, insert nudges, release)."""
    from engagement import rounds

    from .conftest import member

    for n in range(extra):
        member(opening.action_set, f"p{n}@example.edu", f"P{n}")
    with django_assert_num_queries(12):
        written = rounds.run_round_email_batch([opening.action_set.pk], now=NOW)
    assert len(written) == 4 + extra


def test_round_open_thanks_someone_who_has_already_presented(opening, run_round_emails, mailoutbox):
    User.objects.filter(pk=opening.ana.pk).update(timezone="Pacific/Auckland")  # asleep at NOW: deferred
    run_round_emails(NOW)
    opening.present(opening.ana, at=NOW + HOUR)
    run_round_emails(NOW + 6 * HOUR)
    [email] = to(mailoutbox, opening.ana)
    assert "1. Your airtime is up — thank you for presenting early." in email.body
    assert "Present your airtime in the first few days" not in email.body

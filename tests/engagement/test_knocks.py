"""A gentle knock (issue 19): the presenter (or a facilitator) sends one "your set is waiting to hear
from you" to a member who has not read their airtime after 48 h — once per member per airtime,
through the outbox, under the nudge rules (never at night, never with reminders off)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from actionsets import permissions, services
from engagement import knocks, tasks
from engagement.models import Knock, Nudge, OutboundEmail

from .conftest import NOW, to

HOUR = timedelta(hours=1)


@pytest.fixture
def airtime(circle):
    return circle.present(circle.ana, at=NOW - 50 * HOUR, title="Getting my team to own the timetable")


@pytest.fixture
def knock(circle, django_capture_on_commit_callbacks):
    def _knock(by, member, airtime, *, at=NOW):
        by = type(by).objects.get(pk=by.pk)  # as a request loads them: settings changed since apply
        access = permissions.get_set_or_404(by, circle.action_set.slug)
        membership = permissions.get_member_or_404(access, member.pk)
        airtime = permissions.get_airtime_or_404(access, airtime.pk)
        with django_capture_on_commit_callbacks(execute=True):
            return knocks.knock(access=access, airtime=airtime, member=membership, now=at)

    return _knock


def test_the_presenter_knocks_once_and_the_member_gets_one_email(circle, airtime, knock, mailoutbox):
    knock(circle.ana, circle.ben, airtime)
    [email] = to(mailoutbox, circle.ben)
    assert email.subject == "Ana is waiting to hear from you — “Getting my team to own the timetable”"
    assert f"/sets/leading-change/airtime/{airtime.pk}/" in email.body
    assert "never at night" in email.body
    nudge = Nudge.objects.get(user=circle.ben, kind=Nudge.Kind.KNOCK)
    assert nudge.period == f"airtime:{airtime.pk}" and nudge.about_user == circle.ana
    with pytest.raises(ValidationError, match="once is enough"):
        knock(circle.ana, circle.ben, airtime, at=NOW + HOUR)
    # The hourly run and a retried batch find nothing more to send.
    assert knocks.run_knock_batch([circle.action_set.pk], now=NOW + 2 * HOUR) == []
    assert len(to(mailoutbox, circle.ben)) == 1 and Knock.objects.count() == 1


def test_a_facilitator_may_knock_but_another_learner_may_not(circle, airtime, knock, mailoutbox):
    with pytest.raises(ValidationError, match="presenter or a facilitator"):
        knock(circle.cat, circle.ben, airtime)
    knock(circle.fac, circle.ben, airtime)
    [email] = to(mailoutbox, circle.ben)
    assert email.subject.startswith("Your set is waiting to hear from you")
    assert "Fay, who facilitates Leading Change" in email.body


@pytest.mark.parametrize("why, prepare, message", [
    ("too early", lambda c, a: None, "48 hours"),
    ("already read", lambda c, a: services.mark_read(user=c.ben, airtime=a, at=NOW), "read it already"),
    ("reminders off", lambda c, a: type(c.ben).objects.filter(pk=c.ben.pk).update(nudges_enabled=False),
     "reminders off"),
    ("their receipts off", lambda c, a: type(c.ben).objects.filter(pk=c.ben.pk).update(read_receipts=False),
     "read receipts"),
    ("my receipts off", lambda c, a: type(c.ana).objects.filter(pk=c.ana.pk).update(read_receipts=False),
     "read receipts"),
])
def test_a_knock_is_refused_with_a_reason(circle, knock, mailoutbox, why, prepare, message):
    at = NOW - 50 * HOUR if why != "too early" else NOW - 10 * HOUR
    airtime = circle.present(circle.ana, at=at)
    prepare(circle, airtime)
    with pytest.raises(ValidationError, match=message):
        knock(circle.ana, circle.ben, airtime)
    assert not Knock.objects.exists() and not mailoutbox


def test_a_knock_at_night_waits_for_the_morning(circle, airtime, knock, mailoutbox, django_capture_on_commit_callbacks):
    """Asked for at 23:00 in Ben's Auckland evening: recorded, no email until 07:00 his time."""
    type(circle.ben).objects.filter(pk=circle.ben.pk).update(timezone="Pacific/Auckland")
    night = NOW.replace(hour=10)  # 10:00 UTC = 23:00 in Auckland (NZDT, UTC+13)
    knock(circle.ana, circle.ben, airtime, at=night)
    assert Knock.objects.count() == 1 and not mailoutbox and not OutboundEmail.objects.exists()
    assert knocks.sets_with_pending_knocks(night) == [circle.action_set.pk]
    still_night = night + 5 * HOUR  # 04:00 in Auckland
    with django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch_knocks_task.delay(still_night.isoformat())
    assert not mailoutbox
    morning = night + 9 * HOUR  # 08:00 in Auckland
    for _ in range(2):  # the beat tick, and a duplicate of it
        with django_capture_on_commit_callbacks(execute=True):
            tasks.dispatch_knocks_task.delay(morning.isoformat())
    assert len(to(mailoutbox, circle.ben)) == 1
    assert knocks.sets_with_pending_knocks(morning) == []


def test_a_member_who_reads_before_the_morning_is_never_knocked(circle, airtime, knock, mailoutbox):
    type(circle.ben).objects.filter(pk=circle.ben.pk).update(timezone="Pacific/Auckland")
    night = NOW.replace(hour=10)
    knock(circle.ana, circle.ben, airtime, at=night)
    services.mark_read(user=circle.ben, airtime=airtime, at=night + HOUR)
    assert knocks.run_knock_batch([circle.action_set.pk], now=night + 9 * HOUR) == []
    assert not mailoutbox and not Nudge.objects.filter(kind=Nudge.Kind.KNOCK).exists()


def test_a_knock_whose_round_closed_is_never_sent(circle, airtime, knock, mailoutbox):
    type(circle.ben).objects.filter(pk=circle.ben.pk).update(timezone="Pacific/Auckland")
    knock(circle.ana, circle.ben, airtime, at=NOW.replace(hour=10))
    after = circle.round.closes_at + HOUR
    assert knocks.sets_with_pending_knocks(after) == []
    assert knocks.run_knock_batch([circle.action_set.pk], now=after) == []


def test_send_nudges_lists_knocks_in_a_dry_run(circle, airtime, knock):
    from io import StringIO

    from django.core.management import call_command

    type(circle.ben).objects.filter(pk=circle.ben.pk).update(timezone="Pacific/Auckland")
    knock(circle.ana, circle.ben, airtime, at=NOW.replace(hour=10))
    out = StringIO()
    call_command("send_nudges", "--dry-run", "--now", NOW.replace(hour=19).isoformat(), stdout=out)
    assert "ben@example.edu (Leading Change): Knock from Ana" in out.getvalue()
    assert "knocks: 1 set(s) checked" in out.getvalue()


def test_the_knock_email_of_a_confidential_set_names_no_title(circle, airtime, knock, mailoutbox):
    type(circle.action_set).objects.filter(pk=circle.action_set.pk).update(confidential_digests=True)
    knock(circle.ana, circle.ben, airtime)
    [email] = to(mailoutbox, circle.ben)
    assert "timetable" not in email.subject and "timetable" not in email.body

"""Watching a set: an email for every new post, as soon as it is committed."""

from datetime import timedelta

import pytest

from actionsets.models import Membership
from engagement import watching
from engagement.models import OutboundEmail

from .conftest import NOW, SITE, to

HOUR = timedelta(hours=1)


@pytest.fixture
def watcher(circle):
    Membership.objects.filter(user=circle.cat, action_set=circle.action_set).update(
        notification_level=Membership.NotificationLevel.WATCHING
    )
    return circle.cat


def test_watchers_hear_of_each_new_post_after_it_commits(circle, watcher, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        airtime = circle.present(circle.ana, at=NOW, title="Ana's airtime", body="How do I *say no*?")
    with django_capture_on_commit_callbacks(execute=True):
        reply = circle.reply(circle.ben, airtime, at=NOW + HOUR, body="Who is asking you?")

    first, second = to(mailoutbox, watcher)
    assert first.subject == "Ana presented “Ana's airtime” · Leading Change"
    assert 'Ana presented a new airtime in Leading Change: "Ana\'s airtime".' in first.body
    assert '"How do I say no?"' in first.body
    assert second.subject == "Ben posted a clarifying question on “Ana's airtime” · Leading Change"
    assert f"Read it and reply: {SITE}/sets/leading-change/airtime/{airtime.pk}/#reply-{reply.pk}" in second.body
    assert {m.to[0] for m in mailoutbox} == {watcher.email}  # only watchers, never the author


def test_watching_is_once_per_post_and_never_sends_hidden_or_confidential_text(circle, watcher, mailoutbox):
    circle.action_set.confidential_digests = True
    circle.action_set.save()
    airtime = circle.present(circle.ana, at=NOW, body="Confidential details")
    assert watching.notify_watchers(airtime_id=airtime.pk) == 1
    assert watching.notify_watchers(airtime_id=airtime.pk) == 0  # a repeated task
    assert OutboundEmail.objects.count() == 1
    assert "Confidential details" not in OutboundEmail.objects.get().body_text
    reply = circle.reply(circle.ben, airtime, at=NOW + HOUR)
    reply.hidden = True
    reply.save()
    assert watching.notify_watchers(reply_id=reply.pk) == 0


def test_each_kind_is_named_by_its_label(circle, watcher, mailoutbox, django_capture_on_commit_callbacks):
    circle.phase_hours(clarifying=1, probing=1, offers=1, summary=1)  # a whole airtime in five hours
    airtime = circle.present(circle.ana, at=NOW, title="Ana's airtime", offers_welcome=True)
    posts = [(circle.ben, 0.5, "reflect_back", "I understood you to mean no is hard — is that right?"),
             (circle.ben, 1.5, "probing", "What would saying no cost you?"),
             (circle.ben, 2.5, "offer", "A script I use."),
             (circle.ana, 3.5, "action", "Say no to one request this week."),
             (circle.fac, 3.7, "process_note", "A pause: we are nearly at reflection.")]
    for user, hours, kind, body in posts:
        with django_capture_on_commit_callbacks(execute=True):
            circle.reply(user, airtime, at=NOW + hours * HOUR, kind=kind, body=body)

    named = [("Ben", "a reflect-back"), ("Ben", "a probing question"), ("Ben", "an offer"),
             ("Ana", "an action commitment"), ("Fay", "a process note")]
    assert [m.subject for m in to(mailoutbox, watcher)] == [
        f"{who} posted {what} on “Ana's airtime” · Leading Change" for who, what in named
    ]
    assert "Ana posted an action commitment on Ana's airtime" in to(mailoutbox, watcher)[3].body

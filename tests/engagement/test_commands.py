"""send_digests / send_nudges / send_outbox: the same logic as beat, for cron and support staff."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from engagement.models import DigestDelivery, Nudge, OutboundEmail

from .conftest import NOW

HOUR = timedelta(hours=1)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_send_digests_dry_run_says_who_would_get_what_and_writes_nothing(circle, mailoutbox):
    circle.present(circle.ben, at=NOW - 20 * HOUR, title="Ben's rota problem")
    out = run("send_digests", "--now", NOW.isoformat(), "--dry-run")
    assert "4 user(s) due a digest at 2026-11-24T12:00:00+00:00." in out
    assert "ana@example.edu: daily digest for period starting 2026-11-24 00:00 UTC — 1 new, 0 waiting (Leading Change)" in out
    assert "ben@example.edu: daily digest for period starting 2026-11-24 00:00 UTC — nothing new, no email" in out
    assert "Dry run: nothing was written or sent." in out
    assert DigestDelivery.objects.count() == OutboundEmail.objects.count() == 0 and mailoutbox == []


def test_send_digests_sends_and_a_second_run_sends_nothing(circle, mailoutbox, django_capture_on_commit_callbacks):
    circle.present(circle.ben, at=NOW - 20 * HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        out = run("send_digests", "--now", "2026-11-24T12:00:00")  # naive means UTC
    assert "Queued 3 digest(s); 1 had nothing new; 0 already handled elsewhere." in out
    assert len(mailoutbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 user(s) due" in run("send_digests", "--now", NOW.isoformat())
    assert len(mailoutbox) == 3


def test_a_bad_now_is_explained(db):
    with pytest.raises(CommandError, match="not an ISO 8601 date and time"):
        run("send_digests", "--now", "next tuesday")


def test_send_nudges_dry_run_then_for_real(circle, mailoutbox, django_capture_on_commit_callbacks):
    quiet_at = circle.round.opens_at + timedelta(days=4)
    out = run("send_nudges", "--now", quiet_at.isoformat(), "--dry-run")
    assert "ana@example.edu (Leading Change): Quiet member (round:" in out
    assert "nudges: 1 set(s) checked at 2026-11-25T12:00:00+00:00, would send 3 email(s)." in out
    assert Nudge.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        out = run("send_nudges", "--now", quiet_at.isoformat())
    assert "queued 3 email(s)" in out
    assert Nudge.objects.count() == len(mailoutbox) == 3


def test_send_outbox_sends_what_was_left_pending(circle, mailoutbox):
    from django.utils import timezone

    from engagement import digests

    circle.present(circle.ben, at=NOW - 20 * HOUR)
    digests.run_digest_batch([circle.ana.pk], now=NOW)  # on-commit sending never ran: a "crash"
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert "1 pending: sent 1" in run("send_outbox")
    assert len(mailoutbox) == 1

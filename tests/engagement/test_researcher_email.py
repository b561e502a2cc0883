"""A researcher (issue 17) gets no email about the set they research but the notice of the grant:
no digest, nudge, round email or new-post email; members' next digest announces them."""

from datetime import timedelta

from actionsets.models import Membership
from facilitation import researchers

from .conftest import NOW, member, to

HOUR = timedelta(hours=1)


def test_the_next_digest_announces_a_new_researcher_and_sends_them_nothing(circle, run_digests, mailoutbox):
    rowe = member(circle.action_set, "rowe@example.org", "Dr Rowe").user
    Membership.objects.filter(user=rowe).delete()
    researchers.grant_researcher(actor=circle.fac, action_set=circle.action_set, email=rowe.email, now=NOW - 10 * HOUR)
    circle.present(circle.ben, at=NOW - 5 * HOUR)
    run_digests(NOW)
    [email] = to(mailoutbox, circle.ana)
    assert "Dr Rowe joined as researcher" in email.body
    assert to(mailoutbox, rowe) == []


def test_a_researcher_is_never_nudged_nor_counted_quiet_nor_sent_round_or_watching_emails(
        circle, run_nudges, run_round_emails, run_digests, mailoutbox):
    rowe = member(circle.action_set, "rowe@example.org", "Dr Rowe", role=Membership.Role.RESEARCHER).user
    # Even with the set's email level changed behind the service's back (the admin, say).
    Membership.objects.filter(user=rowe).update(notification_level=Membership.NotificationLevel.WATCHING)
    airtime = circle.present(circle.ben, at=NOW - 30 * HOUR)
    circle.reply(circle.ana, airtime, at=NOW - 29 * HOUR)
    for days in range(0, 10):
        run_nudges(NOW + timedelta(days=days))
        run_round_emails(NOW + timedelta(days=days))
        run_digests(NOW + timedelta(days=days))
    assert to(mailoutbox, rowe) == []
    assert not any("Dr Rowe" in m.body for m in to(mailoutbox, circle.fac) if "quiet" in m.subject.lower())

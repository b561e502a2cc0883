"""Every facilitator added is announced in each member's next digest (issue 11): members always
know who can read everything in their set."""

from datetime import timedelta

from enrolment import services
from tests.factories import UserFactory

from .conftest import NOW, to

HOUR = timedelta(hours=1)


def test_a_new_facilitator_is_a_line_in_each_members_next_digest(circle, run_digests, mailoutbox):
    admin = UserFactory(is_staff=True, email="admin@example.edu")
    newcomer = UserFactory(email="xu@example.edu", display_name="Dr Xu")
    services.assign_facilitator(actor=admin, action_set=circle.action_set, user=newcomer, now=NOW - 10 * HOUR)
    mailoutbox.clear()  # the invitation

    run_digests(NOW)

    for person in (circle.ana, circle.ben, circle.cat, circle.fac):
        [email] = to(mailoutbox, person)
        assert "Dr Xu joined as facilitator." in email.body
        assert "<strong>Dr Xu joined as facilitator.</strong>" in email.alternatives[0][0]
        assert email.subject == "A new facilitator in Leading Change — your daily digest"


def test_a_promoted_learner_is_announced_and_not_to_themselves(circle, run_digests, mailoutbox):
    admin = UserFactory(is_staff=True, email="admin@example.edu")
    services.assign_facilitator(actor=admin, action_set=circle.action_set, user=circle.ben, now=NOW - 10 * HOUR)

    run_digests(NOW)

    [email] = to(mailoutbox, circle.ana)
    assert "Ben joined as facilitator." in email.body
    assert to(mailoutbox, circle.ben) == []  # nothing else new for Ben: no digest


def test_facilitators_from_before_the_period_are_not_news(circle, run_digests, mailoutbox):
    airtime = circle.present(circle.ben, at=NOW - 20 * HOUR)
    run_digests(NOW)
    [email] = to(mailoutbox, circle.ana)
    assert "joined as facilitator" not in email.body and airtime.title in email.body


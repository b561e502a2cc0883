"""Digests: who gets one when, what is in it, and what never is."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import User
from actionsets import services
from actionsets.models import Membership
from engagement.models import DigestDelivery, OutboundEmail
from tests.factories import ActionSetFactory, RoundFactory

from .conftest import NOW, SITE, member, to, without_via

HOUR = timedelta(hours=1)


def test_daily_digest_tells_a_member_what_is_new_with_links_straight_to_each_post(circle, run_digests, mailoutbox):
    airtime = circle.present(circle.ben, at=NOW - 20 * HOUR, title="Getting the team to own the timetable",
                             body="We keep missing **deadlines** and I am the one chasing.")
    question = circle.reply(circle.cat, airtime, at=NOW - 10 * HOUR, body="What happens when you stop chasing?")

    run_digests(NOW)

    [email] = to(mailoutbox, circle.ana)
    assert email.subject == "2 new posts in Leading Change — your daily digest"
    text = without_via(email.body)
    assert text.startswith("Hello Ana,")
    assert '"Getting the team to own the timetable" — Ben presented' in text
    assert "We keep missing deadlines and I am the one chasing." in text  # markdown flattened to text
    assert 'Cat (clarifying question): "What happens when you stop chasing?"' in text
    assert f"{SITE}/sets/leading-change/airtime/{airtime.pk}/#reply-{question.pk}" in text
    assert "Round 1 closes Saturday 5 December, 12:00 UTC." in text
    assert "You have not presented in round 1 yet." in text
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{SITE}/sets/leading-change/airtime/{airtime.pk}/#reply-{question.pk}"' in without_via(html)
    assert "<blockquote>What happens when you stop chasing?</blockquote>" in html


def test_digest_email_is_multipart_with_a_stable_message_id_and_one_click_unsubscribe(circle, run_digests, mailoutbox):
    circle.present(circle.ben, at=NOW - 2 * HOUR - 5 * HOUR, title="A problem")
    run_digests(NOW)

    [email] = to(mailoutbox, circle.ana)
    message = email.message()
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.get_payload()] == ["text/plain", "text/html"]
    row = OutboundEmail.objects.get(user=circle.ana)
    assert message["Message-ID"] == row.message_id
    assert row.message_id.startswith(f"<digest.daily.{circle.ana.pk}.20261124T0000Z@")
    assert row.message_id.endswith("@sets.example.edu>")
    assert message["List-Unsubscribe"].startswith(f"<{SITE}/email/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert row.status == OutboundEmail.Status.SENT and row.sent_at is not None
    delivery = DigestDelivery.objects.get(user=circle.ana)
    assert delivery.email == row and delivery.item_count == 1


def test_own_posts_read_posts_and_hidden_replies_are_left_out(circle, run_digests, mailoutbox):
    airtime = circle.present(circle.ana, at=NOW - 20 * HOUR, title="Ana's own airtime")
    hidden = circle.reply(circle.ben, airtime, at=NOW - 19 * HOUR, body="Something the facilitator hid")
    hidden.hidden, hidden.hidden_reason = True, "Off topic"
    hidden.save()
    read = circle.present(circle.cat, at=NOW - 18 * HOUR, title="Cat's airtime, already read")
    services.mark_read(user=circle.ana, airtime=read, at=NOW - 17 * HOUR)

    run_digests(NOW)

    assert to(mailoutbox, circle.ana) == []  # nothing left that is new to Ana
    [fay] = to(mailoutbox, circle.fac)
    assert "Cat's airtime, already read" in fay.body
    assert "Something the facilitator hid" not in fay.body + fay.alternatives[0][0]


def test_nothing_from_a_set_you_are_not_in_or_have_left_or_muted(circle, run_digests, mailoutbox):
    other = ActionSetFactory(name="Other Set", slug="other-set", confidential_digests=False, cohort=circle.action_set.cohort)
    RoundFactory(action_set=other, number=1, opens_at=NOW - timedelta(days=3), closes_at=NOW + timedelta(days=11))
    stranger = member(other, "dan@example.edu", "Dan").user
    services.present_airtime(presenter=stranger, action_set=other, title="Secret of another set", body="Private",
                             now=NOW - 20 * HOUR)
    circle.present(circle.ben, at=NOW - 20 * HOUR, title="In Leading Change")
    services.remove_member(membership=circle.membership(circle.cat), now=NOW - 30 * HOUR)
    muted = member(other, "eve@example.edu", "Eve")
    Membership.objects.filter(pk=muted.pk).update(notification_level=Membership.NotificationLevel.MUTED)

    run_digests(NOW)

    bodies = " ".join(m.body + m.alternatives[0][0] for m in mailoutbox if m.to != [stranger.email])
    assert "In Leading Change" in bodies
    assert "Secret of another set" not in bodies and "Other Set" not in bodies
    assert to(mailoutbox, circle.cat) == []  # left the set: no digest of it
    assert to(mailoutbox, muted.user) == []  # muted the only set they are in


def test_confidential_sets_show_titles_and_counts_never_post_text(circle, run_digests, mailoutbox):
    circle.action_set.confidential_digests = True
    circle.action_set.save()
    circle.phase_hours(clarifying=2, probing=0, summary=0)  # reflections open 2 hours after presenting
    airtime = circle.present(circle.ana, at=NOW - 20 * HOUR, title="Restructuring the department",
                             body="My head of school wants me to cut two posts.")
    circle.reply(circle.ben, airtime, at=NOW - 19 * HOUR, body="Who else knows about the cuts?")
    circle.reply(circle.cat, airtime, at=NOW - 18 * HOUR, body="I realise I avoid this too.", kind="reflection")
    services.record_commitment(owner=circle.ana, airtime=airtime, text="Talk to the union rep", now=NOW - 17 * HOUR)

    run_digests(NOW)

    [ana] = to(mailoutbox, circle.ana)
    [fay] = to(mailoutbox, circle.fac)
    for email in (ana, fay):
        everything = email.subject + email.body + email.alternatives[0][0]
        for secret in ("cut two posts", "Who else knows", "I realise", "union rep"):
            assert secret not in everything
    assert '"Restructuring the department": 2 new (1 clarifying question, 1 reflection)' in fay.body
    assert "titles and counts" in fay.body
    assert '1 reply on "Restructuring the department"' in ana.body  # waiting for her answer, as a count
    assert "You have 1 open commitment in this set" in ana.body


def test_questions_waiting_for_you_until_you_answer(circle, run_digests, mailoutbox):
    airtime = circle.present(circle.ana, at=NOW - 40 * HOUR, title="Ana's airtime")
    question = circle.reply(circle.ben, airtime, at=NOW - 20 * HOUR, body="What would success look like?")

    run_digests(NOW)
    [email] = to(mailoutbox, circle.ana)
    assert email.subject.startswith("1 waiting for your answer · 1 new post in Leading Change")
    assert "WAITING FOR YOUR ANSWER" in email.body
    assert 'Ben (clarifying question) on "Ana\'s airtime":\n  "What would success look like?"' in email.body
    assert email.body.count("What would success look like?") == 1  # not again under new replies
    assert "* 1 waiting for your answer (above)" in email.body

    circle.reply(circle.ana, airtime, at=NOW + HOUR, body="Fewer late nights.", parent=question)
    circle.reply(circle.cat, airtime, at=NOW + 2 * HOUR, body="And for your team?")
    mailoutbox.clear()
    run_digests(NOW + timedelta(days=1))
    [email] = to(mailoutbox, circle.ana)
    assert "WAITING FOR YOUR ANSWER" in email.body  # Cat's new question waits...
    assert "What would success look like?" not in email.body  # ...Ben's was answered


def test_a_reply_to_your_reply_waits_for_you(circle, run_digests, mailoutbox):
    airtime = circle.present(circle.ben, at=NOW - 40 * HOUR, title="Ben's airtime")
    question = circle.reply(circle.ana, airtime, at=NOW - 35 * HOUR, body="Who decides?")
    mine = circle.reply(circle.cat, airtime, at=NOW - 30 * HOUR, body="And who else?", parent=question)
    circle.reply(circle.ana, airtime, at=NOW - 20 * HOUR, body="How do you cope?", parent=mine)

    run_digests(NOW)

    [email] = to(mailoutbox, circle.cat)
    assert 'Ana (clarifying question) on "Ben\'s airtime":\n  "How do you cope?"' in email.body


def test_the_presenters_response_is_news_not_waiting_for_your_answer(circle, run_digests, mailoutbox):
    """Issue 13: a response answers my question; it waits for nobody (it was listed as waiting)."""
    airtime = circle.present(circle.ben, at=NOW - 40 * HOUR, title="Ben's airtime")
    mine = circle.reply(circle.cat, airtime, at=NOW - 30 * HOUR, body="What have you tried?")
    circle.reply(circle.ben, airtime, at=NOW - 20 * HOUR, body="A rota. Why do you ask?", parent=mine)

    run_digests(NOW)

    [email] = to(mailoutbox, circle.cat)
    assert "WAITING FOR YOUR ANSWER" not in email.body and "waiting for your answer" not in email.subject
    assert '"A rota. Why do you ask?"' in email.body  # still news, under new replies


def test_replies_of_every_kind_appear_with_their_labels(circle, run_digests, mailoutbox):
    # A whole airtime in eight hours: clarifying, probing and offers 2 h each, summary and actions 2 h,
    # then reflection.
    circle.phase_hours(clarifying=2, probing=2, offers=2, summary=2)
    start = NOW - 20 * HOUR
    airtime = circle.present(circle.ben, at=start, title="Ben's rota problem", offers_welcome=True)

    def post(user, hours, kind, body, parent=None):
        return circle.reply(user, airtime, at=start + hours * HOUR, kind=kind, body=body, parent=parent)

    clarifying = post(circle.cat, 0.5, "clarifying", "Who drew up the rota?")
    post(circle.cat, 1, "reflect_back", "I understood you to mean the rota is yours — is that right?")
    post(circle.cat, 1.2, "reflect_back", "I understood you to mean nobody asked — is that right?")
    post(circle.ben, 1.5, None, "My deputy did.", parent=clarifying)
    post(circle.cat, 2.5, "probing", "What do you want from your team?")
    post(circle.cat, 4.5, "offer", "OFFER-TEXT a rota template I use.")
    post(circle.ben, 6.5, "summary", "I now see it is about trust.")
    post(circle.ben, 7, "action", "Ask the team to draft the next rota.")
    post(circle.fac, 7.5, "process_note", "PROCESS-TEXT a pause to notice our questions.")
    post(circle.cat, 8.5, "reflection", "REFLECTION-TEXT I learned to ask first.")

    run_digests(NOW)

    [ana] = to(mailoutbox, circle.ana)
    assert ('"Ben\'s rota problem": 10 new (1 action commitment, 1 clarifying question, 1 offer, 1 probing question, '
            "1 process note, 2 reflect-backs, 1 reflection, 1 response, 1 summary)") in ana.body
    assert 'Ben (action commitment): "Ask the team to draft the next rota."' in ana.body
    assert 'Fay (process note): "PROCESS-TEXT a pause to notice our questions."' in ana.body
    assert 'Cat (reflection): "REFLECTION-TEXT I learned to ask first."' in ana.body
    [ben] = to(mailoutbox, circle.ben)  # questions still waiting for the presenter's answer
    assert 'Cat (reflect-back) on "Ben\'s rota problem":' in ben.body
    assert 'Cat (probing question) on "Ben\'s rota problem":' in ben.body
    assert "(question)" not in ana.body + ben.body
    html = ana.alternatives[0][0]
    assert "Ben (action commitment)</a>" in html and "Fay (process note)</a>" in html


def test_no_email_when_nothing_is_new_but_the_period_is_recorded_once(circle, run_digests, mailoutbox):
    run_digests(NOW)
    run_digests(NOW + timedelta(minutes=15))

    assert mailoutbox == []
    deliveries = DigestDelivery.objects.filter(user=circle.ana)
    assert [(d.item_count, d.email_id) for d in deliveries] == [(0, None)]
    assert OutboundEmail.objects.count() == 0


def test_the_same_period_is_never_sent_twice(circle, run_digests, mailoutbox):
    circle.present(circle.ben, at=NOW - 20 * HOUR)
    run_digests(NOW)
    circle.present(circle.cat, at=NOW - 19 * HOUR)  # even if something turns up in the window later
    run_digests(NOW + timedelta(minutes=15))
    run_digests(NOW + timedelta(hours=5))

    assert len(to(mailoutbox, circle.ana)) == 1
    assert DigestDelivery.objects.filter(user=circle.ana).count() == 1


def test_auckland_and_los_angeles_each_get_theirs_at_their_own_digest_hour(circle, run_digests, mailoutbox):
    auckland = circle.ana
    User.objects.filter(pk=auckland.pk).update(timezone="Pacific/Auckland", digest_hour=7)
    User.objects.filter(pk=circle.ben.pk).update(timezone="America/Los_Angeles", digest_hour=7)
    User.objects.filter(pk=circle.cat.pk).update(timezone="Europe/London", digest_hour=19)
    User.objects.filter(pk=circle.fac.pk).update(digest_frequency="off")
    # 18:30 UTC on Tuesday = 07:30 Wednesday in Auckland (NZDT) = 10:30 Tuesday in Los Angeles (PST).
    run_at = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
    airtime = circle.present(circle.cat, at=run_at - 20 * HOUR, title="Early airtime")
    circle.reply(circle.fac, airtime, at=run_at - 2 * HOUR, body="Posted after LA's 07:00", kind="summary")

    run_digests(run_at - timedelta(minutes=31))  # 17:59 UTC: 06:59 in Auckland, nobody due yet but LA
    assert {m.to[0] for m in mailoutbox} == {circle.ben.email}
    run_digests(run_at)

    periods = dict(DigestDelivery.objects.values_list("user__email", "period_start"))
    assert periods == {
        auckland.email: datetime(2026, 11, 24, 11, 0, tzinfo=UTC),  # Wednesday 00:00 NZDT
        circle.ben.email: datetime(2026, 11, 24, 8, 0, tzinfo=UTC),  # Tuesday 00:00 PST
    }  # London's 19:00 has not come
    [akl] = to(mailoutbox, auckland)
    [la] = to(mailoutbox, circle.ben)
    assert "Posted after LA's 07:00" in akl.body  # Auckland's window runs to 18:00 UTC
    assert "Posted after LA's 07:00" not in la.body  # LA's closed at 15:00 UTC: it is in tomorrow's
    assert "Early airtime" in la.body
    assert "closes Saturday 5 December, 12:00 UTC" not in akl.body
    assert "Sunday 6 December, 01:00 NZDT" in akl.body  # deadlines in the reader's own zone


def test_weekly_digest_comes_on_monday_and_covers_the_week(circle, run_digests, mailoutbox):
    User.objects.filter(pk=circle.ana.pk).update(digest_frequency="weekly", digest_hour=8)
    monday = datetime(2026, 11, 30, 8, 5, tzinfo=UTC)
    circle.present(circle.ben, at=monday - timedelta(days=5), title="Five days old")
    circle.present(circle.cat, at=monday - 3 * HOUR, title="This morning")

    run_digests(monday - timedelta(minutes=10))  # 07:55: not yet
    assert to(mailoutbox, circle.ana) == []
    run_digests(monday)
    [weekly] = to(mailoutbox, circle.ana)
    assert weekly.subject.endswith("your weekly digest")
    assert "Five days old" in weekly.body and "This morning" in weekly.body
    assert "this past week" in weekly.body
    [daily] = to(mailoutbox, circle.fac)
    assert "This morning" in daily.body and "Five days old" not in daily.body

    run_digests(monday + timedelta(days=1))  # Tuesday: the week's digest is done
    assert len(to(mailoutbox, circle.ana)) == 1
    delivery = DigestDelivery.objects.get(user=circle.ana)
    assert (delivery.frequency, delivery.period_start) == ("weekly", datetime(2026, 11, 30, 0, 0, tzinfo=UTC))


def test_people_who_chose_no_digest_or_are_inactive_get_none(circle, run_digests, mailoutbox):
    User.objects.filter(pk=circle.ana.pk).update(digest_frequency="off")
    User.objects.filter(pk=circle.cat.pk).update(is_active=False)
    circle.present(circle.ben, at=NOW - 20 * HOUR)
    run_digests(NOW)
    assert {m.to[0] for m in mailoutbox} == {circle.fac.email}


@pytest.mark.parametrize("ask_first", [False, True])
@pytest.mark.parametrize("users", [10, 30])
def test_a_batch_costs_the_same_queries_whatever_its_size(circle, users, ask_first, django_assert_num_queries):
    """17 queries per batch: 11 to build (users, deliveries, memberships, rounds, new airtimes, new
    replies, read markers, waiting replies, commitments, my airtimes in open rounds, and — since
    ask-before-you-see — the questions it may withhold, loaded once for every reader) and 6 to
    record (savepoint, lock users, re-check deliveries, insert emails, insert deliveries, release).
    The test runs inside a transaction, hence a savepoint rather than BEGIN/COMMIT."""
    from engagement import digests

    circle.ask_before_seeing(ask_first)
    people = [circle.ana, circle.ben, circle.cat, circle.fac]
    people += [member(circle.action_set, f"p{n}@example.edu", f"P{n}").user for n in range(users - 4)]
    for n, person in enumerate(people[: users // 2]):
        airtime = circle.present(person, at=NOW - (20 - n * 0.1) * HOUR)
        for other in people[users // 2 : users // 2 + 3]:
            circle.reply(other, airtime, at=NOW - (10 - n * 0.1) * HOUR)
    ids = [p.pk for p in people]

    with django_assert_num_queries(17):
        result = digests.run_digest_batch(ids, now=NOW)
    assert len(result.sent) + len(result.empty) == users and len(result.sent) > users // 2


@pytest.mark.parametrize("users", [10, 60])
def test_choosing_who_is_due_costs_two_queries(circle, users, django_assert_num_queries):
    from engagement import digests

    for n in range(users - 4):
        member(circle.action_set, f"p{n}@example.edu", f"P{n}")
    with django_assert_num_queries(2):
        due = digests.due_user_ids(now=NOW)
    assert len(due) == users

"""The engine measures its own effect (issue 14, part 4): per nudge kind and for digests, did the
person open the site from the email (a signed per-email link parameter, no pixels) and come back
within 48 hours (posted; answered, for "questions waiting")? Counted in the database, time-zone safe,
in a fixed number of queries."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagement import effects
from engagement.models import DigestDelivery, Nudge, OutboundEmail
from tests.factories import ActionSetFactory, MembershipFactory

from .conftest import SITE, to

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
Kind = Nudge.Kind
VIA = re.compile(re.escape(SITE) + r"/\S*?via=[^\s&#\"'<>]+")


def by_kind(set_ids, now):
    return {e.kind: e for e in effects.effects(set_ids, now=now)}


@pytest.fixture
def quiet_at(circle):
    return circle.round.opens_at + timedelta(days=circle.action_set.quiet_after_days)


@pytest.fixture
def nudged(circle, run_nudges, quiet_at):
    """Ana, Ben and Cat all quiet: each gets a quiet-member nudge at `quiet_at`."""
    run_nudges(quiet_at)
    assert Nudge.objects.filter(kind=Kind.QUIET_MEMBER).count() == 3
    return quiet_at


def test_every_site_link_of_a_nudge_carries_the_signed_parameter_but_unsubscribe(circle, nudged, mailoutbox):
    [email] = to(mailoutbox, circle.ana)
    links = re.findall(re.escape(SITE) + r"/\S+", email.body)
    assert links and all(("via=" in link) != ("/email/" in link) for link in links), links
    html = email.alternatives[0][0]
    assert "via=" in html and "/email/unsubscribe/" in html
    assert not re.search(r"/email/unsubscribe/[^\"]*via=", html)
    assert "<img" not in html  # no pixels


def test_opening_the_site_from_the_email_is_recorded_once_and_the_token_dropped(client, circle, nudged, mailoutbox):
    [email] = to(mailoutbox, circle.ana)
    url = urlsplit(VIA.search(email.body).group(0))
    response = client.get(f"{url.path}?{url.query}")
    assert response.status_code == 302 and response["Location"] == url.path
    row = OutboundEmail.objects.get(to=circle.ana.email)
    first = row.opened_at
    assert first is not None
    client.get(f"{url.path}?{url.query}")
    row.refresh_from_db()
    assert row.opened_at == first
    assert OutboundEmail.objects.filter(opened_at__isnull=False).count() == 1


def test_a_forged_token_records_nothing(client, circle, nudged):
    response = client.get("/?via=abc:forged&x=1")
    assert response.status_code == 302 and response["Location"] == "/?x=1"
    assert not OutboundEmail.objects.filter(opened_at__isnull=False).exists()


def test_came_back_is_a_post_within_48_hours_of_the_email(circle, nudged, client, mailoutbox):
    airtime = circle.present(circle.ben, at=nudged + HOUR)  # Ben came back: he presented
    circle.reply(circle.ana, airtime, at=nudged + 47 * HOUR + 59 * MINUTE)  # just inside
    circle.reply(circle.cat, airtime, at=nudged + 48 * HOUR)  # just outside
    [email] = to(mailoutbox, circle.cat)
    url = urlsplit(VIA.search(email.body).group(0))
    client.get(f"{url.path}?{url.query}")  # Cat opened the site from it, but did not post in time
    quiet = by_kind([circle.action_set.pk], nudged + 3 * DAY)[Kind.QUIET_MEMBER]
    assert (quiet.sent, quiet.opened, quiet.came_back, quiet.waiting) == (3, 1, 2, 0)
    assert (quiet.opened_share, quiet.came_back_share) == (33, 67)


def test_emails_younger_than_48_hours_are_not_counted_yet(circle, nudged):
    quiet = by_kind([circle.action_set.pk], nudged + 47 * HOUR)[Kind.QUIET_MEMBER]
    assert (quiet.sent, quiet.waiting, quiet.came_back_share) == (0, 3, None)
    assert by_kind([circle.action_set.pk], nudged + 48 * HOUR)[Kind.QUIET_MEMBER].sent == 3


def test_a_post_in_another_set_or_before_the_email_does_not_count(circle, nudged):
    elsewhere = ActionSetFactory(cohort=circle.action_set.cohort)
    MembershipFactory(action_set=elsewhere, user=circle.ana)
    from actionsets.models import Airtime, Reply

    other = circle.present(circle.ben, at=nudged - HOUR)  # before the email: not a comeback
    Reply.objects.filter(airtime=other).delete()
    Airtime.objects.filter(pk=other.pk).update(action_set=elsewhere)  # and now in another set
    quiet = by_kind([circle.action_set.pk], nudged + 3 * DAY)[Kind.QUIET_MEMBER]
    assert quiet.came_back == 0


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland", "America/New_York"])
def test_48_hours_are_elapsed_time_across_a_change_of_the_clocks(settings, circle, zone):
    """Nudged at 00:30 UTC on the night Europe and New York leave summer time (25 Oct / 1 Nov 2026):
    the local wall-clock difference is 49 or 47 hours, the elapsed time is what counts."""
    settings.TIME_ZONE = zone
    type(circle.ana).objects.filter(pk=circle.ana.pk).update(timezone=zone)
    for sent in (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)):
        Nudge.objects.all().delete()
        OutboundEmail.objects.all().delete()
        from actionsets.models import Round

        Round.objects.filter(pk=circle.round.pk).update(opens_at=sent - 3 * DAY, closes_at=sent + 11 * DAY)
        circle.round.refresh_from_db()
        email = OutboundEmail.objects.create(to=circle.ana.email, user=circle.ana, subject="s", body_text="t",
                                             message_id=f"<{sent:%s}@x>", sent_at=sent)
        Nudge.objects.create(user=circle.ana, action_set=circle.action_set, kind=Kind.UNANSWERED_AIRTIME,
                             period=f"p{sent:%s}", sent_at=sent, email=email)
        airtime = circle.present(circle.ben, at=sent - 2 * HOUR, title=f"T {sent:%s}")
        reply = circle.reply(circle.ana, airtime, at=sent + 48 * HOUR - MINUTE)
        assert by_kind([circle.action_set.pk], sent + 4 * DAY)[Kind.UNANSWERED_AIRTIME].came_back == 1
        type(reply).objects.filter(pk=reply.pk).update(created_at=sent + 48 * HOUR)
        assert by_kind([circle.action_set.pk], sent + 4 * DAY)[Kind.UNANSWERED_AIRTIME].came_back == 0
        type(reply).objects.filter(pk=reply.pk).delete()
        type(airtime).objects.filter(pk=airtime.pk).delete()


def test_questions_waiting_counts_an_answer_on_their_own_airtime(circle):
    sent = circle.round.opens_at + 4 * DAY
    airtime = circle.present(circle.ben, at=circle.round.opens_at + HOUR)
    question = circle.reply(circle.ana, airtime, at=circle.round.opens_at + 2 * HOUR)
    other = circle.present(circle.cat, at=circle.round.opens_at + HOUR)
    for user in (circle.ben, circle.cat):
        email = OutboundEmail.objects.create(to=user.email, user=user, subject="s", body_text="t",
                                             message_id=f"<qw{user.pk}@x>")
        Nudge.objects.create(user=user, action_set=circle.action_set, kind=Kind.QUESTIONS_WAITING,
                             period="p", sent_at=sent, email=email)
    circle.reply(circle.ben, airtime, at=sent + HOUR, parent=question, kind="response")  # Ben answered
    effect = by_kind([circle.action_set.pk], sent + 3 * DAY)[Kind.QUESTIONS_WAITING]
    assert (effect.sent, effect.came_back) == (2, 1)  # Cat's own airtime had nothing answered
    assert not other.replies.exists()


def test_digests_count_a_post_in_the_sets_within_48_hours(circle):
    sent = circle.round.opens_at + DAY
    for user in (circle.ana, circle.cat):
        email = OutboundEmail.objects.create(to=user.email, user=user, subject="d", body_text="t",
                                             message_id=f"<d{user.pk}@x>", created_at=sent)
        DigestDelivery.objects.create(user=user, frequency="daily", period_start=sent - DAY, item_count=2, email=email)
    OutboundEmail.objects.filter(to=circle.cat.email).update(opened_at=sent + HOUR)
    airtime = circle.present(circle.ben, at=sent - HOUR)
    circle.reply(circle.ana, airtime, at=sent + 5 * HOUR)
    digest = by_kind([circle.action_set.pk], sent + 3 * DAY)["digest"]
    assert (digest.sent, digest.opened, digest.came_back) == (2, 1, 1)
    assert by_kind([ActionSetFactory().pk], sent + 3 * DAY)["digest"].sent == 0  # not their set


@pytest.mark.parametrize("size", [1, 12])
def test_two_queries_whatever_the_number_of_emails(circle, size):
    sent = circle.round.opens_at + DAY
    for n in range(size):
        for kind in (Kind.QUIET_MEMBER, Kind.UNANSWERED_AIRTIME):
            email = OutboundEmail.objects.create(to="x@example.edu", user=circle.ana, subject="s", body_text="t",
                                                 message_id=f"<{kind}{n}@x>", created_at=sent)
            Nudge.objects.create(user=circle.ana, action_set=circle.action_set, kind=kind, period=f"{n}",
                                 sent_at=sent, email=email)
            DigestDelivery.objects.create(user=circle.ana, frequency="daily", period_start=sent - n * DAY - (
                HOUR if kind == Kind.QUIET_MEMBER else 0 * HOUR), email=email if kind == Kind.QUIET_MEMBER else None)
    with CaptureQueriesContext(connection) as ctx:
        result = by_kind([circle.action_set.pk], sent + 3 * DAY)
    assert len(ctx.captured_queries) == 2
    assert result[Kind.QUIET_MEMBER].sent == size and result["digest"].sent == size


def _one_quiet_nudge_settled(circle, *, opened: bool):
    sent = circle.round.opens_at + DAY
    email = OutboundEmail.objects.create(to=circle.ana.email, user=circle.ana, subject="s", body_text="t",
                                         message_id="<page@x>", opened_at=sent + HOUR if opened else None)
    Nudge.objects.create(user=circle.ana, action_set=circle.action_set, kind=Kind.QUIET_MEMBER, period="p",
                         sent_at=sent, email=email)
    airtime = circle.present(circle.ben, at=sent - HOUR)
    circle.reply(circle.ana, airtime, at=sent + 2 * HOUR)


def test_the_facilitator_dashboard_shows_counts_beside_shares(client, circle, settings):
    _one_quiet_nudge_settled(circle, opened=True)
    client.force_login(circle.fac)
    page = client.get(f"/sets/{circle.action_set.slug}/facilitate/").content.decode()
    assert "Do the emails help?" in page
    row = re.search(r"<th scope=\"row\">Quiet member</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td class=\"num\">(.*?)</td>", row) == [
        "1", '1 <span class="meta">(100%)</span>', '1 <span class="meta">(100%)</span>', "0"]


def test_the_cohort_page_under_manage_shows_the_cohorts_counts(client, circle, staff):
    _one_quiet_nudge_settled(circle, opened=False)
    client.force_login(staff)
    page = client.get(f"/manage/cohorts/{circle.action_set.cohort.slug}/").content.decode()
    row = re.search(r"<th scope=\"row\">Quiet member</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td class=\"num\">(.*?)</td>", row) == [
        "1", '0 <span class="meta">(0%)</span>', '1 <span class="meta">(100%)</span>', "0"]
    assert "What have you tried so far?" not in page  # counts, never content


def test_links_keep_their_query_fragment_and_closing_punctuation(settings):
    settings.SITE_URL = SITE
    email = effects.with_visit_links(OutboundEmail(
        message_id="<one@x>", body_text=f"See {SITE}/sets/a/airtime/5/. Or {SITE}/?x=1#top, and {SITE}/email/u/t/",
        body_html=f'<a href="{SITE}/sets/a/?x=1&amp;y=2#r">a</a>'))
    token = effects.visit_token(email.link_id)
    assert email.body_text == (f"See {SITE}/sets/a/airtime/5/?via={token}. Or {SITE}/?x=1&via={token}#top, "
                               f"and {SITE}/email/u/t/")
    assert email.body_html == f'<a href="{SITE}/sets/a/?x=1&amp;y=2&amp;via={token}#r">a</a>'

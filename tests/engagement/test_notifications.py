"""@mentions and notifications (issue 14 §2, engagement/notifications.py).

Every post goes through the real services, and what they announce runs after the commit
(`posting`), through the real listeners and tasks, into the outbox and the locmem mailbox.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from actionsets import services
from actionsets.models import Membership
from engagement import notifications
from engagement.models import Notification, OutboundEmail
from facilitation import services as facilitation_services
from tests.factories import UserFactory

from .conftest import NOW, member, to

HOUR = timedelta(hours=1)
Kind = Notification.Kind


@pytest.fixture
def posting(django_capture_on_commit_callbacks):
    """Run a write and everything it announces after its commit (tasks in-process)."""

    def _run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return _run


def handle(circle, user) -> str:
    return circle.membership(user).handle


def kinds_for(user) -> list[str]:
    return [n.kind for n in notifications.notifications_for(user)]


def mention_emails(mailoutbox, user) -> list:
    return [m for m in to(mailoutbox, user) if "mentioned you" in m.subject]


# --- Handles ---------------------------------------------------------------------------------------


def test_every_member_has_a_readable_handle_unique_in_the_set(circle):
    assert [handle(circle, u) for u in (circle.ana, circle.ben, circle.cat, circle.fac)] == ["ana", "ben", "cat", "fay"]
    second = member(circle.action_set, "ana.r@example.edu", "Ana Ramos")
    third = member(circle.action_set, "ana.ro@example.edu", "Ana Romero")
    assert (second.handle, third.handle) == ("ana.r", "ana.ro")


def test_add_member_assigns_a_handle_and_a_former_members_handle_is_free_again(circle):
    services.remove_member(membership=circle.membership(circle.cat))
    newcomer = UserFactory(email="cat2@example.edu", display_name="Cat Two")
    joined = services.add_member(action_set=circle.action_set, user=newcomer)
    assert joined.handle == "cat"


@pytest.mark.parametrize("name, taken, expected", [
    ("Priya Raman", set(), "priya"),
    ("Priya Raman", {"priya"}, "priya.r"),
    ("Priya Raman", {"priya", "priya.r"}, "priya.ra"),
    ("Zoë O'Brien", set(), "zoe"),
    ("", set(), "sam"),  # no name: the address's local part
    ("Li", {"li"}, "li2"),
])
def test_choose_handle(name, taken, expected):
    from actionsets.handles import choose_handle

    assert choose_handle(name=name, email="sam@example.edu", taken=taken) == expected


# --- Rendering -------------------------------------------------------------------------------------


def test_a_mention_of_a_current_member_renders_and_anyone_else_stays_text(circle, posting, outsider):
    services.remove_member(membership=circle.membership(circle.cat))
    airtime = posting(circle.present, circle.ben, at=NOW - 2 * HOUR)
    reply = posting(circle.reply, circle.ana, airtime, at=NOW - HOUR,
                    body="What did @ben say, and @cat, @outsider, `@fay`? Write to me@ben.example")
    assert '<span class="mention">@ben</span>' in reply.body_html
    for plain in ("@cat", "@outsider", "<code>@fay</code>"):
        assert plain in reply.body_html
    assert reply.body_html.count('class="mention"') == 1


def test_the_sanitiser_still_guards_the_mention_element(circle, posting):
    airtime = posting(circle.present, circle.ben, at=NOW - 2 * HOUR)
    reply = posting(circle.reply, circle.ana, airtime, at=NOW - HOUR,
                    body='<span class="mention" onclick="x()">@nobody</span> [@ben](javascript:alert(1))')
    assert "<span" not in reply.body_html and "&lt;span" in reply.body_html
    assert "javascript" not in reply.body_html


# --- Mentions notify, once, by email through the outbox ---------------------------------------------


def test_a_mentioned_member_is_notified_once_and_emailed_once(circle, posting, mailoutbox):
    airtime = posting(circle.present, circle.ben, at=NOW - 2 * HOUR)
    reply = posting(circle.reply, circle.ana, airtime, at=NOW - HOUR, body="What would @cat do here, @ana?")
    assert kinds_for(circle.cat) == [Kind.MENTION]
    assert kinds_for(circle.ana) == []  # never about one's own post
    [email] = mention_emails(mailoutbox, circle.cat)
    assert "Ana mentioned you in a reply on" in email.subject
    assert f"#reply-{reply.pk}" in email.body
    # The same announcement again (a retried task, an edit that keeps the mention): nothing new.
    notifications.on_mention(airtime_id=airtime.pk, reply_id=reply.pk, author_id=circle.ana.pk,
                             user_ids=[circle.cat.pk])
    posting(services.edit_reply, editor=circle.ana, reply=reply, body="What would @cat do here? And @ben?",
            now=NOW - HOUR / 2)
    assert Notification.objects.filter(user=circle.cat).count() == 1
    assert len(mention_emails(mailoutbox, circle.cat)) == 1
    assert OutboundEmail.objects.filter(user=circle.cat, category="notification").count() == 1


def test_a_muted_set_sends_no_notification_email_but_the_page_still_lists_it(circle, posting, mailoutbox):
    Membership.objects.filter(pk=circle.membership(circle.cat).pk).update(
        notification_level=Membership.NotificationLevel.MUTED)
    airtime = posting(circle.present, circle.ben, at=NOW - 2 * HOUR, body="I'd value @cat's view.")
    assert kinds_for(circle.cat) == [Kind.MENTION]
    assert to(mailoutbox, circle.cat) == []


# --- Never about a post the person may not see --------------------------------------------------------


def test_a_mention_in_a_withheld_question_waits_until_the_member_has_asked(circle, posting, mailoutbox, client):
    circle.ask_before_seeing()
    airtime = posting(circle.present, circle.ben, at=NOW - 3 * HOUR)
    posting(circle.reply, circle.ana, airtime, at=NOW - 2 * HOUR, body="WITHHELD what would @cat try first?")
    waiting = Notification.objects.get(user=circle.cat)
    assert waiting.visible_at is None
    assert kinds_for(circle.cat) == [] and notifications.unread_count(circle.cat) == 0
    assert mention_emails(mailoutbox, circle.cat) == []
    client.force_login(circle.cat)
    assert b"WITHHELD" not in client.get(reverse("engagement:notifications")).content
    assert client.get(reverse("engagement:notification_open", args=[waiting.pk])).status_code == 404

    posting(circle.reply, circle.cat, airtime, at=NOW - HOUR, body="What have you tried?")  # Cat asks: unlocked

    assert kinds_for(circle.cat) == [Kind.MENTION]
    assert len(mention_emails(mailoutbox, circle.cat)) == 1


def test_a_withheld_mention_is_released_by_the_sweep_once_the_phase_has_passed(circle, posting, mailoutbox):
    circle.ask_before_seeing()
    circle.phase_hours(clarifying=2)
    airtime = posting(circle.present, circle.ben, at=NOW - 3 * HOUR)
    posting(circle.reply, circle.ana, airtime, at=NOW - 2 * HOUR - HOUR / 2, body="What would @cat try?")
    assert notifications.release_waiting(now=NOW - 2 * HOUR - HOUR / 4) == 0  # still clarifying
    assert notifications.release_waiting(now=NOW) == 1
    assert notifications.release_waiting(now=NOW) == 0
    assert kinds_for(circle.cat) == [Kind.MENTION]


def test_a_hidden_post_never_notifies_and_a_released_one_disappears_when_hidden(circle, posting, mailoutbox):
    circle.ask_before_seeing()
    airtime = posting(circle.present, circle.ben, at=NOW - 3 * HOUR)
    withheld = posting(circle.reply, circle.ana, airtime, at=NOW - 2 * HOUR, body="HIDDEN what would @cat do?")
    posting(facilitation_services.hide_reply, actor=circle.fac, reply=withheld, reason="Names a colleague.")
    posting(circle.reply, circle.cat, airtime, at=NOW - HOUR, body="What have you tried?")  # unlocks, but hidden
    assert Kind.MENTION not in kinds_for(circle.cat) and mention_emails(mailoutbox, circle.cat) == []

    posting(facilitation_services.restore_reply, actor=circle.fac, reply=withheld, reason="Cleared.")
    assert Kind.MENTION in kinds_for(circle.cat)
    posting(facilitation_services.hide_reply, actor=circle.fac, reply=withheld, reason="Again.")
    assert Kind.MENTION not in kinds_for(circle.cat)
    assert notifications.unread_count(circle.cat) == 0


def test_a_former_member_sees_none_of_the_sets_notifications(circle, posting, client):
    airtime = posting(circle.present, circle.ben, at=NOW - 2 * HOUR, title="SECRET-TITLE")
    posting(circle.reply, circle.ana, airtime, at=NOW - HOUR, body="What would @cat do?")
    note = Notification.objects.get(user=circle.cat, kind=Kind.MENTION)
    services.remove_member(membership=circle.membership(circle.cat))
    client.force_login(circle.cat)
    assert b"SECRET-TITLE" not in client.get(reverse("engagement:notifications")).content
    assert client.get(reverse("engagement:notification_open", args=[note.pk])).status_code == 404


# --- The other kinds ------------------------------------------------------------------------------


def test_replies_questions_moderation_and_being_added(circle, posting, mailoutbox):
    airtime = posting(circle.present, circle.ben, at=NOW - 3 * HOUR)
    question = posting(circle.reply, circle.ana, airtime, at=NOW - 2 * HOUR, body="What have you tried?")
    posting(circle.reply, circle.ben, airtime, at=NOW - HOUR, body="Rotas, twice.", parent=question)
    assert kinds_for(circle.ben) == [Kind.QUESTION]
    assert kinds_for(circle.ana) == [Kind.REPLY]
    # Already in their email as their level says (here: digest and nudges), so not emailed again.
    assert OutboundEmail.objects.filter(category="notification").count() == 0
    posting(facilitation_services.hide_reply, actor=circle.fac, reply=question, reason="Names a colleague.")
    [moderated, replied] = notifications.notifications_for(circle.ana)
    assert moderated.kind == Kind.MODERATION
    assert notifications.describe(moderated).startswith("A facilitator, Fay, hid your reply on")
    assert any("hid your reply" in m.subject for m in to(mailoutbox, circle.ana))

    newcomer = UserFactory(email="dee@example.edu", display_name="Dee")
    posting(services.add_member, action_set=circle.action_set, user=newcomer)
    assert kinds_for(newcomer) == [Kind.ADDED]
    assert to(mailoutbox, newcomer) == []  # the invitation says so already


def test_a_watcher_gets_one_email_about_a_reply_to_them_not_two(circle, posting, mailoutbox):
    Membership.objects.filter(pk=circle.membership(circle.ana).pk).update(
        notification_level=Membership.NotificationLevel.WATCHING)
    airtime = posting(circle.present, circle.ben, at=NOW - 3 * HOUR)
    question = posting(circle.reply, circle.ana, airtime, at=NOW - 2 * HOUR, body="What have you tried?")
    mailoutbox.clear()
    posting(circle.reply, circle.ben, airtime, at=NOW - HOUR, body="Rotas, twice.", parent=question)
    assert kinds_for(circle.ana) == [Kind.REPLY]
    assert len(to(mailoutbox, circle.ana)) == 1  # the watching email


# --- The page, the header and their cost -------------------------------------------------------------


def test_opening_marks_read_and_mark_all_read(circle, posting, client):
    airtime = posting(circle.present, circle.ben, at=NOW - 3 * HOUR, body="@cat and @ana, thoughts?")
    posting(circle.reply, circle.ana, airtime, at=NOW - 2 * HOUR, body="What would @cat do?")
    client.force_login(circle.cat)
    page = client.get(reverse("engagement:notifications")).content.decode()
    assert "Mark all read" in page and page.count("notification--unread") == 2
    assert 'class="badge badge--new count-badge">2<' in page
    first = Notification.objects.filter(user=circle.cat).first()
    opened = client.get(reverse("engagement:notification_open", args=[first.pk]))
    assert opened.status_code == 302 and opened["Location"].startswith(f"/sets/{circle.action_set.slug}/airtime/")
    assert notifications.unread_count(circle.cat) == 1
    client.post(reverse("engagement:notifications_read"))
    assert notifications.unread_count(circle.cat) == 0
    assert "count-badge" not in client.get(reverse("engagement:notifications")).content.decode()
    # Someone else's notification is 404, like a post one may not read.
    client.force_login(circle.ben)
    assert client.get(reverse("engagement:notification_open", args=[first.pk])).status_code == 404


def test_the_pages_need_a_sign_in(client, db):
    for name in ("engagement:notifications", "engagement:notifications_read"):
        response = client.get(reverse(name)) if name.endswith("notifications") else client.post(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("posts", [2, 20])
def test_the_notifications_page_costs_the_same_whatever_the_number(circle, posting, client,
                                                                    django_assert_max_num_queries, posts):
    airtime = posting(circle.present, circle.ben, at=NOW - 30 * HOUR)
    for n in range(posts):
        author = (circle.ana, circle.fac)[n % 2]
        posting(services.post_reply, author=author, airtime=airtime, body=f"What would @cat do, {n}?",
                kind="process_note" if author == circle.fac else None, now=NOW - (29 - n) * HOUR)
    assert notifications.unread_count(circle.cat) == posts
    client.force_login(circle.cat)
    client.get(reverse("engagement:notifications"))  # warm the session
    # session, user, the list, the header's count.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("engagement:notifications"))
    assert response.content.decode().count("notification--unread") == posts


# --- The autocomplete's source --------------------------------------------------------------------


def test_member_handles_lists_current_members_matching_the_query(circle, client):
    member(circle.action_set, "anton@example.edu", "Anton")
    gone = member(circle.action_set, "ann@example.edu", "Ann")
    services.remove_member(membership=gone)
    client.force_login(circle.ben)
    url = reverse("actionsets:member_handles", kwargs={"set_slug": circle.action_set.slug})
    assert client.get(url, {"q": "an"}).json() == {"members": [
        {"handle": "ana", "name": "Ana"}, {"handle": "anton", "name": "Anton"}]}
    assert [m["handle"] for m in client.get(url).json()["members"]] == ["ana", "anton", "cat", "fay"]  # not Ben


def test_re_rendering_keeps_the_mentions_rendered_at_save(circle, posting):
    from actionsets.models import Reply
    from actionsets.rerender import rerender_all

    airtime = posting(circle.present, circle.ben, at=NOW - 2 * HOUR)
    reply = posting(circle.reply, circle.ana, airtime, at=NOW - HOUR, body="What would @cat do?")
    services.remove_member(membership=circle.membership(circle.cat))  # a former member now
    before = reply.body_html
    Reply.objects.filter(pk=reply.pk).update(body_html="<p>stale</p>" + before)
    rerender_all()
    assert Reply.objects.get(pk=reply.pk).body_html == before

"""Reply by email (engagement/inbound, docs/email-replies.md): a real round trip.

An email ActionSets sends (through the outbox to the locmem backend) is answered with a real MIME
message, which goes in through `manage.py receive_email` (standard input) or the anymail webhook
(the test client, with a real Mailgun signature or Postmark basic auth), and lands — or is
refused — as on the site. The clock is real (the webhook has no other), with the round placed
around today's noon.
"""

import base64
import hashlib
import hmac
import io
import json
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.urls import reverse

from accounts.models import User
from actionsets.models import Draft, Membership, Reply, Round
from actionsets.selectors.threads import reply_visible_in_thread
from engagement.inbound import tokens
from engagement.models import InboundEmail, OutboundEmail
from personal_data.services import delete_account
from tests.factories import ActionSetFactory, RoundFactory

from .conftest import NOW, Circle, member, to

DOMAIN = "replies.sets.example.edu"
HOUR = timedelta(hours=1)
NOON = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
MAILGUN_KEY = "mailgun-signing-key-for-tests"
POSTMARK_AUTH = "postmark:inbound-secret"


@pytest.fixture(autouse=True)
def _replies_on(settings):
    settings.REPLY_EMAIL_DOMAIN = DOMAIN
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY, "WEBHOOK_SECRET": POSTMARK_AUTH}


@pytest.fixture
def live(db) -> Circle:
    """The engagement circle, its round open around today's noon (4 days in, 9 to go)."""
    action_set = ActionSetFactory(name="Leading Change", slug="leading-change", confidential_digests=False)
    rnd = RoundFactory(action_set=action_set, number=1, opens_at=NOON - timedelta(days=5),
                       closes_at=NOON + timedelta(days=9))
    circle = Circle(
        action_set, rnd,
        member(action_set, "ana@example.edu", "Ana").user,
        member(action_set, "ben@example.edu", "Ben").user,
        member(action_set, "cat@example.edu", "Cat").user,
        member(action_set, "fac@example.edu", "Fay", role=Membership.Role.FACILITATOR).user,
    )
    Membership.objects.filter(action_set=action_set).update(notification_level=Membership.NotificationLevel.WATCHING)
    return circle


@pytest.fixture
def thread(live, mailoutbox, django_capture_on_commit_callbacks):
    """Ana presented four days ago; Ben asked a clarifying question; every email went out."""
    with django_capture_on_commit_callbacks(execute=True):
        airtime = live.present(live.ana, at=NOON - timedelta(days=4), title="Saying no")
    with django_capture_on_commit_callbacks(execute=True):
        question = live.reply(live.ben, airtime, at=NOON - timedelta(days=4) + HOUR,
                              body="Who asks you most often?")
    return airtime, question


def about(mailoutbox, user, post_id):
    """The email `user` got about the post (the airtime or a reply) with this id."""
    return next(m for m in to(mailoutbox, user) if f"#reply-{post_id}" in m.body or post_id is None)


def answer(original, *, sender: str, text: str = "", html: str | None = None, html_only: bool = False,
           quote: bool = True, signature: bool = True, headers: dict | None = None,
           attachment: bool = False, message_id: str | None = None, subject: str | None = None) -> bytes:
    """A real reply as a mail client writes it: new text, signature, "On … wrote:" and the quote."""
    reply = EmailMessage()
    reply["From"] = f"Someone <{sender}>"
    reply["To"] = original.extra_headers["Reply-To"]
    reply["Subject"] = subject or f"Re: {original.subject}"
    reply["Message-ID"] = message_id or make_msgid(domain="mail.example.edu")
    reply["In-Reply-To"] = original.extra_headers["Message-ID"]
    for name, value in (headers or {}).items():
        reply[name] = value
    quoted = "\n".join(f"> {line}" for line in original.body.splitlines())
    body = text
    if signature:
        body += "\n\n-- \nCat Jones\nSchool of Nursing, room 4.12"
    if quote:
        body += f"\n\nOn Tue, 24 Nov 2026 at 13:00, ActionSets <noreply@sets.example.edu> wrote:\n{quoted}\n"
    if html_only:
        reply.set_content(html, subtype="html")
    else:
        reply.set_content(body)
        if html:
            reply.add_alternative(html, subtype="html")
    if attachment:
        reply.add_attachment(b"%PDF-1.4 notes", maintype="application", subtype="pdf", filename="notes.pdf")
    return reply.as_bytes()


def pipe(raw: bytes, *, now: datetime = NOON, sender: str | None = None) -> str:
    """`manage.py receive_email` with the message on standard input; what it printed."""
    out = io.StringIO()
    args = ["--now", now.isoformat()] + (["--sender", sender] if sender is not None else [])
    call_command("receive_email", *args, stdin=io.BytesIO(raw), stdout=out)
    return out.getvalue().strip()


def answers(user, category: str) -> list[OutboundEmail]:
    """The outbox rows answering `user`'s emails (refusals, acknowledgements)."""
    return list(OutboundEmail.objects.filter(user=user, category=category))


def refusals(user) -> list[OutboundEmail]:
    return answers(user, "inbound.refusal")


# --- Addresses ----------------------------------------------------------------------------


def test_emails_about_one_airtime_carry_a_signed_reply_address(thread, live, mailoutbox):
    airtime, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    local, _, domain = email.extra_headers["Reply-To"].partition("@")
    assert domain == DOMAIN and local.startswith("reply+") and len(local) <= 64 and local == local.lower()
    token = tokens.read_token(local.removeprefix("reply+"))
    assert (token.user_id, token.airtime_id, token.reply_id) == (live.cat.pk, airtime.pk, question.pk)
    assert token.expires_at == min(live.round.closes_at, token.expires_at)  # never after the round closes
    assert "You can answer by replying to this email" in email.body
    parts = local.removeprefix("reply+").split(".")
    parts[2] = tokens._b36(question.pk + 1)
    with pytest.raises(tokens.InvalidReplyToken):  # another post, the same signature
        tokens.read_token(".".join(parts))


def test_without_a_reply_domain_there_is_no_reply_to_and_no_endpoint(live, settings, mailoutbox, client,
                                                                     django_capture_on_commit_callbacks):
    settings.REPLY_EMAIL_DOMAIN = ""
    with django_capture_on_commit_callbacks(execute=True):
        live.present(live.ana, at=NOON - timedelta(days=4))
    assert mailoutbox and all("Reply-To" not in m.extra_headers for m in mailoutbox)
    assert "replying to this email" not in mailoutbox[0].body
    assert client.post(reverse("engagement:inbound_mailgun"), {}).status_code == 404


def test_the_questions_waiting_nudge_can_be_answered_by_email(live, mailoutbox, run_nudges):
    live.action_set.quiet_after_days = 0  # this nudge alone: one airtime, so one reply address
    live.action_set.save()
    airtime = live.present(live.ana, at=NOON - timedelta(days=5) + HOUR, title="Saying no")
    question = live.reply(live.ben, airtime, at=NOON - timedelta(days=5) + 2 * HOUR, body="Who asks most?")
    run_nudges(NOON)
    [nudge] = [m for m in to(mailoutbox, live.ana) if "waiting" in m.subject]
    assert pipe(answer(nudge, sender="ana@example.edu", text="Mostly my manager, on Fridays.")) == "posted"
    response = Reply.objects.get(author=live.ana)
    assert (response.kind, response.parent_id) == (Reply.Kind.RESPONSE, question.pk)


def test_a_digest_about_one_thread_can_be_answered_by_email(circle, run_digests, mailoutbox):
    airtime = circle.present(circle.ben, at=NOW - 20 * HOUR, title="Getting the team to own the timetable")
    circle.reply(circle.cat, airtime, at=NOW - 10 * HOUR, body="What happens when you stop chasing?")
    run_digests(NOW)
    [digest] = to(mailoutbox, circle.ana)  # Ben's airtime and Cat's question: one thread
    token = tokens.read_token(digest.extra_headers["Reply-To"].partition("@")[0].removeprefix("reply+"))
    assert (token.airtime_id, token.reply_id) == (airtime.pk, None)
    assert pipe(answer(digest, sender="ana@example.edu", text="Who else could own it?"), now=NOW) == "posted"
    assert Reply.objects.get(author=circle.ana).parent_id is None


def test_a_digest_about_two_threads_has_no_reply_address(circle, run_digests, mailoutbox):
    circle.present(circle.ben, at=NOW - 20 * HOUR)
    circle.present(circle.cat, at=NOW - 19 * HOUR)
    run_digests(NOW)
    [digest] = to(mailoutbox, circle.ana)
    assert "Reply-To" not in digest.extra_headers and "replying to this email" not in digest.body


# --- What is posted -------------------------------------------------------------------------


def test_a_plain_reply_posts_the_new_text_only_under_the_post_it_answers(
    thread, live, mailoutbox, django_capture_on_commit_callbacks
):
    airtime, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    raw = answer(email, sender="Cat@Example.EDU", text="And who do you find hardest to refuse?")
    with django_capture_on_commit_callbacks(execute=True):
        assert pipe(raw) == "posted"
    reply = Reply.objects.get(author=live.cat)
    assert reply.body == "And who do you find hardest to refuse?"
    assert reply.parent_id == question.pk and reply.airtime_id == airtime.pk
    assert reply.kind == Reply.Kind.PROBING  # the kind the phase offers, as on the site
    assert InboundEmail.objects.get().outcome == InboundEmail.Outcome.POSTED
    # It is a post like any other: the other watchers hear of it, with their own reply address.
    told = about(mailoutbox, live.ben, reply.pk)
    assert "And who do you find hardest to refuse?" in told.body and "Reply-To" in told.extra_headers


def test_the_presenters_answer_to_a_question_is_a_response(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.ana, question.pk)
    assert pipe(answer(email, sender="ana@example.edu", text="My manager, mostly.", signature=False)) == "posted"
    reply = Reply.objects.get(author=live.ana)
    assert (reply.kind, reply.parent_id, reply.body) == (Reply.Kind.RESPONSE, question.pk, "My manager, mostly.")


def test_html_only_mail_is_turned_into_text_and_its_quote_left_out(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    html = ("<html><body><div dir='ltr'><p>What would <b>saying yes</b> cost you?</p><p>And what would it give?</p>"
            "</div><div class='gmail_quote'><div>On Tue, 24 Nov 2026, ActionSets wrote:</div>"
            f"<blockquote>{email.body[:200]}</blockquote></div></body></html>")
    assert pipe(answer(email, sender="cat@example.edu", html=html, html_only=True)) == "posted"
    assert Reply.objects.get(author=live.cat).body == "What would saying yes cost you?\n\nAnd what would it give?"


def test_multipart_mail_posts_its_plain_text_and_an_attachment_is_left_out_and_acknowledged(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    raw = answer(email, sender="cat@example.edu", text="What happens when you say no?",
                 html="<p>What happens when you say <i>no</i>?</p>", attachment=True)
    assert pipe(raw) == "posted"
    assert Reply.objects.get(author=live.cat).body == "What happens when you say no?"
    [ack] = answers(live.cat, "inbound.received")
    assert ack.subject.startswith("Your reply is posted")
    assert "1 attachment" in ack.body_text and "not posted from email" in ack.body_text
    assert ack.headers["Auto-Submitted"] == "auto-replied" and ack.headers["In-Reply-To"]


def test_a_forwarded_email_posts_only_what_was_written_above_it(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    text = ("What is the smallest no you could say this week?\n\n---------- Forwarded message ---------\n"
            f"From: ActionSets <noreply@sets.example.edu>\nSubject: {email.subject}\n\n{email.body}")
    assert pipe(answer(email, sender="cat@example.edu", text=text, quote=False, signature=False)) == "posted"
    assert Reply.objects.get(author=live.cat).body == "What is the smallest no you could say this week?"


def test_forwarded_to_someone_else_their_answer_is_not_posted(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    assert pipe(answer(email, sender="dan@elsewhere.example", text="Interesting thread!")) == "refused (sender)"
    assert not Reply.objects.filter(body="Interesting thread!").exists()
    assert not OutboundEmail.objects.filter(to="dan@elsewhere.example").exists()  # strangers get no answer


def test_ask_before_you_see_a_reply_by_email_is_the_members_own_question_and_unlocks_the_thread(
    live, mailoutbox, django_capture_on_commit_callbacks
):
    live.ask_before_seeing()
    with django_capture_on_commit_callbacks(execute=True):
        airtime = live.present(live.ana, at=NOON - HOUR, title="Saying no")
    with django_capture_on_commit_callbacks(execute=True):
        question = live.reply(live.ben, airtime, at=NOON - HOUR / 2, body="Who asks you most often?")
    assert not any(f"#reply-{question.pk}" in m.body for m in to(mailoutbox, live.cat))  # withheld from Cat
    email = about(mailoutbox, live.cat, None)  # the airtime's email
    assert email.extra_headers["Reply-To"]

    def sees_ben(now):
        return reply_visible_in_thread(user_id=live.cat.pk, airtime=airtime, action_set=live.action_set,
                                       reply_id=question.pk, is_facilitator=False, now=now) is not None

    assert not sees_ben(NOON)
    assert pipe(answer(email, sender="cat@example.edu", text="What have you already tried?")) == "posted"
    mine = Reply.objects.get(author=live.cat)
    assert (mine.kind, mine.parent_id) == (Reply.Kind.CLARIFYING, None)
    assert sees_ben(NOON + HOUR)


def test_a_message_in_an_unknown_charset_is_read_as_utf8_not_retried_forever(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    raw = (f"From: cat@example.edu\r\nTo: {email.extra_headers['Reply-To']}\r\nSubject: Re: question\r\n"
           "Message-ID: <odd-charset@mail.example.edu>\r\nContent-Type: text/plain; charset=x-unknown-9\r\n\r\n"
           "What would it cost to say no?\r\n").encode()
    assert pipe(raw) == "posted"
    assert Reply.objects.get(author=live.cat).body == "What would it cost to say no?"


# --- Refused, and never twice -------------------------------------------------------------


def test_the_same_message_piped_twice_posts_once(thread, live, mailoutbox):
    _, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="What would help?")
    assert pipe(raw) == "posted"
    assert pipe(raw) == "duplicate"
    assert Reply.objects.filter(author=live.cat).count() == 1


@pytest.mark.parametrize("headers, sender", [
    ({"Auto-Submitted": "auto-replied"}, None),
    ({"X-Autoreply": "yes"}, None),
    ({"Precedence": "auto_reply"}, None),
    ({"Precedence": "bulk"}, None),
    ({}, ""),  # a null envelope sender: a bounce
], ids=["auto-submitted", "x-autoreply", "precedence-auto-reply", "precedence-bulk", "null-sender"])
def test_auto_replies_and_bounces_are_dropped_silently(thread, live, mailoutbox, headers, sender):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    before = len(mailoutbox)
    raw = answer(email, sender="cat@example.edu", text="I am away until Monday.", headers=headers)
    assert pipe(raw, sender=sender).startswith("dropped")
    assert not Reply.objects.filter(author=live.cat).exists()
    assert len(mailoutbox) == before and not refusals(live.cat)


def test_an_out_of_office_subject_is_dropped_silently(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    raw = answer(email, sender="cat@example.edu", text="I am away.", subject="Out of Office: back on Monday")
    assert pipe(raw) == "dropped (out-of-office subject)"
    assert not refusals(live.cat)


def test_a_forged_sender_is_refused_and_the_real_account_is_told(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)  # Cat's reply address, used by Ben
    assert pipe(answer(email, sender="ben@example.edu", text="Posting as Cat")) == "refused (sender)"
    assert not Reply.objects.filter(body="Posting as Cat").exists()
    [refusal] = refusals(live.ben)
    assert refusal.subject.startswith("Your reply was not posted") and "belongs to another person" in refusal.body_text
    assert refusal.headers["Auto-Submitted"] == "auto-replied" and "List-Unsubscribe" not in refusal.headers


def test_a_failed_dmarc_check_is_refused(thread, live, mailoutbox):
    _, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="A question?",
                 headers={"Authentication-Results": "mx.example.edu; spf=fail smtp.mailfrom=example.edu; "
                                                    "dmarc=fail (p=reject) header.from=example.edu"})
    assert pipe(raw) == "refused (dmarc)"
    assert not Reply.objects.filter(author=live.cat).exists()
    assert "failed DMARC" in refusals(live.cat)[0].body_text


def test_an_expired_address_is_refused_with_a_link_to_the_thread(thread, live, mailoutbox):
    airtime, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="Late question?")
    assert pipe(raw, now=live.round.closes_at + HOUR) == "refused (expired)"
    [refusal] = refusals(live.cat)
    assert "has expired" in refusal.body_text
    assert f"/sets/leading-change/airtime/{airtime.pk}/#reply-{question.pk}" in refusal.body_text


def test_a_round_closed_early_takes_no_replies_by_email(thread, live, mailoutbox):
    _, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="Too late?")
    Round.objects.filter(pk=live.round.pk).update(closes_at=NOON - HOUR)  # the facilitator closed it
    assert pipe(raw) == "refused (check)"
    assert "Round 1 is closed" in refusals(live.cat)[0].body_text


def test_a_former_member_cannot_post_by_email(thread, live, mailoutbox):
    _, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="Still here?")
    Membership.objects.filter(user=live.cat).update(left_at=NOON - HOUR)
    assert pipe(raw) == "refused (check)"
    assert not Reply.objects.filter(author=live.cat).exists()
    assert "not a member of this set" in refusals(live.cat)[0].body_text
    assert "/airtime/" not in refusals(live.cat)[0].body_text  # no link into the set


def test_advice_is_saved_as_the_members_draft_and_they_are_asked_to_review_it(thread, live, mailoutbox):
    airtime, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu",
                 text="You should just tell your manager no.")
    assert pipe(raw) == "draft (advice)"
    assert not Reply.objects.filter(author=live.cat).exists()
    [draft] = Draft.objects.filter(author=live.cat)
    assert (draft.body, draft.airtime_id, draft.parent_id) == ("You should just tell your manager no.", airtime.pk,
                                                               question.pk)
    [email] = answers(live.cat, "inbound.draft")
    assert email.subject.startswith("Your reply is saved as a draft")
    assert f"/sets/leading-change/airtime/{airtime.pk}/#reply-{question.pk}" in email.body_text
    assert not refusals(live.cat) and pipe(raw) == "duplicate"


def test_the_sites_posting_rate_limit_counts_replies_by_email_too(thread, live, mailoutbox, settings):
    _, question = thread
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "post": "1/h"}
    email = about(mailoutbox, live.cat, question.pk)
    assert pipe(answer(email, sender="cat@example.edu", text="What would help?")) == "posted"
    assert pipe(answer(email, sender="cat@example.edu", text="And what else?")) == "refused (rate)"
    assert "wait up to an hour" in refusals(live.cat)[0].body_text


def test_refusals_are_answered_at_most_once_an_hour(thread, live, mailoutbox):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    for n in range(3):
        assert pipe(answer(email, sender="cat@example.edu", text=f"Late {n}?"), now=live.round.closes_at + HOUR) \
            == "refused (expired)"
    assert len(refusals(live.cat)) == 1
    assert InboundEmail.objects.filter(outcome=InboundEmail.Outcome.REFUSED).count() == 3


def test_an_internal_failure_exits_75_and_the_retry_posts(thread, live, mailoutbox):
    _, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="What would help?")

    def database_down(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and '"actionsets_reply"' in sql:
            raise OperationalError("the database went away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_down), pytest.raises(CommandError) as failure:
        pipe(raw)
    assert failure.value.returncode == 75
    assert not InboundEmail.objects.exists()  # un-claimed: the mail server's retry is handled
    assert pipe(raw) == "posted"


def test_erasing_an_account_erases_the_record_of_its_emails(thread, live, mailoutbox):
    _, question = thread
    pipe(answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="What would help?"))
    pipe(answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="Late?"),
         now=live.round.closes_at + HOUR)
    assert InboundEmail.objects.filter(sender="cat@example.edu").count() == 2
    delete_account(user=live.cat)
    assert not InboundEmail.objects.exists()


# --- The webhook (anymail) ------------------------------------------------------------------


def basic_auth(credentials: str = POSTMARK_AUTH) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def mailgun_post(client, raw: bytes, *, key: str = MAILGUN_KEY):
    """A Mailgun "forward" route's POST (raw MIME), signed as Mailgun signs it; with
    ANYMAIL_WEBHOOK_SECRET set, anymail also wants it in the route's URL (basic auth)."""
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return client.post(reverse("engagement:inbound_mailgun_mime"), {
        "body-mime": raw.decode(), "timestamp": timestamp, "token": token, "signature": signature,
        "recipient": "ignored@example.edu", "sender": "cat@example.edu",
    }, HTTP_AUTHORIZATION=basic_auth())


def test_the_mailgun_webhook_posts_through_the_same_service(thread, live, mailoutbox, client,
                                                            django_capture_on_commit_callbacks):
    _, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="What stops you?")
    with django_capture_on_commit_callbacks(execute=True):
        assert mailgun_post(client, raw).status_code == 200
    assert Reply.objects.get(author=live.cat).body == "What stops you?"
    assert mailgun_post(client, raw).status_code == 200  # Mailgun retries: still one post
    assert Reply.objects.filter(author=live.cat).count() == 1


def test_the_mailgun_webhook_refuses_a_bad_signature(thread, live, mailoutbox, client):
    _, question = thread
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="Forged?")
    assert mailgun_post(client, raw, key="not-the-key").status_code == 400
    assert not Reply.objects.filter(author=live.cat).exists()
    assert not InboundEmail.objects.exists()


def postmark_payload(raw: bytes, original) -> str:
    return json.dumps({
        "FromFull": {"Email": "cat@example.edu", "Name": "Cat"}, "From": "cat@example.edu",
        "To": original.extra_headers["Reply-To"], "OriginalRecipient": original.extra_headers["Reply-To"],
        "Subject": f"Re: {original.subject}", "MessageID": "0f6a3c6e-postmark", "RawEmail": raw.decode(),
        "Headers": [], "Attachments": [], "TextBody": "", "HtmlBody": "",
    })


def test_the_postmark_webhook_needs_its_basic_auth_secret(thread, live, mailoutbox, client):
    _, question = thread
    email = about(mailoutbox, live.cat, question.pk)
    payload = postmark_payload(answer(email, sender="cat@example.edu", text="Who else is involved?"), email)
    url = reverse("engagement:inbound_postmark")
    wrong = basic_auth("postmark:guess")
    assert client.post(url, payload, content_type="application/json", HTTP_AUTHORIZATION=wrong).status_code == 400
    assert not Reply.objects.filter(author=live.cat).exists()
    assert client.post(url, payload, content_type="application/json",
                       HTTP_AUTHORIZATION=basic_auth()).status_code == 200
    assert Reply.objects.get(author=live.cat).body == "Who else is involved?"


@pytest.mark.parametrize("name", ["inbound_mailgun", "inbound_mailgun_mime", "inbound_postmark"])
@pytest.mark.parametrize("role", ["anonymous", "learner", "facilitator", "staff", "outsider"])
def test_no_role_reaches_the_webhooks_without_the_providers_secret(db, request, client, name, role):
    """The webhooks have no set in their path and no session rule: only the provider's signature or
    secret lets a message in, whoever is signed in (a member's session is no credential here)."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(reverse(f"engagement:{name}"), {"body-mime": "From: x@example.edu\r\n\r\nhi",
                                                            "timestamp": "1", "token": "t", "signature": "s"})
    assert response.status_code == 400
    assert not InboundEmail.objects.exists()


def test_a_refusal_is_in_the_senders_language(thread, live, mailoutbox):
    _, question = thread
    User.objects.filter(pk=live.cat.pk).update(language="de")
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="Late question?")
    assert pipe(raw, now=live.round.closes_at + HOUR) == "refused (expired)"
    [refusal] = refusals(live.cat)
    assert refusal.subject.startswith("Ihre Antwort wurde nicht veröffentlicht")
    assert "Die Antwortadresse dieser E-Mail ist abgelaufen" in refusal.body_text
    assert "has expired" not in refusal.body_text


def test_a_former_members_refusal_is_in_their_language(thread, live, mailoutbox):
    _, question = thread
    User.objects.filter(pk=live.cat.pk).update(language="es")
    raw = answer(about(mailoutbox, live.cat, question.pk), sender="cat@example.edu", text="Still here?")
    Membership.objects.filter(user=live.cat).update(left_at=NOON - HOUR)
    assert pipe(raw) == "refused (check)"
    [refusal] = refusals(live.cat)
    assert refusal.subject.startswith("Tu respuesta no se ha publicado")
    assert "Ya no eres miembro de este set, así que no puedes publicar en él." in refusal.body_text

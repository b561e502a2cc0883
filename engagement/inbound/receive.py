"""The one service every inbound reply goes through: `receive_email`, called by
`manage.py receive_email` (a Postfix or Exim pipe) and by the anymail inbound webhook.

What it does with one message, in order:

1. Automatic mail (auto-replies, bounces, out-of-office, null sender) is dropped silently.
2. The Message-ID is claimed (`InboundEmail`, unique): the same message delivered twice posts once.
3. The reply address's token must be genuine and unexpired; the From address must be the token's
   recipient's; DMARC must not have failed where the receiving server checked it.
4. The post is written by `actionsets.services.post_reply`, with the same access, phase, kind,
   lock, closed-round, ground-rules and rate-limit checks as the site's reply form; the post
   answered is looked up through `permissions.get_reply_parent`, as the form's is.
5. Text that reads as advice is not posted: it is saved as the member's draft for that place
   (`services.save_draft`) and the member gets an email with a link to review it on the site.

Every refusal is answered by email — the reason and a link — at most once per sender per hour,
and only to an address that is an ActionSets account (no answers to strangers: no backscatter).
An internal failure un-claims the message and raises, so the mail server delivers it again.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from actionsets import permissions, services
from actionsets.models import Airtime
from actionsets.ratelimits import over_limit_for, window_phrase

from ..emails import absolute, build_email, in_language, set_url, thread_url
from ..models import InboundEmail, OutboundEmail
from ..outbox import queue_emails
from .parsing import InboundMessage, normalise_address, parse
from .tokens import InvalidReplyToken, ReplyToken, domain, read_token

logger = logging.getLogger(__name__)
Outcome = InboundEmail.Outcome
REFUSAL_CATEGORY = "inbound.refusal"
REFUSAL_INTERVAL = timedelta(hours=1)

# Why a reply was not posted, as the refusal email says it (the service's own checks add theirs).
# Lazy: the refusal email renders them in its recipient's language (engagement.emails.build_email).
REASONS = {
    "off": _("Replying by email is not turned on here."),
    "no_address": _("This email did not come to a reply address we recognise."),
    "invalid": _("The reply address in this email is not one we sent, or it was changed."),
    "expired": _("The reply address in this email has expired: replies by email work until the round closes "
                 "or for 30 days."),
    "sender": _("The reply address belongs to another person's email: only they can answer with it. If you "
                "are a member of the set, reply from your own email or on the site."),
    "dmarc": _("Your email could not be verified as coming from your address (it failed DMARC), so we "
               "could not post it."),
    "gone": _("The thread this email was about is no longer there."),
    "empty": _("We found no text of your own above the quoted email, so there was nothing to post."),
    "rate": _("You are posting very quickly: wait %(window)s and send your reply again."),
}


@dataclass(frozen=True)
class Receipt:
    outcome: str          # an InboundEmail.Outcome, or "duplicate"
    reason: str = ""      # a key of REASONS, "check" (a service check), or why it was dropped
    message: str = ""     # what the refusal said
    reply_id: int | None = None


class Refused(Exception):
    def __init__(self, reason: str, message: str = "", *, link: str | None = None):
        super().__init__(reason)
        self.reason, self.message, self.link = reason, message or REASONS.get(reason, ""), link


def receive_email(*, raw: bytes, envelope_sender: str | None = None, envelope_recipients=(),
                  now: datetime | None = None) -> Receipt:
    """Handle one inbound message; return what became of it. Raises only on an internal failure."""
    now = now or timezone.now()
    message = parse(raw, envelope_sender=envelope_sender, envelope_recipients=envelope_recipients)
    if message.automatic:
        logger.info("Inbound %s dropped: %s", message.message_id, message.automatic)
        _claim(message, outcome=Outcome.DROPPED, reason=message.automatic[:40])
        return Receipt(Outcome.DROPPED, message.automatic)
    claim = _claim(message)
    if claim is None:
        return Receipt("duplicate")
    try:
        receipt = _handle(message, claim, now)
    except Exception:
        InboundEmail.objects.filter(pk=claim.pk).delete()  # not handled: let the mail server retry
        raise
    InboundEmail.objects.filter(pk=claim.pk).update(outcome=receipt.outcome, reason=receipt.reason,
                                                    reply_id=receipt.reply_id, user=claim.user)
    return receipt


def _claim(message: InboundMessage, *, outcome: str = Outcome.RECEIVED, reason: str = "") -> InboundEmail | None:
    try:
        with transaction.atomic():
            return InboundEmail.objects.create(message_id=message.message_id, sender=message.sender[:254],
                                               outcome=outcome, reason=reason)
    except IntegrityError:
        return None


def _handle(message: InboundMessage, claim: InboundEmail, now: datetime) -> Receipt:
    try:
        return _post(message, claim, now)
    except Refused as refusal:
        _tell_refused(message, refusal)
        return Receipt(Outcome.REFUSED, refusal.reason, refusal.message)


def _token(message: InboundMessage) -> ReplyToken:
    if not domain():
        raise Refused("off")
    if message.token is None:
        raise Refused("no_address")
    try:
        token = read_token(message.token)
    except InvalidReplyToken:
        raise Refused("invalid") from None
    return token


def _post(message: InboundMessage, claim: InboundEmail, now: datetime) -> Receipt:
    token = _token(message)
    user = User.objects.filter(pk=token.user_id, is_active=True).first()
    if user is None or normalise_address(user.email) != message.sender:
        raise Refused("sender")
    claim.user = user
    with in_language(user):  # the set's own checks refuse in the member's language (issue 18)
        return _post_as(user, token, message, claim, now)


def _post_as(user, token: ReplyToken, message: InboundMessage, claim: InboundEmail, now: datetime) -> Receipt:
    airtime = Airtime.objects.select_related("round", "presenter", "action_set").filter(pk=token.airtime_id).first()
    link = thread_url(airtime.action_set.slug, airtime.pk, token.reply_id) if airtime else absolute(reverse("home"))
    if message.dmarc_failed:
        raise Refused("dmarc", link=link)
    if token.expired(now):
        raise Refused("expired", link=link)
    if airtime is None:
        raise Refused("gone", link=link)
    membership = permissions.current_membership(user, airtime.action_set)
    if membership is None:
        raise Refused("check", gettext("You are not a member of this set any more, so you cannot post in it."),
                      link=absolute(reverse("home")))
    membership.action_set = airtime.action_set  # has_accepted_rules reads the set's current rules version
    access = permissions.SetAccess(action_set=airtime.action_set, membership=membership)
    parent = None
    if token.reply_id:
        try:
            parent = permissions.get_reply_parent(access, airtime, token.reply_id, now=now)
        except Http404:
            raise Refused("gone", link=thread_url(airtime.action_set.slug, airtime.pk)) from None
        except ValidationError as error:
            raise Refused("check", _messages(error), link=link) from None
    if not message.text:
        raise Refused("empty", link=link)
    if over_limit_for(user, "post"):
        raise Refused("rate", REASONS["rate"] % {"window": window_phrase(settings.ACTIONSETS_RATE_LIMITS["post"])},
                      link=link)
    try:
        reply = services.post_reply(author=user, access=access, airtime=airtime, body=message.text, parent=parent,
                                    check_advice=True, now=now)
    except services.AdviceNudge:
        return _save_as_draft(user, access, airtime, parent, message, claim, link=link, now=now)
    except ValidationError as error:
        raise Refused("check", _messages(error), link=link) from None
    if message.attachments:
        _acknowledge(user, message, reply)
    return Receipt(Outcome.POSTED, reply_id=reply.pk)


def _save_as_draft(user, access, airtime: Airtime, parent, message: InboundMessage, claim: InboundEmail, *,
                   link: str, now: datetime) -> Receipt:
    """Advice, by email: not posted, but kept as the member's draft for that place (replacing what
    they had drafted there), and the member is asked to review it on the site — the advice nudge
    the reply form shows, by email."""
    try:
        services.save_draft(author=user, access=access, action_set=airtime.action_set, airtime=airtime,
                            parent=parent, body=message.text, now=now)
    except ValidationError as error:
        raise Refused("check", _messages(error), link=link) from None
    _respond(user, message, template="reply_draft", category="inbound.draft", key=f"inbound.draft.{claim.pk}",
             context={"link": link, "attachments": message.attachments})
    return Receipt(Outcome.DRAFT, "advice")


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _respond(user, message: InboundMessage, *, template: str, context: dict, category: str, key: str) -> None:
    email = build_email(
        user=user, template=template, category=category, key=key, unsubscribe_scope=None,
        context={"subject": message.subject, **context},
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": message.message_id,
                 "References": message.message_id},
    )
    try:
        with transaction.atomic():
            queue_emails([email])
    except IntegrityError:  # already answered (the same key)
        pass


def _tell_refused(message: InboundMessage, refusal: Refused) -> None:
    """The refusal by email: only to an ActionSets account, at most once per sender per hour."""
    recipient = User.objects.filter(email__iexact=message.sender, is_active=True).first()
    if recipient is None:
        logger.info("Inbound %s refused (%s); sender unknown, not answered", message.message_id, refusal.reason)
        return
    written = timezone.now()  # the outbox's own clock, as build_email's
    if OutboundEmail.objects.filter(category=REFUSAL_CATEGORY, user=recipient,
                                    created_at__gt=written - REFUSAL_INTERVAL).exists():
        return
    _respond(recipient, message, template="reply_refused", category=REFUSAL_CATEGORY,
             key=f"inbound.refused.{recipient.pk}.{written:%Y%m%d%H}",
             context={"reason": refusal.message, "link": refusal.link or absolute(reverse("home"))})


def _acknowledge(user, message: InboundMessage, reply) -> None:
    airtime = reply.airtime
    _respond(user, message, template="reply_received", category="inbound.received", key=f"inbound.received.{reply.pk}",
             context={"link": thread_url(airtime.action_set.slug, airtime.pk, reply.pk),
                      "set_url": set_url(airtime.action_set.slug), "attachments": message.attachments})

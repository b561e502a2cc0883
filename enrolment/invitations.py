"""Invitation links and emails.

A link carries the invitation's random key signed with a timestamp (`TimestampSigner`): it
expires after INVITATION_MAX_AGE_DAYS counted from when the email was sent, and it is
single-use because accepting stamps `accepted_at`. A resend signs the same key afresh.

`queue_invitation_email` is the one door through which invitation email leaves the database:
it announces `invitations_queued` after commit, so a rolled-back enrolment sends nothing.
When the project's outbox (facilitation.OutboundEmail) lands, route this function through it.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.hooks import Event
from engagement.emails import in_language

from .models import Invitation

SALT = "enrolment.invitation"
SEND_CHUNK = 200  # invitations per task: one query and one SMTP connection each


class InvitationExpired(Exception):
    def __init__(self, key: str):
        self.key = key


def max_age() -> timedelta:
    return timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def make_token(key: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign(key)


def read_token(token: str) -> str:
    """The key in a valid token. Raises InvitationExpired (carrying the key) or BadSignature."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        return signer.unsign(token, max_age=max_age())
    except signing.SignatureExpired:
        raise InvitationExpired(signer.unsign(token)) from None


def invitation_url(key: str) -> str:
    return settings.SITE_URL + reverse("enrolment:invitation_accept", kwargs={"token": make_token(key)})


# Announced after commit with a chunk of invitation ids; EnrolmentConfig.ready() connects the task
# that sends them (the task imports this module, so this module does not import the task).
invitations_queued = Event("invitations_queued")


def queue_invitation_email(*, invitation_ids: list[int]) -> None:
    ids = list(invitation_ids)
    for start in range(0, len(ids), SEND_CHUNK):
        invitations_queued.send_on_commit(invitation_ids=ids[start:start + SEND_CHUNK])


def _message(invitation: Invitation, connection) -> EmailMultiAlternatives:
    """The invitation email, in the invitee's language (docs/translating.md: emails follow the recipient)."""
    with translation.override(invitation.membership.user.language or settings.LANGUAGE_CODE):
        return _render_message(invitation, connection)


def _render_message(invitation: Invitation, connection) -> EmailMultiAlternatives:
    membership = invitation.membership
    context = {
        "user": membership.user, "action_set": membership.action_set, "cohort": membership.action_set.cohort,
        "role": membership.role, "url": invitation_url(invitation.key),
        "expires_days": settings.INVITATION_MAX_AGE_DAYS, "has_password": membership.user.has_usable_password(),
        "site_url": settings.SITE_URL,
    }
    with in_language(membership.user):  # the recipient's language, not the sender's (issue 18)
        subject = " ".join(render_to_string("emails/invitation.subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject, body=render_to_string("emails/invitation.txt", context),
            to=[membership.user.email], connection=connection,
        )
        message.attach_alternative(render_to_string("emails/invitation.html", context), "text/html")
    return message


def send_invitation_emails(invitation_ids: list[int]) -> int:
    """Send the still-open invitations among `invitation_ids`; returns how many were sent."""
    invitations = list(
        Invitation.objects.select_related("membership__user", "membership__action_set__cohort").filter(
            pk__in=invitation_ids, accepted_at__isnull=True, membership__left_at__isnull=True,
            membership__user__is_active=True,
        )
    )
    if not invitations:
        return 0
    with get_connection() as connection:
        sent = connection.send_messages([_message(invitation, connection) for invitation in invitations]) or 0
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        sent_at=timezone.now(), send_count=F("send_count") + 1
    )
    return sent

"""Erasing an account. It touches every app (sets, email, moderation, enrolment), so it lives at
the top of the app ladder, where importing all of them is allowed (docs/architecture.md)."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ProfilePicture, User
from accounts.services import FORMER_MEMBER_NAME, tombstone_email
from actionsets.models import Attachment, Draft, Membership, ReadMarker
from actionsets.services import delete_files
from engagement.models import DigestDelivery, InboundEmail, Knock, Nudge, OutboundEmail
from enrolment.models import Invitation
from enrolment.services import scrub_enrolment_files
from facilitation.models import Flag
from research.models import ConsentDecision


@transaction.atomic
def delete_account(*, user: User) -> User:
    """Delete an account by anonymising it (docs/accounts.md).

    What they wrote in their sets stays in the threads (with its files), attributed to "Former member", so the
    others' questions and answers still make sense. Everything else about them goes: addresses,
    sessions, SSO links, read state, drafts, their picture, nudges and knocks, digests, queued email,
    the record of emails they sent to reply addresses, flags they raised, research consents (so a
    later research export leaves their words out), their
    invitations, and their name and address in stored enrolment files. The row itself stays
    (posts point at it), with no usable password and no way to sign in.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email = user.email
    Membership.objects.filter(user=user, left_at__isnull=True).update(left_at=timezone.now())
    Invitation.objects.filter(membership__user=user).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()
    for model, lookup in [(EmailAddress, "user"), (SocialAccount, "user"), (ReadMarker, "user"), (Draft, "author"),
                          (Nudge, "user"), (Nudge, "about_user"), (DigestDelivery, "user"), (Flag, "flagged_by"),
                          (OutboundEmail, "user"), (InboundEmail, "user"), (ProfilePicture, "user"), (Knock, "user"),
                          (Knock, "knocked_by")]:
        model.objects.filter(**{lookup: user}).delete()
    OutboundEmail.objects.filter(to__iexact=old_email).delete()
    InboundEmail.objects.filter(sender__iexact=old_email).delete()  # replies by email they sent
    user.picture_version = ""
    # Erasing the account withdraws every research consent: none of their words leave in a later
    # export (docs/research.md).
    ConsentDecision.objects.filter(user=user).delete()
    user.email = tombstone_email(user)
    user.display_name = FORMER_MEMBER_NAME
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.timezone, user.digest_frequency, user.nudges_enabled, user.last_login = "UTC", User.DigestFrequency.OFF, False, None
    user.language = ""
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    scrub_enrolment_files(email=old_email, replacement=user.email)
    # Files in threads stay with their posts, under "Former member" (the uploader is this row);
    # journal files and editor uploads no post took were theirs alone: deleted, bytes after commit.
    delete_files(list(Attachment.objects.filter(uploader=user).filter(
        Q(journal_entry__isnull=False) | Q(airtime=None, reply=None, journal_entry=None))))
    return user

"""Notifications (issue 14): mentions, replies to my posts, questions on my airtime, a
facilitator's action on my post, a set I was added to — on /notifications/, counted in the
header, and emailed as the person's settings say.

Written after the post commits, by listeners of actionsets' events (engagement/apps.py), never by
the services of the apps above: facilitation's hide and restore reach us as `moderation_logged`
(every moderation-log write announces it), enrolment's memberships as `members_added`.

Never about a post the person may not see. A notification is written with `visible_at` empty and
released — listed, counted, emailed — only once its post is one the recipient may see: a hidden
reply waits for its restore, a question withheld by ask-before-you-see waits until they have
asked their own (any new reply on the airtime re-checks its waiting notifications) or the phase
has passed (the sweep, every few minutes). Exactly once: one row per (person, thing) by `key`,
released under a row lock, and the email's Message-ID names the notification.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext

from actionsets.kinds import QUESTION_KINDS
from actionsets.models import Airtime, Membership, ModerationAction, Reply

from .emails import absolute, build_email, set_url
from .models import Notification
from .outbox import queue_emails
from .unsubscribe import set_scope
from .watching import may_see

Kind = Notification.Kind
LEVELS = Membership.NotificationLevel
Action = ModerationAction.Action
# Actions on a post that its author is told about, and whom: the reply's author or the presenter.
MODERATION_ON_REPLY = {Action.HIDE, Action.RESTORE}
MODERATION_ON_AIRTIME = {Action.LOCK, Action.UNLOCK}
# What is emailed, unless the set is muted for them: a mention, and a facilitator's action on my
# post. Replies and questions are already in the person's email as their level for the set says
# (watching: the new-post email; normal: the digest and the "questions waiting" nudge), and being
# added to a set is what the invitation email says.
EMAILED = {Kind.MENTION, Kind.MODERATION}
# How long a withheld notification keeps waiting for the sweep (a round is two weeks).
WAIT_AT_MOST = timedelta(days=30)
PAGE_SIZE = 50


# --- Writing ----------------------------------------------------------------------------------


def _row(*, kind: str, user_id: int, action_set_id: int, airtime_id=None, reply_id=None, actor_id=None,
         action: str = "", about: str, now: datetime) -> Notification:
    return Notification(user_id=user_id, kind=kind, action_set_id=action_set_id, airtime_id=airtime_id,
                        reply_id=reply_id, actor_id=actor_id, action=action, created_at=now,
                        key=f"{kind}.{about}.user.{user_id}")


def record(rows: list[Notification], *, now: datetime | None = None) -> int:
    """Write these notifications (a key already written is skipped) and release the ones their
    recipients may see now; return how many were released."""
    now = now or timezone.now()
    if not rows:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        return release(keys=[row.key for row in rows], now=now)


def on_mention(*, airtime_id: int, reply_id: int | None, author_id: int, user_ids: list[int],
               now: datetime | None = None) -> int:
    """Members @mentioned in a post. Judged, like the watching emails, at the moment the post was
    written (or last edited) unless `now` is given."""
    post = (Reply.objects.filter(pk=reply_id).values("created_at", "edited_at", set_id=F("airtime__action_set_id"))
            if reply_id else Airtime.objects.filter(pk=airtime_id).values("created_at", "edited_at",
                                                                         set_id=F("action_set_id"))).first()
    if post is None:
        return 0
    now = now or post["edited_at"] or post["created_at"]
    about = f"reply.{reply_id}" if reply_id else f"airtime.{airtime_id}"
    return record([_row(kind=Kind.MENTION, user_id=user_id, action_set_id=post["set_id"], airtime_id=airtime_id,
                        reply_id=reply_id, actor_id=author_id, about=about, now=now)
                   for user_id in user_ids if user_id != author_id], now=now)


def on_reply(*, reply_id: int, now: datetime | None = None) -> int:
    """A reply to someone's post tells its author; a question on an airtime tells the presenter.
    Any new reply may also unlock what ask-before-you-see held back on the airtime."""
    reply = (Reply.objects.select_related("airtime", "in_reply_to").only(
        "pk", "author_id", "kind", "created_at", "airtime__action_set_id", "airtime__presenter_id", "in_reply_to__author_id")
        .filter(pk=reply_id).first())
    if reply is None:
        return 0
    now = now or reply.created_at
    airtime = reply.airtime
    rows = []
    if reply.in_reply_to is not None and reply.in_reply_to.author_id != reply.author_id:
        rows.append(_row(kind=Kind.REPLY, user_id=reply.in_reply_to.author_id, action_set_id=airtime.action_set_id,
                         airtime_id=airtime.pk, reply_id=reply.pk, actor_id=reply.author_id,
                         about=f"reply.{reply.pk}", now=now))
    elif reply.in_reply_to is None and reply.kind in QUESTION_KINDS and airtime.presenter_id != reply.author_id:
        rows.append(_row(kind=Kind.QUESTION, user_id=airtime.presenter_id, action_set_id=airtime.action_set_id,
                         airtime_id=airtime.pk, reply_id=reply.pk, actor_id=reply.author_id,
                         about=f"reply.{reply.pk}", now=now))
    with transaction.atomic():
        released = record(rows, now=now)
        return released + release(airtime_id=airtime.pk, now=now)


def on_moderation(*, action_id: int, now: datetime | None = None) -> int:
    """A facilitator hid or restored my reply, or locked or unlocked my airtime. A restore may
    also release what was waiting for the reply to be visible again."""
    logged = ModerationAction.objects.filter(pk=action_id).first()
    if logged is None or logged.action not in MODERATION_ON_REPLY | MODERATION_ON_AIRTIME:
        return 0
    now = now or logged.created_at
    if logged.action in MODERATION_ON_REPLY:
        post = Reply.objects.filter(pk=logged.target_id).values("pk", "author_id", "airtime_id").first()
        owner_id, airtime_id, reply_id = (post["author_id"], post["airtime_id"], post["pk"]) if post else (None,) * 3
    else:
        post = Airtime.objects.filter(pk=logged.target_id).values("pk", "presenter_id").first()
        owner_id, airtime_id, reply_id = (post["presenter_id"], post["pk"], None) if post else (None,) * 3
    if post is None:
        return 0
    rows = [] if owner_id == logged.actor_id else [
        _row(kind=Kind.MODERATION, user_id=owner_id, action_set_id=logged.action_set_id, airtime_id=airtime_id,
             reply_id=reply_id, actor_id=logged.actor_id, action=logged.action, about=f"log.{logged.pk}", now=now)]
    with transaction.atomic():
        return record(rows, now=now) + (release(airtime_id=airtime_id, now=now)
                                        if logged.action == Action.RESTORE else 0)


def on_members_added(*, membership_ids: list[int], now: datetime | None = None) -> int:
    now = now or timezone.now()
    members = Membership.objects.filter(pk__in=membership_ids).values("pk", "user_id", "action_set_id")
    return record([_row(kind=Kind.ADDED, user_id=m["user_id"], action_set_id=m["action_set_id"],
                        about=f"membership.{m['pk']}", now=now) for m in members], now=now)


def _visible(pending: list[Notification], members: dict, now: datetime) -> list[Notification]:
    """The pending notifications whose recipients may see their post now."""
    by_reply: dict[int, list[Notification]] = defaultdict(list)
    visible = []
    for note in pending:
        if (note.user_id, note.action_set_id) not in members:
            continue  # not (or no longer) a member: never shown
        if note.reply_id is None or note.kind == Kind.MODERATION:
            visible.append(note)  # a set, an airtime, or their own reply (its author sees it hidden)
        elif not note.reply.hidden:
            by_reply[note.reply_id].append(note)
    for notes in by_reply.values():
        reply = notes[0].reply
        allowed = {m.user_id for m in may_see(reply, [members[(n.user_id, n.action_set_id)] for n in notes], now)}
        visible.extend(note for note in notes if note.user_id in allowed)
    return visible


def release(*, now: datetime, keys: list[str] | None = None, airtime_id: int | None = None,
            since: datetime | None = None, limit: int = 500) -> int:
    """Make the waiting notifications (these keys, this airtime's, or all written since `since`)
    that their recipients may see now visible, and queue their emails; return how many."""
    with transaction.atomic():
        waiting = Notification.objects.select_for_update(of=("self",), skip_locked=True).filter(visible_at__isnull=True)
        if keys is not None:
            waiting = waiting.filter(key__in=keys)
        if airtime_id is not None:
            waiting = waiting.filter(airtime_id=airtime_id)
        if since is not None:
            waiting = waiting.filter(created_at__gte=since)
        pending = list(waiting.select_related("user", "action_set", "actor", "airtime", "reply__airtime__round",
                                              "reply__airtime__action_set").order_by("pk")[:limit])
        if not pending:
            return 0
        members = {(m.user_id, m.action_set_id): m for m in Membership.objects.current().filter(
            user_id__in={n.user_id for n in pending}, action_set_id__in={n.action_set_id for n in pending})}
        visible = _visible(pending, members, now)
        for note in visible:
            note.visible_at = now
        _queue_emails([n for n in visible if _emailed(n, members[(n.user_id, n.action_set_id)])])
        Notification.objects.bulk_update(visible, ["visible_at", "email"])
        return len(visible)


def release_waiting(*, now: datetime | None = None) -> int:
    """The sweep: what waited for a phase to pass (ask-before-you-see) is released once it has."""
    now = now or timezone.now()
    return release(since=now - WAIT_AT_MOST, now=now)


def _emailed(note: Notification, membership: Membership) -> bool:
    return (note.kind in EMAILED and note.user.is_active and membership.notification_level != LEVELS.MUTED
            and not membership.is_researcher)


def _queue_emails(notes: list[Notification]) -> None:
    emails = [
        build_email(user=note.user, template="notification", category="notification", key=f"notify.{note.pk}",
                    unsubscribe_scope=set_scope(note.action_set_id),
                    context={"summary": lazy(describe, str)(note), "set_name": note.action_set.name,
                             "url": absolute(target_path(note)), "set_url": set_url(note.action_set.slug)})
        for note in notes
    ]
    for note, email in zip(notes, queue_emails(emails), strict=True):
        note.email = email


# --- What a notification says and where it leads -------------------------------------------------


def describe(note: Notification) -> str:
    """One sentence, the same on the page and in the email: who did what, on which post."""
    words = {"actor": note.actor.name if note.actor else gettext("Someone"),
             "title": note.airtime.title if note.airtime_id else "", "set": note.action_set.name}
    if note.kind == Kind.MENTION and note.reply_id:
        return gettext("%(actor)s mentioned you in a reply on “%(title)s”") % words
    if note.kind == Kind.MENTION:
        return gettext("%(actor)s mentioned you in the airtime “%(title)s”") % words
    if note.kind == Kind.REPLY:
        return gettext("%(actor)s replied to you on “%(title)s”") % words
    if note.kind == Kind.QUESTION:
        return gettext("%(actor)s asked a question on your airtime “%(title)s”") % words
    if note.kind == Kind.MODERATION:
        did = {
            Action.HIDE: gettext("A facilitator, %(actor)s, hid your reply on “%(title)s”"),
            Action.RESTORE: gettext("A facilitator, %(actor)s, restored your reply on “%(title)s”"),
            Action.LOCK: gettext("A facilitator, %(actor)s, locked your airtime “%(title)s”"),
            Action.UNLOCK: gettext("A facilitator, %(actor)s, unlocked your airtime “%(title)s”"),
        }.get(note.action, gettext("A facilitator, %(actor)s, acted on “%(title)s”"))
        return did % words
    return gettext("You were added to %(set)s") % words


def target_path(note: Notification) -> str:
    if note.airtime_id is None:
        return reverse("actionsets:set_home", kwargs={"set_slug": note.action_set.slug})
    path = reverse("actionsets:thread", kwargs={"set_slug": note.action_set.slug, "airtime_id": note.airtime_id})
    return path + (f"#reply-{note.reply_id}" if note.reply_id else "")


# --- Reading ----------------------------------------------------------------------------------


def _shown(user) -> "Q":
    """What a person's list shows: released, in a set they are still a member of, and never a
    reply hidden since (unless it is their own, which they still see)."""
    return Q(user=user, visible_at__isnull=False) & Q(Exists(
        Membership.objects.current().filter(user_id=OuterRef("user_id"), action_set_id=OuterRef("action_set_id")))
    ) & (Q(reply__isnull=True) | Q(reply__hidden=False) | Q(kind=Kind.MODERATION))


def notifications_for(user, *, limit: int = PAGE_SIZE) -> list[Notification]:
    """The newest notifications for the page, with what each needs to render: one query."""
    return list(Notification.objects.filter(_shown(user)).select_related("actor", "action_set", "airtime")
                .only("pk", "kind", "action", "visible_at", "read_at", "airtime_id", "reply_id", "action_set_id",
                      "actor__display_name", "actor__email", "action_set__name", "action_set__slug",
                      "airtime__title")
                .order_by("-visible_at", "-pk")[:limit])


def unread_count(user) -> int:
    """The header's count: one small query on every page that shows it (an index on the person's
    unread notifications), whatever the number. Not cached: a count that is exact on every page
    costs the same query on every page, and query budgets stay deterministic."""
    return Notification.objects.filter(_shown(user), read_at__isnull=True).count()


@transaction.atomic
def open_notification(*, user, notification_id, now: datetime | None = None) -> Notification | None:
    """Mark one of this person's notifications read and return it (None: not theirs to open)."""
    note = (Notification.objects.filter(_shown(user), pk=notification_id).select_related("action_set")
            .only("pk", "user_id", "kind", "read_at", "airtime_id", "reply_id", "action_set__slug").first())
    if note is not None and note.read_at is None:
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=now or timezone.now())
    return note


@transaction.atomic
def mark_all_read(*, user, now: datetime | None = None) -> int:
    return Notification.objects.filter(user=user, visible_at__isnull=False, read_at__isnull=True).update(
        read_at=now or timezone.now())

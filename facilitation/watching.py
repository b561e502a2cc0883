"""Members who chose "Watching" for a set get an email for each new post in it, as it happens.

Called after the post commits (`actionsets.services` schedules it with `on_commit`). Exactly
once per (watcher, post): the post's row is locked while the outbox rows are written, and each
row's Message-ID names the watcher and the post, so a repeated task finds them written. Hidden
posts and confidential text never go out; the author is never told about their own post.
"""

from django.db import transaction

from actionsets.models import Airtime, Membership, Reply

from .emails import build_email, excerpt, set_url, thread_url
from .models import OutboundEmail
from .outbox import queue_emails
from .unsubscribe import set_scope


def _post(*, airtime_id: int | None, reply_id: int | None):
    if reply_id is not None:
        return Reply.objects.select_for_update(of=("self",)).select_related(
            "author", "airtime__action_set", "airtime__presenter").filter(pk=reply_id, hidden=False).first()
    return Airtime.objects.select_for_update(of=("self",)).select_related(
        "presenter", "action_set").filter(pk=airtime_id).first()


def notify_watchers(*, airtime_id: int | None = None, reply_id: int | None = None) -> int:
    """Queue one email per watcher of the post's set; return how many were new."""
    with transaction.atomic():
        post = _post(airtime_id=airtime_id, reply_id=reply_id)
        if post is None or (isinstance(post, Airtime) and post.action_set.archived):
            return 0
        is_reply = isinstance(post, Reply)
        airtime = post.airtime if is_reply else post
        action_set, author = airtime.action_set, (post.author if is_reply else post.presenter)
        watchers = [
            m.user for m in Membership.objects.current().select_related("user").filter(
                action_set=action_set, notification_level=Membership.NotificationLevel.WATCHING, user__is_active=True,
            ).exclude(user=author)
        ]
        context = {
            "set_name": action_set.name, "set_url": set_url(action_set.slug), "author": author.name,
            "title": airtime.title,
            "presenter": airtime.presenter.name, "is_reply": is_reply,
            "kind": post.get_kind_display().lower() if is_reply else "airtime",
            "excerpt": None if action_set.confidential_digests else excerpt(post.body_html),
            "url": thread_url(action_set.slug, airtime.pk, post.pk if is_reply else None),
        }
        kind = "reply" if is_reply else "airtime"
        emails = [
            build_email(user=user, template="new_post", context=context, category="watching",
                        key=f"watch.{kind}.{post.pk}.{user.pk}", unsubscribe_scope=set_scope(action_set.pk))
            for user in watchers
        ]
        done = set(OutboundEmail.objects.filter(message_id__in=[e.message_id for e in emails])
                   .values_list("message_id", flat=True))
        return len(queue_emails([e for e in emails if e.message_id not in done]))

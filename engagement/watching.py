"""Members who chose "Watching" for a set get an email for each new post in it, as it happens.

Called after the post commits (`actionsets.services` schedules it with `on_commit`). Exactly
once per (watcher, post): the post's row is locked while the outbox rows are written, and each
row's Message-ID names the watcher and the post, so a repeated task finds them written. Hidden
posts and confidential text never go out; the author is never told about their own post.

Ask before you see: a watcher who may not yet see a reply in the thread (another member's question
in a clarifying phase where they have not asked, or anything under one) gets no email about it —
not even one without its text, whose subject would say a question was asked. The rule is judged
at the moment of posting (`now`: the reply's `created_at` unless given), which is when the task
runs after the commit — and is the same moment for a repeated task or a backdated post.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from actionsets.kinds import QUESTION_KINDS
from actionsets.models import Airtime, Membership, Reply
from actionsets.selectors import asks_before_seeing

from . import activity, wording
from .emails import build_email, excerpt, set_url, thread_url
from .inbound.tokens import reply_address
from .models import OutboundEmail
from .outbox import queue_emails
from .unsubscribe import set_scope


def _post(*, airtime_id: int | None, reply_id: int | None):
    if reply_id is not None:
        return Reply.objects.select_for_update(of=("self",)).select_related(
            "author", "airtime__action_set", "airtime__presenter", "airtime__round").filter(
            pk=reply_id, hidden=False).first()
    return Airtime.objects.select_for_update(of=("self",)).select_related(
        "presenter", "action_set", "round").filter(pk=airtime_id).first()


def may_see(post: Reply, watchers: list[Membership], now: datetime) -> list[Membership]:
    """The watchers who may see this reply in the thread at `now` (ask before you see). One query
    for the airtime's questions, only when its round (or set) asks first."""
    airtime = post.airtime
    if not watchers or not asks_before_seeing(airtime, airtime.action_set):
        return watchers
    questions = list(Reply.objects.filter(airtime=airtime, kind__in=QUESTION_KINDS)
                     .only("pk", "airtime_id", "author_id", "kind", "path"))
    ask_first = activity.AskFirst(questions, now=now)
    return [m for m in watchers if ask_first.visible([post], user_id=m.user_id, action_set=airtime.action_set,
                                                      is_facilitator=m.is_facilitator)]


def notify_watchers(*, airtime_id: int | None = None, reply_id: int | None = None, now: datetime | None = None) -> int:
    """Queue one email per watcher of the post's set who may see it; return how many were new."""
    with transaction.atomic():
        post = _post(airtime_id=airtime_id, reply_id=reply_id)
        if post is None or (isinstance(post, Airtime) and post.action_set.archived):
            return 0
        is_reply = isinstance(post, Reply)
        airtime = post.airtime if is_reply else post
        action_set, author = airtime.action_set, (post.author if is_reply else post.presenter)
        memberships = list(Membership.objects.current().select_related("user").filter(
            action_set=action_set, notification_level=Membership.NotificationLevel.WATCHING, user__is_active=True,
        ).exclude(user=author).exclude(role=Membership.Role.RESEARCHER))
        if is_reply:
            memberships = may_see(post, memberships, now or post.created_at)
        watchers = [m.user for m in memberships]
        context = {
            "set_name": action_set.name, "set_url": set_url(action_set.slug), "author": author.name,
            "title": airtime.title,
            "presenter": airtime.presenter.name, "is_reply": is_reply,
            "kind": wording.with_article(post) if is_reply else "",  # lazy: in each recipient's language
            "excerpt": None if action_set.confidential_digests else excerpt(post.body_html),
            "url": thread_url(action_set.slug, airtime.pk, post.pk if is_reply else None),
        }
        kind = "reply" if is_reply else "airtime"
        written = timezone.now()
        emails = [
            build_email(user=user, template="new_post", context=context, category="watching",
                        key=f"watch.{kind}.{post.pk}.{user.pk}", unsubscribe_scope=set_scope(action_set.pk),
                        reply_to=reply_address(user_id=user.pk, airtime_id=airtime.pk, closes_at=airtime.round.closes_at,
                                               reply_id=post.pk if is_reply else None, now=written))
            for user in watchers
        ]
        done = set(OutboundEmail.objects.filter(message_id__in=[e.message_id for e in emails])
                   .values_list("message_id", flat=True))
        return len(queue_emails([e for e in emails if e.message_id not in done]))

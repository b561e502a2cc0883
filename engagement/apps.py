from django.apps import AppConfig


class EngagementConfig(AppConfig):
    """The engagement engine: outbox, digests, nudges, round emails, watching, unsubscribe."""

    name = "engagement"

    def ready(self) -> None:
        from actionsets import events

        from .tasks import notify_watchers_task

        def notify_watchers(**post: int) -> None:
            """Members watching the set get an email about the new post (after commit)."""
            notify_watchers_task.delay(**post)

        events.airtime_presented.connect(notify_watchers)
        events.reply_posted.connect(notify_watchers)

        from .outbox import emails_queued
        from .tasks import send_outbox_batch_task

        def send_emails(*, email_ids: list[int]) -> None:
            send_outbox_batch_task.delay(email_ids)

        emails_queued.connect(send_emails)

        from .knocks import thread_contribution

        # The thread page: who the presenter (or a facilitator) may knock, and who was knocked.
        events.thread_page.connect(thread_contribution)

        from anymail.signals import inbound

        from .inbound.webhooks import on_inbound

        # A reply by email through a provider's webhook (docs/email-replies.md).
        inbound.connect(on_inbound, dispatch_uid="engagement.inbound")
        from . import tasks

        # Notifications (engagement/notifications.py): each event, after its commit, becomes a task.
        def notify_mentions(**mention) -> None:
            tasks.notify_mentions_task.delay(**mention)

        def notify_reply(*, reply_id: int) -> None:
            tasks.notify_reply_task.delay(reply_id=reply_id)

        def notify_moderation(*, action_id: int) -> None:
            tasks.notify_moderation_task.delay(action_id=action_id)

        def notify_members_added(*, membership_ids: list[int]) -> None:
            tasks.notify_members_added_task.delay(membership_ids=membership_ids)

        events.members_mentioned.connect(notify_mentions)
        events.reply_posted.connect(notify_reply)
        events.moderation_logged.connect(notify_moderation)
        events.members_added.connect(notify_members_added)

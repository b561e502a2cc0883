"""Celery tasks of actionsets: thin and idempotent, like engagement/tasks.py."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def purge_drafts_task() -> int:
    """Drafts 30 days after their round closed (beat: daily; `manage.py purge_drafts` by hand)."""
    return services.purge_drafts()

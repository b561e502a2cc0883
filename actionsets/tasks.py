"""Celery tasks of actionsets: thin and idempotent, like engagement/tasks.py."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def purge_drafts_task() -> int:
    """Drafts 30 days after their round closed (beat: daily; `manage.py purge_drafts` by hand)."""
    return services.purge_drafts()


@shared_task(acks_late=True)
def sweep_pending_uploads_task() -> int:
    """Editor uploads no post took within PENDING_UPLOAD_GRACE_HOURS, row and bytes (beat: hourly;
    `manage.py sweep_pending_uploads` by hand)."""
    return services.sweep_pending_uploads()

from celery import shared_task

from . import roster


@shared_task
def sync_rosters_task() -> int:
    """Off unless LTI_ROSTER_SYNC_MINUTES is set (config/settings.py)."""
    return roster.scheduled_sync()

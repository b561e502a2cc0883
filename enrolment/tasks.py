from celery import shared_task

from .invitations import send_invitation_emails


@shared_task(acks_late=True, max_retries=3, default_retry_delay=60, soft_time_limit=240, time_limit=300)
def send_invitations_task(invitation_ids: list[int]) -> int:
    return send_invitation_emails(invitation_ids)

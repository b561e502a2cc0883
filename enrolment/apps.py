from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = "Enrolment and invitations"

    def ready(self) -> None:
        from .invitations import invitations_queued
        from .tasks import send_invitations_task

        def send_invitations(*, invitation_ids: list[int]) -> None:
            send_invitations_task.delay(invitation_ids)

        invitations_queued.connect(send_invitations)

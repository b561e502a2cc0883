from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = "Enrolment and invitations"

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    """The engagement engine: outbox, digests, nudges, round emails, watching, unsubscribe."""

    name = "engagement"

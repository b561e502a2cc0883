from django.apps import AppConfig


class PersonalDataConfig(AppConfig):
    """A person's own data across every app: export it, or erase the account. The top of the app
    ladder: it may import every other app, and none imports it."""

    name = "personal_data"

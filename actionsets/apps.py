from django.apps import AppConfig


class ActionSetsConfig(AppConfig):
    name = "actionsets"
    verbose_name = "Action sets"

    def ready(self):
        from accounts.pages import preferences_page

        from .views.sets import email_levels_section

        preferences_page.connect(email_levels_section)

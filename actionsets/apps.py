from django.apps import AppConfig


class ActionSetsConfig(AppConfig):
    name = "actionsets"
    verbose_name = "Action sets"

from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    name = "facilitation"

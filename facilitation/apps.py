from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    name = "facilitation"

    def ready(self) -> None:
        from actionsets import events

        from .selectors import thread_annotations

        events.thread_page.connect(thread_annotations)

"""The set process's facilitator pages, mounted at /sets/<set_slug>/facilitate/ beside the
facilitation app's (config/urls.py). Facilitators only: everyone else gets 404."""

from django.urls import path

from .views import lifecycle, process

app_name = "setprocess"

urlpatterns = [
    path("process/", process.process, name="process"),
    path("process/options/", process.process_options, name="process_options"),
    path("process/rounds/<int:round_id>/", process.round_windows, name="round_windows"),
    path("lifecycle/", lifecycle.lifecycle, name="lifecycle"),
    path("lifecycle/state/", lifecycle.lifecycle_state, name="lifecycle_state"),
    path("lifecycle/rules/renegotiation/", lifecycle.rules_renegotiation, name="rules_renegotiation"),
    path("lifecycle/rules/<int:version_id>/adopt/", lifecycle.rules_adopt, name="rules_adopt"),
    path("lifecycle/self-managed/", lifecycle.self_managed, name="self_managed"),
]

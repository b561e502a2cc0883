"""The set process's facilitator pages, mounted at /sets/<set_slug>/facilitate/ beside the
facilitation app's (config/urls.py). Facilitators only: everyone else gets 404."""

from django.urls import path

from . import views_lifecycle, views_process

app_name = "setprocess"

urlpatterns = [
    path("process/", views_process.process, name="process"),
    path("process/options/", views_process.process_options, name="process_options"),
    path("process/rounds/<int:round_id>/", views_process.round_windows, name="round_windows"),
    path("lifecycle/", views_lifecycle.lifecycle, name="lifecycle"),
    path("lifecycle/state/", views_lifecycle.lifecycle_state, name="lifecycle_state"),
    path("lifecycle/rules/renegotiation/", views_lifecycle.rules_renegotiation, name="rules_renegotiation"),
    path("lifecycle/rules/<int:version_id>/adopt/", views_lifecycle.rules_adopt, name="rules_adopt"),
    path("lifecycle/self-managed/", views_lifecycle.self_managed, name="self_managed"),
]

"""The set process's facilitator pages, mounted at /sets/<set_slug>/facilitate/ beside the
facilitation app's (config/urls.py). Facilitators only: everyone else gets 404."""

from django.urls import path

from . import views_process

app_name = "setprocess"

urlpatterns = [
    path("process/", views_process.process, name="process"),
    path("process/options/", views_process.process_options, name="process_options"),
    path("process/rounds/<int:round_id>/", views_process.round_windows, name="round_windows"),
]

"""Facilitator pages, mounted at /sets/<set_slug>/facilitate/ (config/urls.py). Facilitators only:
everyone else gets 404. Members' "Flag" form lives in member_urls.py, outside this prefix."""

from django.urls import path

from . import views

app_name = "facilitation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export, name="export"),
    path("signals/", views.signals, name="signals"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/log/", views.log, name="log"),
    path("replies/<int:reply_id>/hide/", views.reply_hide, name="reply_hide"),
    path("replies/<int:reply_id>/restore/", views.reply_restore, name="reply_restore"),
    path("replies/<int:reply_id>/annotate/", views.reply_annotate, name="reply_annotate"),
    path("annotations/<int:annotation_id>/remove/", views.annotation_remove, name="annotation_remove"),
    path("airtimes/<int:airtime_id>/lock/", views.airtime_lock, name="airtime_lock"),
    path("airtimes/<int:airtime_id>/unlock/", views.airtime_unlock, name="airtime_unlock"),
    path("flags/<int:flag_id>/resolve/", views.flag_resolve, name="flag_resolve"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/change/", views.round_change, name="round_change"),
    path("rounds/<int:round_id>/close/", views.round_close, name="round_close"),
]

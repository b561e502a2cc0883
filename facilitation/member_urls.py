"""Member-facing facilitation URLs, mounted at /sets/<set_slug>/ beside the thread URLs they extend
(the facilitate/ prefix 404s for learners, so flagging cannot live there)."""

from django.urls import path

from . import views

app_name = "flagging"

urlpatterns = [
    path("airtime/<int:airtime_id>/reply/<int:reply_id>/flag/", views.flag, name="flag"),
]

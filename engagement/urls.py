"""The engagement app's pages (config/urls.py mounts this at the site root): the one-click
unsubscribe every email links to (a public interface: sent emails keep these paths), and the
thread page's knock."""

from django.urls import path

from . import email_views, knock_views

app_name = "engagement"

urlpatterns = [
    path("email/unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
    path("sets/<slug:set_slug>/airtime/<int:airtime_id>/knock/", knock_views.knock, name="knock"),
]

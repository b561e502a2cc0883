"""The engagement app's pages, mounted at /email/ (config/urls.py): the one-click unsubscribe every
email links to (a public interface: sent emails keep these paths)."""

from django.urls import path

from . import email_views

app_name = "engagement"

urlpatterns = [
    path("unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
]

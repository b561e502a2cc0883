"""The engagement app's pages, mounted at /email/ (config/urls.py): the one-click unsubscribe every
email links to (a public interface: sent emails keep these paths), and the inbound webhooks of
reply by email (docs/email-replies.md: a provider is configured with these paths)."""

from django.urls import path

from . import email_views
from .inbound import webhooks

app_name = "engagement"

urlpatterns = [
    path("unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
    # Mailgun's route forwards to …/inbound/mailgun/ (or …/inbound/mailgun/mime/ with raw MIME).
    path("inbound/mailgun/", webhooks.mailgun, name="inbound_mailgun"),
    path("inbound/mailgun/mime/", webhooks.mailgun, name="inbound_mailgun_mime"),
    path("inbound/postmark/", webhooks.postmark, name="inbound_postmark"),
]

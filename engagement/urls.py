"""The engagement app's pages (config/urls.py mounts this at the site root): the one-click
unsubscribe every email links to under /email/ (a public interface: sent emails keep these paths),
the inbound webhooks of reply by email (docs/email-replies.md: a provider is configured with these
paths), the notifications page under /notifications/, and the thread page's knock."""

from django.urls import path

from . import email_views, knock_views, notification_views
from .inbound import webhooks

app_name = "engagement"

urlpatterns = [
    path("email/unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
    # Mailgun's route forwards to …/inbound/mailgun/ (or …/inbound/mailgun/mime/ with raw MIME).
    path("email/inbound/mailgun/", webhooks.mailgun, name="inbound_mailgun"),
    path("email/inbound/mailgun/mime/", webhooks.mailgun, name="inbound_mailgun_mime"),
    path("email/inbound/postmark/", webhooks.postmark, name="inbound_postmark"),
    path("sets/<slug:set_slug>/airtime/<int:airtime_id>/knock/", knock_views.knock, name="knock"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:notification_id>/", notification_views.notification_open, name="notification_open"),
    path("notifications/read/", notification_views.notifications_read, name="notifications_read"),
]

"""The engagement app's pages (config/urls.py mounts this at the root, like enrolment's): the
one-click unsubscribe every email links to under /email/ (a public interface: sent emails keep
these paths), and the notifications page under /notifications/."""

from django.urls import path

from . import email_views, notification_views

app_name = "engagement"

urlpatterns = [
    path("email/unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:notification_id>/", notification_views.notification_open, name="notification_open"),
    path("notifications/read/", notification_views.notifications_read, name="notifications_read"),
]

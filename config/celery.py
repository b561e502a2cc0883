"""The Celery application. Without a broker configured, tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("actionsets")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

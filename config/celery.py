"""The one Celery app. Tasks live in each app's ``tasks.py``; routes and schedule in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""The one Celery app. Tasks live in each app's ``tasks.py``; routes and schedule in settings.

Database connections in the worker: Celery's Django fixup would close them before and after
every task (a new PostgreSQL connection each time, about 13 ms); with ``CELERY_DB_REUSE_MAX``
set it leaves them, and :func:`_connections_recycle` applies Django's own rule instead, as a
request does: a connection older than ``CONN_MAX_AGE``, in error, or failing its health check
(``CONN_HEALTH_CHECKS``) is closed and the next query opens a new one.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _connections_recycle(sender=None, **kwargs) -> None:
    """Before and after each task run by a worker (not eagerly): close the connections Django
    would close at a request's end (obsolete or unusable), keep the others."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()

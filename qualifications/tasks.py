"""Background jobs of the qualifications app (scheduled in ``settings.CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

import logging

from celery import shared_task

from common import clock

from .services import certificates_expire

logger = logging.getLogger(__name__)


@shared_task(name="qualifications.tasks.certificates_mark_expired")
def certificates_mark_expired() -> int:
    """Daily: mark valid certificates past ``valid_until`` as expired; return how many changed.

    Thin wrapper around :func:`qualifications.services.certificates_expire` with today's local
    date (``TIME_ZONE``). Safe to run twice: the second run changes nothing.
    """
    changed = certificates_expire(today=clock.today())
    logger.info("certificates marked expired: %d", changed)
    return changed

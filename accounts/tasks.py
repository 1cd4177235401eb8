"""Background jobs of the accounts app: the mail of the notifications."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(name="accounts.tasks.notifications_mail", bind=True, acks_late=True,
             autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30,
             retry_backoff_max=3600, max_retries=8)
def notifications_mail(self, ids: list[int]) -> int:
    """Mail the notifications ``ids`` not mailed yet, each in its recipient's language, with
    the link to the page that acts on it; returns how many were sent.

    Idempotent: each row is locked (``SKIP LOCKED``: a second worker passes it by) and only a
    row without ``emailed_at`` is sent, which is set in the same transaction. An SMTP or
    network error retries the task with a growing delay (30 s … 1 h, 8 times); rows already
    mailed are not mailed again.
    """
    sent = 0
    for pk in ids:
        with transaction.atomic():
            notification = (Notification.objects.select_for_update(skip_locked=True)
                            .select_related("recipient")
                            .filter(pk=pk, emailed_at__isnull=True).first())
            if notification is None or not notification.recipient.email:
                continue
            recipient = notification.recipient
            with translation.override(recipient.language or settings.LANGUAGE_CODE):
                title, body = notification.title, notification.body
                link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
                text = "\n\n".join(part for part in (body, link) if part)
            send_mail(title, text, None, [recipient.email])
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    logger.info("notifications mailed: %d of %d", sent, len(ids))
    return sent

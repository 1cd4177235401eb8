"""Writes to certificates: expiry and notify-and-commit verification, always with history.

Certificate status changes go through these functions so that django-simple-history records
each change (the testing fields are recorded with it: ``HistoricalRecords(m2m_fields=...)``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from common import clock
from common.audit import acts

from .models import Certificate, CertificateStatus, PermitMode

EXPIRE_BATCH = 500


def certificates_expire(*, today: date) -> int:
    """Set status ``expired`` on valid certificates whose ``valid_until`` is before ``today``.

    Returns how many certificates changed. Idempotent: a second run the same day changes nothing
    and writes no history. Each change is saved per object (one history row with the testing
    fields, change reason "expired"), in locked batches of ``EXPIRE_BATCH``; rows locked by
    another run are skipped and picked up by it. A certificate valid *until* ``today`` is still
    valid today (seed 003 §3: valid six years; the last day counts).
    """
    changed = 0
    while True:
        with transaction.atomic():
            batch = list(Certificate.objects.select_for_update(skip_locked=True)
                         .filter(status=CertificateStatus.VALID, valid_until__lt=today)
                         .order_by("pk")[:EXPIRE_BATCH])
            for certificate in batch:
                certificate.status = CertificateStatus.EXPIRED
                certificate._change_reason = "expired"
                certificate.save(update_fields=["status"])
        changed += len(batch)
        if len(batch) < EXPIRE_BATCH:
            return changed


@acts
def certificates_verify(*, certificates, user, now: datetime | None = None) -> int:
    """Record that the commitments of these notify-and-commit certificates were verified.

    ``certificates``: a queryset the caller has already scoped (the admin's). Only
    notify-and-commit certificates with ``verified_at`` empty change; the others are left alone.
    Sets ``verified_at`` to ``now`` and saves history with ``user`` as the history user.
    Returns how many changed. Rule: seed 000 §17 (核查承诺内容真实性).
    """
    now = now or clock.now()
    changed = 0
    with transaction.atomic():
        pending = (Certificate.objects.select_for_update()
                   .filter(pk__in=certificates.values("pk"),
                           permit_mode=PermitMode.NOTIFY_COMMIT, verified_at__isnull=True)
                   .order_by("pk"))
        for certificate in pending:
            certificate.verified_at = now
            certificate._history_user = user
            certificate._change_reason = "commitment verified"
            certificate.save(update_fields=["verified_at"])
            changed += 1
    return changed

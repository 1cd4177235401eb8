"""Writes to the credit file (信用档案): every credit event goes through :func:`credit_event_record`.

Source: seed 001 §三(三) (credit files); seed 002 §三(三) (inspection and penalty information
recorded under the institution's name); DOMAIN.md "Cycle and deadlines".
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common import clock
from common.audit import acts

from .models import CreditEvent, CreditEventKind


@acts
@transaction.atomic
def credit_event_record(*, institution, kind: str, occurred_on: dt.date, description: str,
                        source_task=None, source_result=None, is_public: bool = True,
                        user=None) -> CreditEvent:
    """Record one event in ``institution``'s credit file and return it.

    ``kind`` is a :class:`credit.models.CreditEventKind` value; ``occurred_on`` a date;
    ``source_task`` the inspection task the event comes from, if any (it must concern the same
    institution), and ``source_result`` the result revision; ``is_public`` says whether the
    event may appear on public pages.

    Raises ``ValidationError`` naming ``kind``, ``description``, ``occurred_on`` or
    ``source_task``. Callers check permissions (this is called from other services).
    """
    errors = {}
    if kind not in CreditEventKind.values:
        errors["kind"] = _("Unknown credit event kind.")
    if not (description or "").strip():
        errors["description"] = _("A credit event needs a description.")
    if not isinstance(occurred_on, dt.date):
        errors["occurred_on"] = _("Enter the date of the event.")
    if source_task is not None and source_task.institution_id != institution.pk:
        errors["source_task"] = _("The task concerns another institution.")
    if errors:
        raise ValidationError(errors)
    return CreditEvent.objects.create(
        institution=institution, kind=kind, occurred_on=occurred_on,
        description=description.strip(), source_task=source_task, source_result=source_result,
        is_public=is_public, recorded_by=user)


@transaction.atomic
def credit_events_supersede(*, source_result, by: CreditEvent | None, reason: str,
                            at: dt.datetime | None = None) -> int:
    """Mark the events in force that came from ``source_result`` as superseded (by ``by``, the
    correction's event, if there is one) with ``reason``; return how many. Superseded events
    stay in the file, visibly, and leave the public record (``CreditEvent.objects.public``).
    Source: DOMAIN.md "credit follows the correction"."""
    events = list(CreditEvent.objects.select_for_update().current()
                  .filter(source_result=source_result))
    for event in events:
        event.superseded_at = at or clock.now()
        event.superseded_by = by
        event.superseded_reason = reason
        event.save(update_fields=["superseded_at", "superseded_by", "superseded_reason"])
    return len(events)

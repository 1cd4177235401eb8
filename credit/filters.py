"""Open-data queryset and filters of the public credit record (``/api/v1/credit-records/``).

The base queryset is ``CreditEvent.objects.public()`` (public events in force), never all
events. Malformed filter values answer 400 ``{"<parameter>": ["message"]}`` in the request's
language. Source: seed 001 §三(三) (credit files), 一公开.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import ChoiceFilter, DateFilter, FilterSet

from common.publicapi import IntegerFilter, StableOrderingFilter
from qualifications.filters import RegionPrefixFilter, UsccFilter

from .models import CreditEvent, CreditEventKind


def credit_records_open() -> QuerySet[CreditEvent]:
    """Public events in force (``CreditEvent.objects.public()``) with the institution and the
    source task's plan joined; newest first (``-occurred_on, -id``). One query per page."""
    return (CreditEvent.objects.public()
            .select_related("institution", "source_task__plan")
            .defer("superseded_reason", "institution__address",
                   "institution__contact_person", "institution__contact_phone",
                   "institution__credit_class")
            .order_by("-occurred_on", "-id"))


class CreditRecordOpenFilter(FilterSet):
    """Filters of ``GET /api/v1/credit-records/``: ``uscc`` (the institution's), ``kind``,
    ``date_from`` / ``date_to`` (``occurred_on``, inclusive, ISO dates), ``plan`` (source
    plan id), ``region`` (the institution's code or prefix), ``ordering``
    (``occurred_on``)."""

    uscc = UsccFilter(field_name="institution__uscc", help_text="The institution's USCC.")
    kind = ChoiceFilter(choices=CreditEventKind.choices)
    date_from = DateFilter(field_name="occurred_on", lookup_expr="gte",
                           help_text="Occurred on or after (ISO date).")
    date_to = DateFilter(field_name="occurred_on", lookup_expr="lte",
                         help_text="Occurred on or before (ISO date).")
    plan = IntegerFilter(field_name="source_task__plan_id", help_text="Source plan id.")
    region = RegionPrefixFilter(field_name="institution__region__code",
                                help_text="The institution's division code or prefix.")
    ordering = StableOrderingFilter(fields=(("occurred_on", "occurred_on"),))

    class Meta:
        model = CreditEvent
        fields: list = []

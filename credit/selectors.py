"""Reads of the credit file: scoped event lists and the latest risk class per institution.

Source: seed 002 §三(三) (credit risk classification A/B/C/D per SAMR 2022 opinion No. 6, used
by the draw); seed 001 §三(三) (credit files).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery

from common.db import raw_rows
from institutions.models import Institution

from .models import CreditEvent, RiskClassification


def credit_events_for(*, institution, user) -> QuerySet[CreditEvent]:
    """The credit events of ``institution`` that ``user`` may see, newest first.

    Admin: all; a regulator: those of institutions in his region; an institution user: his own
    institution's; anyone else: none (the public reads ``CreditEvent.objects.public()``).
    Returns a queryset with ``source_task__plan`` and ``recorded_by`` joined.
    """
    return (CreditEvent.objects.for_user(user).filter(institution=institution)
            .select_related("source_task__plan", "recorded_by")
            .order_by("-occurred_on", "-id"))


def risk_class_map(*, institution_ids: Iterable[int]) -> dict[int, str]:
    """``{institution id: latest risk class}`` for the institutions that have a classification.

    "Latest" is the greatest ``assessed_on`` (ties: the greatest id). Institutions without one are
    absent: callers fall back to ``Institution.credit_class``. One query (a correlated subquery,
    portable across PostgreSQL and SQLite).
    """
    ids = list(institution_ids)
    if not ids:
        return {}
    latest = (RiskClassification.objects.filter(institution_id=OuterRef("pk"))
              .order_by("-assessed_on", "-id").values("risk_class")[:1])
    rows = (Institution.objects.filter(pk__in=ids)
            .annotate(latest_class=Subquery(latest))
            .exclude(latest_class=None)
            .values_list("pk", "latest_class"))
    return dict(rows)


def latest_risk_classes() -> dict[int, str]:
    """``{institution id: latest risk class}`` of every classified institution, in one query
    (the draw's source of classes, registered in ``credit.apps``). "Latest": the greatest
    ``assessed_on``, ties by the greatest id."""
    rows = RiskClassification.objects.order_by("institution_id", "-assessed_on", "-id")
    out: dict[int, str] = {}
    for inst_id, cls in raw_rows(rows.values_list("institution_id", "risk_class")):
        out.setdefault(inst_id, cls)
    return out

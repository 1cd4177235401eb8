"""Output shape of the public credit record (open data, ``/api/v1/credit-records/``).

Only public events in force (``CreditEvent.objects.public()``): never an event marked not
public, never one superseded by a correction. Sources: seed 001 §三(三) (credit files), seed 002
§三(三) (inspection information recorded under the institution's name), 一公开.
"""

from __future__ import annotations

from rest_framework import serializers

from inspections.serializers import InstitutionRefSerializer, PlanRefSerializer

from .models import CreditEvent


class CreditRecordOpenSerializer(serializers.ModelSerializer):
    """A public credit event: ``{id, institution: {uscc, name}, kind, kind_label, occurred_on,
    description, source_plan: {id, title} | null}`` (``source_plan``: the spot-check plan of
    the task the event came from, if any)."""

    institution = InstitutionRefSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    source_plan = PlanRefSerializer(source="source_task.plan", read_only=True, allow_null=True)

    class Meta:
        model = CreditEvent
        fields = ["id", "institution", "kind", "kind_label", "occurred_on", "description",
                  "source_plan"]
        read_only_fields = fields

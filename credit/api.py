"""Open-data API of the public credit record: ``GET /api/v1/credit-records/``.

Anonymous, read-only, limited per IP (``OPEN_API_RATE``, group ``api.v1``; 429 with
``Retry-After``), errors in the request's language (``common.publicapi``). Source: seed 001
§三(三) (credit files), 一公开.
"""

from __future__ import annotations

from common.publicapi import OpenDataListView, open_list_schema

from .filters import CreditRecordOpenFilter, credit_records_open
from .serializers import CreditRecordOpenSerializer


class CreditRecordOpenList(OpenDataListView):
    """``GET /api/v1/credit-records/``: public credit events in force
    (``CreditEvent.objects.public()``; never a non-public or superseded event). Items:
    :class:`credit.serializers.CreditRecordOpenSerializer`; filters:
    :class:`credit.filters.CreditRecordOpenFilter`. One query per page plus the count."""

    serializer_class = CreditRecordOpenSerializer
    filterset_class = CreditRecordOpenFilter

    def get_queryset(self):
        """The public selector (see the module's ``filters``)."""
        return credit_records_open()

    @open_list_schema(
        operation_id="open_credit_records_list", serializer=CreditRecordOpenSerializer,
        summary="Public credit records",
        description="Public credit events in force (seed 001 §三(三)): institution, kind, date, "
                    "description and source plan. An event superseded by a corrected result "
                    "leaves this list. Newest first.")
    def get(self, request, *args, **kwargs):
        """The page of public credit records matching the filters."""
        return super().get(request, *args, **kwargs)

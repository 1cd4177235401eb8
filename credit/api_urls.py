"""Open-data API routes of the credit app (``v1_urlpatterns``, under ``/api/v1/``)."""

from django.urls import path

from .api import CreditRecordOpenList

urlpatterns: list = []

v1_urlpatterns = [
    path("credit-records/", CreditRecordOpenList.as_view(), name="api-v1-credit-records"),
]

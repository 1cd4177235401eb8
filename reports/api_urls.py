"""Open-data API routes of the reports app (``v1_urlpatterns``, under ``/api/v1/``): the
index, the bulk index and the bulk files."""

from django.urls import path

from .api import BulkFileView, BulkIndexView, OpenDataIndexView

urlpatterns: list = []

v1_urlpatterns = [
    path("", OpenDataIndexView.as_view(), name="api-v1-index"),
    path("bulk/", BulkIndexView.as_view(), name="api-v1-bulk"),
    path("bulk/<str:day>/<str:name>", BulkFileView.as_view(), name="api-v1-bulk-file"),
]

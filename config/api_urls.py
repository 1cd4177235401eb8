"""API routes. ``urlpatterns``: the public checks and the public record, included under
``/api/public/``; ``v1_urlpatterns``: the open data, under ``/api/v1/`` (each app adds its
routes in its ``api_urls``)."""

from django.urls import include, path

from credit.api_urls import v1_urlpatterns as _credit_v1
from inspections.api_urls import v1_urlpatterns as _inspections_v1
from qualifications.api_urls import v1_urlpatterns as _qualifications_v1
from reports.api_urls import v1_urlpatterns as _reports_v1

urlpatterns: list = [
    path("", include("qualifications.api_urls")),
    path("", include("inspections.api_urls")),
]

v1_urlpatterns: list = [
    path("", include(_reports_v1)),
    path("", include(_qualifications_v1)),
    path("", include(_inspections_v1)),
    path("", include(_credit_v1)),
]

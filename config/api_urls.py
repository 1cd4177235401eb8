"""Public read-only API (no login): each app adds its routes here."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("qualifications.api_urls")),
    path("", include("inspections.api_urls")),
]

"""Public read-only API (no login): each app adds its routes here."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

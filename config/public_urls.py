"""Public pages (no login) and the home page. Each app adds its public routes here."""

from django.urls import path

from accounts.views import home

urlpatterns: list = [
    path("", home, name="home"),
]

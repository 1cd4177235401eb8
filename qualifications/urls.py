"""Public pages of the qualifications app, under ``/qualifications/`` (seed 000 §16)."""

from django.urls import path

from . import views

app_name = "qualifications"
urlpatterns = [
    path("certificates/check/", views.certificate_check, name="certificate_check"),
    path("report-numbers/check/", views.report_number_check, name="report_number_check"),
    path("institutions/", views.institution_lookup, name="institution_lookup"),
]

"""Public API routes of the qualifications app, included under ``/api/public/``."""

from django.urls import path

from .api import CertificatePublicView, ReportNumberPublicView

urlpatterns = [
    path("certificates/<str:number>/", CertificatePublicView.as_view(),
         name="public-certificate"),
    path("report-numbers/<str:number>/", ReportNumberPublicView.as_view(),
         name="public-report-number"),
]

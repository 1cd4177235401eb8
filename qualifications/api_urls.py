"""API routes of the qualifications app: the public checks (``urlpatterns``, included under
``/api/public/``) and the registry's open data (``v1_urlpatterns``, under ``/api/v1/``)."""

from django.urls import path

from .api import (
    CertificateOpenList,
    CertificatePublicView,
    InstitutionOpenList,
    ReportNumberPublicView,
)

urlpatterns = [
    path("certificates/<str:number>/", CertificatePublicView.as_view(),
         name="public-certificate"),
    path("report-numbers/<str:number>/", ReportNumberPublicView.as_view(),
         name="public-report-number"),
]

v1_urlpatterns = [
    path("institutions/", InstitutionOpenList.as_view(), name="api-v1-institutions"),
    path("certificates/", CertificateOpenList.as_view(), name="api-v1-certificates"),
]

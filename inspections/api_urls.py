"""API routes of the inspections app: the public record (``urlpatterns``, included under
``/api/public/``) and its open data (``v1_urlpatterns``, under ``/api/v1/``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("draws/<int:pk>/", api.DrawDetailView.as_view(), name="api-draw-detail"),
    path("draws/<int:pk>/pool.tsv", api.DrawPoolView.as_view(), name="api-draw-pool"),
    path("draws/<int:pk>/inspector-pool.tsv", api.DrawInspectorPoolView.as_view(),
         name="api-draw-inspector-pool"),
    path("verifier/<str:name>", api.VerifierFileView.as_view(), name="api-verifier-file"),
    path("plans/<int:pk>/results/", api.PlanResultsView.as_view(), name="api-plan-results"),
    path("ledger/", api.LedgerLinesView.as_view(), name="api-ledger"),
    path("ledger/head/", api.LedgerHeadView.as_view(), name="api-ledger-head"),
    path("ledger/key.pem", api.LedgerKeyView.as_view(), name="api-ledger-key"),
]

v1_urlpatterns = [
    path("plans/", api.PlanOpenList.as_view(), name="api-v1-plans"),
    path("draws/", api.DrawOpenList.as_view(), name="api-v1-draws"),
    path("results/", api.ResultOpenList.as_view(), name="api-v1-results"),
]

from django.urls import path

from . import api

urlpatterns = [
    path("draws/<int:pk>/", api.draw_detail, name="api-draw-detail"),
    path("draws/<int:pk>/pool.tsv", api.draw_pool, name="api-draw-pool"),
    path("draws/<int:pk>/inspector-pool.tsv", api.draw_inspector_pool,
         name="api-draw-inspector-pool"),
    path("verifier/<str:name>", api.verifier_file, name="api-verifier-file"),
    path("plans/<int:pk>/results/", api.plan_results, name="api-plan-results"),
    path("ledger/", api.ledger_lines, name="api-ledger"),
    path("ledger/head/", api.ledger_head_view, name="api-ledger-head"),
    path("ledger/key.pem", api.ledger_key, name="api-ledger-key"),
]

"""The URLs of ``config.bench_settings``: the production routes plus the benchmarks' floor."""

from django.http import JsonResponse
from django.urls import path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as production


def bare(request):
    """``GET /bench/bare/``: ``{"status": "ok"}``, nothing read: the cost of Django itself."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *production]

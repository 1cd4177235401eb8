"""``/health/``: the database, the cache and, asked for, a real Celery worker (common/health.py)."""

from __future__ import annotations

import os
import uuid

import pytest

from .draws.test_worker_lost import db_dsn, start_worker  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_health_reports_each_check(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["database"]["ok"]
    assert body["checks"]["cache"]["ok"]


def test_health_says_which_check_fails(client, monkeypatch):
    from common import health

    def broken():
        raise RuntimeError("cache down")

    monkeypatch.setattr(health, "_cache", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert "cache down" in response.json()["checks"]["cache"]["error"]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs a Redis broker")
def test_health_pings_a_real_worker(client, start_worker):  # noqa: F811 (fixture)
    start_worker(f"health-{uuid.uuid4().hex[:8]}")
    response = client.get("/health/", {"worker": "1"})
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"]["ok"]


def test_health_is_exempt_from_the_https_redirect(client, settings):
    """Probes inside the network speak plain HTTP; every other page is redirected."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/inspections/public/plans/").status_code == 301

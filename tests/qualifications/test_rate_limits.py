"""Per-IP rate limits of the public checks (django-ratelimit, cache-backed): 429 past the limit.

A daily rate keeps the tests deterministic: the window cannot roll over between two requests.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    settings.QUALIFICATIONS_PUBLIC_API_RATE = "2/d"
    settings.QUALIFICATIONS_PUBLIC_PAGE_RATE = "2/d"
    cache.clear()


def test_api_answers_429_after_the_limit(client_as, certificate, limits_on):
    client = client_as(None)
    url = f"/api/public/certificates/{certificate.number}/"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_api_limit_is_per_ip(client_as, certificate, limits_on):
    client = client_as(None)
    url = f"/api/public/certificates/{certificate.number}/"
    for _ in range(3):
        client.get(url)
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_page_answers_429_after_the_limit(client_as, certificate, limits_on):
    client = client_as(None)
    url = reverse("qualifications:certificate_check")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url, {"number": certificate.number})
    assert response.status_code == 429
    assert "ratelimited.html" in [t.name for t in response.templates]


def test_no_limit_when_disabled(client_as, certificate, settings):
    settings.RATELIMIT_ENABLE = False
    settings.QUALIFICATIONS_PUBLIC_API_RATE = "1/d"
    client = client_as(None)
    url = f"/api/public/certificates/{certificate.number}/"
    assert {client.get(url).status_code for _ in range(3)} == {200}

"""Errors in the request's language (Simplified Chinese by default, English with
``Accept-Language: en`` or under ``/en/``), 400 naming the bad parameter, and the per-IP limit
of the open data (429 with ``Retry-After``).

The project's own new messages are English msgids until the catalogue has them, so the
Chinese checks use messages Django's and DRF's catalogues translate (dates, choices, numbers,
pages, throttling); ours are checked to name the parameter.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def client():
    return Client()


@pytest.mark.parametrize("url, params, name, zh, en", [
    ("/api/v1/certificates/", {"valid_on": "31/12/2024"}, "valid_on", "输入一个有效的日期。",
     "Enter a valid date."),
    ("/api/v1/credit-records/", {"date_from": "yesterday"}, "date_from", "输入一个有效的日期。",
     "Enter a valid date."),
    ("/api/v1/results/", {"category": "great"}, "category", "选择一个有效的选项", "Select a valid choice"),
    ("/api/v1/institutions/", {"status": "closed"}, "status", "选择一个有效的选项",
     "Select a valid choice"),
    ("/api/v1/institutions/", {"national_centre": "maybe"}, "national_centre",
     "选择一个有效的选项", "Select a valid choice"),
    ("/api/v1/results/", {"corrected": "yes"}, "corrected", "选择一个有效的选项",
     "Select a valid choice"),
    ("/api/v1/plans/", {"year": "2023.5"}, "year", "输入整数", "Enter a whole number."),
    ("/api/v1/draws/", {"plan": "x"}, "plan", "输入整数", "Enter a whole number."),
    ("/api/v1/certificates/", {"ordering": "password"}, "ordering", "选择一个有效的选项",
     "Select a valid choice"),
])
def test_a_bad_filter_answers_400_naming_it_in_the_request_language(client, ref, url, params,
                                                                     name, zh, en):
    chinese = client.get(url, params)
    assert chinese.status_code == 400
    assert list(chinese.json()) == [name] and zh in chinese.json()[name][0]
    english = client.get(url, params, **EN)
    assert english.status_code == 400 and en in english.json()[name][0]
    assert english["Content-Language"] == "en" and "Accept-Language" in english["Vary"]
    prefixed = client.get("/en" + url, params)
    assert prefixed.status_code == 400 and en in prefixed.json()[name][0]


@pytest.mark.parametrize("url, params, name", [
    ("/api/v1/institutions/", {"region": "4"}, "region"),
    ("/api/v1/institutions/", {"region": "44a"}, "region"),
    ("/api/v1/institutions/", {"field": "7"}, "field"),
    ("/api/v1/institutions/", {"uscc": "91440103"}, "uscc"),
    ("/api/v1/certificates/", {"number": "12345"}, "number"),
    ("/api/v1/results/", {"region": "4401031"}, "region"),
    ("/api/public/ledger/", {"after": "x"}, "after"),
])
def test_our_own_checks_name_the_parameter(client, ref, url, params, name):
    response = client.get(url, params, **EN)
    assert response.status_code == 400
    assert list(response.json()) == [name] and response.json()[name][0]


def test_a_uscc_problem_is_explained_in_chinese_by_default(client, ref):
    body = client.get("/api/v1/certificates/", {"uscc": "91440103"}).json()
    assert "统一社会信用代码" in body["uscc"][0]


def test_not_found_speaks_the_request_language(client, ref):
    assert client.get("/api/v1/plans/", {"page": 7}).json() == {"detail": "无效页面。"}
    assert client.get("/api/v1/plans/", {"page": 7}, **EN).json() == {"detail": "Invalid page."}
    assert client.get("/api/public/draws/999999/", **EN).json()["detail"] == "No Draw matches the given query."
    assert client.get("/api/public/draws/999999/pool.tsv").status_code == 404
    zh = client.get("/api/public/verifier/nope.py")
    assert zh.status_code == 404 and zh["Content-Type"] == "application/json"
    assert zh.json() == {"detail": "未找到。"}
    assert client.get("/api/public/verifier/nope.py", HTTP_ACCEPT_LANGUAGE="en-GB,zh;q=0.5"
                      ).json() == {"detail": "Not found."}
    assert client.get("/api/public/verifier/nope.py", HTTP_ACCEPT_LANGUAGE="zh-CN"
                      ).json() == {"detail": "未找到。"}
    assert client.get("/api/public/verifier/nope.py", HTTP_ACCEPT_LANGUAGE="fr"
                      ).json() == {"detail": "未找到。"}


def test_the_language_changes_the_labels_not_the_data(client, world):
    zh = client.get("/api/v1/results/", {"corrected": "true"}).json()["results"][0]
    en = client.get("/api/v1/results/", {"corrected": "true"}, **EN).json()["results"][0]
    assert zh["category_label"] == "发现问题待后续处理"
    assert en["category_label"] == "Problem found, pending follow-up"
    assert {k: v for k, v in zh.items() if not k.endswith("_label")} == {
        k: v for k, v in en.items() if not k.endswith("_label")}


# --- rate limits -----------------------------------------------------------------------------

@pytest.fixture
def limits_on(settings):
    """A daily window: it cannot roll over between two requests of the test."""
    settings.RATELIMIT_ENABLE = True
    settings.OPEN_API_RATE = "3/d"
    cache.clear()


def test_past_the_rate_the_open_data_answers_429_with_retry_after(client, ref, limits_on):
    statuses = [client.get(url).status_code for url in
                ("/api/v1/institutions/", "/api/v1/certificates/", "/api/v1/bulk/")]
    assert statuses == [200, 200, 200]  # one group for every /api/v1/ endpoint
    limited = client.get("/api/v1/plans/")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert "请求已被限流" in limited.json()["detail"]
    english = client.get("/api/v1/plans/", **EN)
    assert english.status_code == 429 and "throttled" in english.json()["detail"]
    assert client.get("/api/v1/plans/", REMOTE_ADDR="10.0.0.9").status_code == 200  # per IP


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, ref, limits_on):
    for i in range(3):
        client.get("/api/v1/plans/", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
    assert client.get("/api/v1/plans/", HTTP_X_FORWARDED_FOR="10.9.9.77").status_code == 429


def test_the_bulk_download_counts_too(client, world, limits_on):
    from reports.tasks import opendata_generate_task

    opendata_generate_task.delay()
    url = client.get("/api/v1/bulk/").json()["results"][0]["files"][0]["url"]
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    limited = client.get(url)
    assert limited.status_code == 429 and limited["Content-Type"] == "application/json"


def test_the_public_record_files_are_limited_too(client, world, settings):
    settings.RATELIMIT_ENABLE = True
    settings.INSPECTIONS_PUBLIC_FILES_RATE = "2/d"
    settings.INSPECTIONS_PUBLIC_API_RATE = "2/d"
    cache.clear()
    for url in (f"/api/public/draws/{world.draw.pk}/pool.tsv", "/api/public/ledger/head/"):
        assert [client.get(url).status_code for _ in range(2)] == [200, 200]
        limited = client.get(url)
        assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1


def test_no_limit_when_disabled(client, ref, settings):
    settings.RATELIMIT_ENABLE = False
    settings.OPEN_API_RATE = "1/d"
    assert {client.get("/api/v1/plans/").status_code for _ in range(3)} == {200}

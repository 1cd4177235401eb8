"""The OpenAPI schema documents every public endpoint with every status and content type it
can answer, and the docs page loads nothing from another origin."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

JSON = "application/json"
#: path → content types of the 200
SUCCESS_TYPES = {
    "/api/public/certificates/{number}/": {JSON},
    "/api/public/report-numbers/{number}/": {JSON},
    "/api/public/draws/{id}/": {JSON},
    "/api/public/draws/{id}/pool.tsv": {"text/plain"},
    "/api/public/draws/{id}/inspector-pool.tsv": {"text/plain"},
    "/api/public/verifier/{name}": {"text/x-python", "text/plain"},
    "/api/public/plans/{id}/results/": {JSON},
    "/api/public/ledger/": {"application/x-ndjson"},
    "/api/public/ledger/head/": {JSON},
    "/api/public/ledger/key.pem": {"text/plain"},
    "/api/v1/": {JSON},
    "/api/v1/institutions/": {JSON},
    "/api/v1/certificates/": {JSON},
    "/api/v1/plans/": {JSON},
    "/api/v1/draws/": {JSON},
    "/api/v1/results/": {JSON},
    "/api/v1/credit-records/": {JSON},
    "/api/v1/bulk/": {JSON},
    "/api/v1/bulk/{day}/{name}": {"text/csv", JSON},
}
#: the operations that answer 400 (a malformed parameter)
BAD_REQUEST = {"/api/public/certificates/{number}/", "/api/public/ledger/",
               "/api/v1/institutions/", "/api/v1/certificates/", "/api/v1/plans/",
               "/api/v1/draws/", "/api/v1/results/", "/api/v1/credit-records/", "/api/v1/bulk/"}
#: the operations that cannot answer 404 (no path parameter, no page)
NEVER_404 = {"/api/public/ledger/", "/api/public/ledger/head/", "/api/public/ledger/key.pem",
             "/api/v1/"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_public_endpoint_is_in_the_schema(schema):
    assert set(schema["paths"]) == set(SUCCESS_TYPES)
    assert not [p for p in schema["paths"] if p.startswith("/en/")]


def test_the_schema_counts_every_url_of_the_public_api():
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, route)
            else:
                yield route

    routes = {r for r in walk(get_resolver().url_patterns)
              if r.startswith(("api/public/", "api/v1/"))}
    assert len(routes) == len(SUCCESS_TYPES)


@pytest.mark.parametrize("path", sorted(SUCCESS_TYPES))
def test_each_operation_documents_its_statuses_and_content_types(schema, path):
    operation = schema["paths"][path]["get"]
    assert list(schema["paths"][path]) == ["get"]  # read-only
    responses = operation["responses"]
    expected = {"200", "429"} | ({"400"} if path in BAD_REQUEST else set()) | (
        set() if path in NEVER_404 else {"404"})
    assert set(responses) == expected, path
    assert set(responses["200"]["content"]) == SUCCESS_TYPES[path]
    for code in expected - {"200"}:
        assert set(responses[code]["content"]) == {JSON}, (path, code)
    assert "Retry-After" in responses["429"]["headers"]
    assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
    assert "Accept-Language" in {p["name"] for p in operation["parameters"]
                                 if p["in"] == "header"}
    assert operation.get("summary") and operation.get("operationId")


def test_the_lists_document_their_filters_and_pagination(schema):
    def query(path):
        return {p["name"] for p in schema["paths"][path]["get"]["parameters"]
                if p["in"] == "query"}

    assert {"region", "field", "status", "national_centre", "name", "uscc", "ordering", "page",
            "page_size"} <= query("/api/v1/institutions/")
    assert {"number", "uscc", "status", "level", "valid_on"} <= query("/api/v1/certificates/")
    assert {"plan", "category", "region", "corrected"} <= query("/api/v1/results/")
    assert {"uscc", "kind", "date_from", "date_to"} <= query("/api/v1/credit-records/")
    assert {"year", "status"} <= query("/api/v1/plans/")
    page = schema["paths"]["/api/v1/institutions/"]["get"]["responses"]["200"]["content"][JSON]
    ref = page["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"count", "next", "previous", "results"} <= set(
        schema["components"]["schemas"][ref]["properties"])


def test_no_security_requirement_public_endpoints(schema):
    for path, item in schema["paths"].items():
        assert item["get"].get("security") in (None, [{}], []), path


def test_the_docs_load_nothing_from_another_origin():
    from django.contrib.staticfiles import finders

    client = Client()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(urls) == 5  # favicon, stylesheet, two bundles, the init script
    assert all(u.startswith(("/static/", "/api/docs/?")) for u in urls), urls
    assert not re.search(r"https?:|//", html.replace("<!DOCTYPE html>", ""))
    assert "<style" not in html and "<script>" not in html  # no inline code (CSP)
    for url in urls:
        if url.startswith("/static/"):  # shipped by drf-spectacular-sidecar
            assert finders.find(url.removeprefix("/static/")), url
        else:
            script = client.get(url.replace("&amp;", "&")).content.decode()
            assert "SwaggerUIBundle" in script and '"validatorUrl": null' in script
            assert not re.search(r"https?:", script)

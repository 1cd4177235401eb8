"""What the schema says a parameter is, the server enforces (found by Schemathesis,
``test_schemathesis.py``): ``page_size`` a whole number ≥ 1, a typed filter never empty, a code
matching its pattern, an unmatched ``/api/`` path a JSON 404, a certificate number of 12
digits that cannot exist a 404 naming the problem."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize("value", ["null", "0", "-3", "2.5", "²", ""])
def test_page_size_must_be_a_whole_number(ref, value):
    response = Client().get("/api/v1/institutions/", {"page_size": value}, **EN)
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Give a whole number of at least 1."]}


def test_page_size_is_capped_not_refused(ref):
    response = Client().get("/api/v1/institutions/", {"page_size": "100000"})
    assert response.status_code == 200
    assert Client().get("/api/v1/bulk/", {"page_size": "0"}).status_code == 400


@pytest.mark.parametrize("url, name", [
    ("/api/v1/certificates/", "valid_on"), ("/api/v1/institutions/", "region"),
    ("/api/v1/institutions/", "national_centre"), ("/api/v1/results/", "plan"),
    ("/api/v1/credit-records/", "date_from"), ("/api/v1/plans/", "year"),
])
def test_a_typed_filter_given_empty_is_refused(ref, url, name):
    response = Client().get(url, {name: ""}, **EN)
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_a_free_text_filter_and_the_ordering_may_be_empty(ref):
    assert Client().get("/api/v1/institutions/", {"name": ""}).status_code == 200
    assert Client().get("/api/v1/institutions/", {"ordering": ""}).status_code == 200


@pytest.mark.parametrize("params", [{"uscc": "91440103"}, {"uscc": "9144010330000014IU"},
                                    {"region": "٤٤"}, {"field": "7"}, {"number": "12345"}])
def test_a_code_outside_its_pattern_is_refused(ref, params):
    response = Client().get("/api/v1/certificates/", params, **EN)
    assert response.status_code == 400 and list(response.json()) == list(params)


def test_a_well_formed_code_of_no_record_matches_nothing(ref):
    """The check character of this USCC is wrong: no institution has it, so no row."""
    response = Client().get("/api/v1/institutions/", {"uscc": "91440103300000141A"})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_an_unmatched_api_path_answers_json_in_the_request_language(ref):
    response = Client().get("/api/public/draws/null,null/", **EN)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
    assert Client().get("/api/v1/nothing-here/").json() == {"detail": "未找到。"}
    page = Client().get("/inspections/nothing-here/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_the_ledger_after_takes_digits_only(ref):
    for value in ("²", "-1", "1" * 19):
        assert Client().get("/api/public/ledger/", {"after": value}).status_code == 400
    assert Client().get("/api/public/ledger/", {"after": "0"}).status_code == 200

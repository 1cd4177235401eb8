"""``GET /api/public/certificates/{number}/``: the public certificate check (seed 000 §16)."""

from __future__ import annotations

import pytest

from qualifications.models import CertificateStatus

URL = "/api/public/certificates/{}/"
KEYS = {"number", "status", "status_label", "institution", "valid_from", "valid_until",
        "fields", "issuing_authority", "permit_mode", "permit_mode_label", "scope"}

pytestmark = pytest.mark.django_db


def test_valid_certificate_answers_full_public_record(client_as, certificate):
    response = client_as(None).get(URL.format(certificate.number))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS
    assert body["number"] == "224407120001"
    assert body["status"] == "valid"
    assert body["institution"] == {"name": "广州市测试检测有限公司",
                                   "uscc": certificate.institution.uscc}
    assert body["valid_from"] == "2022-03-01"
    assert body["valid_until"] == "2028-02-28"
    assert body["fields"] == [{"code": "07", "name": "食品检验"}, {"code": "17", "name": "农产品"}]
    assert body["issuing_authority"] == "广东省市场监督管理局"
    assert body["permit_mode"] == "standard"
    assert body["scope"] == "食品中农药残留 GB 2763"


def test_institution_block_holds_no_contact_data(client_as, certificate):
    body = client_as(None).get(URL.format(certificate.number)).json()
    assert set(body["institution"]) == {"name", "uscc"}
    assert certificate.institution.contact_phone not in str(body)


@pytest.mark.parametrize("stored", [CertificateStatus.SUSPENDED, CertificateStatus.REVOKED,
                                    CertificateStatus.EXPIRED])
def test_stored_status_is_answered(client_as, certificate_of_status, stored):
    certificate = certificate_of_status(stored)
    body = client_as(None).get(URL.format(certificate.number)).json()
    assert body["status"] == stored


def test_valid_certificate_past_its_end_date_answers_expired(client_as, expired_by_date):
    body = client_as(None).get(URL.format(expired_by_date.number)).json()
    assert body["status"] == "expired"


def test_unknown_number_answers_404_status_unknown(client_as, ref):
    response = client_as(None).get(URL.format("224407129999"))
    assert response.status_code == 404
    assert response.json() == {"status": "unknown", "number": "224407129999"}


@pytest.mark.parametrize("number, fragment, status", [
    ("12345", "12", 400),              # "must be 12 digits" (zh: 应为 12 位数字)
    ("22440712000X", "12", 400),
    ("229907120001", "99", 404),       # 12 digits, but no province 99: cannot exist
    ("224407120000", "0000", 404),     # serial 0000 is never issued
])
def test_a_bad_number_names_the_problem(client_as, ref, number, fragment, status):
    """Not 12 digits (outside the schema): 400; 12 digits that cannot be a number: 404."""
    response = client_as(None).get(URL.format(number))
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"status", "number", "error"}
    assert body["status"] == "unknown" and body["number"] == number
    assert fragment in body["error"]


def test_check_takes_one_query(client_as, certificate, django_assert_num_queries):
    client = client_as(None)
    client.get(URL.format(certificate.number))  # PostgreSQL: prepared once per connection
    with django_assert_num_queries(1):
        response = client.get(URL.format(certificate.number))
    assert response.status_code == 200


def test_logged_in_user_gets_the_same_answer(client_as, certificate, regulator):
    assert client_as(regulator).get(URL.format(certificate.number)).status_code == 200


def test_writes_are_refused(client_as, certificate):
    assert client_as(None).post(URL.format(certificate.number)).status_code == 405
    assert client_as(None).delete(URL.format(certificate.number)).status_code == 405


def test_openapi_schema_describes_the_public_checks(client_as, ref):
    response = client_as(None).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/public/certificates/{number}/"]["get"]
    assert operation["operationId"] == "public_certificate_check"
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    assert "/api/public/report-numbers/{number}/" in schema["paths"]

"""``GET /api/public/report-numbers/{number}/``: the test-report-number check (seed 000 §16)."""

from __future__ import annotations

import datetime as dt

import pytest

from qualifications.models import CertificateStatus, TestReportNumber

URL = "/api/public/report-numbers/{}/"

pytestmark = pytest.mark.django_db


def test_registered_number_answers_institution_and_certificate_status(client_as, report_number):
    response = client_as(None).get(URL.format("GZJC-2024-000123"))
    assert response.status_code == 200
    assert response.json() == {
        "number": "GZJC-2024-000123",
        "status": "registered",
        "institution": {"name": "广州市测试检测有限公司",
                        "uscc": report_number.institution.uscc},
        "certificate": {"number": "224407120001", "status": "valid"},
        "issued_on": "2024-05-06",
    }


def test_certificate_status_is_the_public_one(client_as, report_number):
    certificate = report_number.certificate
    certificate.status = CertificateStatus.SUSPENDED
    certificate.save()
    body = client_as(None).get(URL.format(report_number.number)).json()
    assert body["certificate"] == {"number": certificate.number, "status": "suspended"}


def test_report_without_certificate_answers_null(client_as, institution):
    TestReportNumber.objects.create(number="R-1", institution=institution,
                                    issued_on=dt.date(2024, 1, 2))
    assert client_as(None).get(URL.format("R-1")).json()["certificate"] is None


def test_unknown_number_answers_404_status_unknown(client_as, ref):
    response = client_as(None).get(URL.format("NOPE-1"))
    assert response.status_code == 404
    assert response.json() == {"status": "unknown", "number": "NOPE-1"}


def test_check_takes_one_query(client_as, report_number, django_assert_num_queries):
    client = client_as(None)
    with django_assert_num_queries(1):
        assert client.get(URL.format(report_number.number)).status_code == 200

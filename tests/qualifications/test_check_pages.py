"""The public certificate and report-number check pages, each outcome (seed 000 §16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qualifications.models import CertificateStatus

pytestmark = pytest.mark.django_db


def check(client, number):
    return client.get(reverse("qualifications:certificate_check"), {"number": number})


def test_empty_form_shows_the_number_field(client_as, ref):
    response = client_as(None).get(reverse("qualifications:certificate_check"))
    assert response.status_code == 200
    assert 'name="number"' in response.content.decode()
    assert response.context["searched"] is False


def test_valid_certificate_shows_result_card(client_as, certificate):
    response = check(client_as(None), certificate.number)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"]["status"] == "valid"
    assert 'class="badge q-status valid"' in html
    for text in ("广州市测试检测有限公司", certificate.institution.uscc, "2022-03-01",
                 "2028-02-28", "食品检验", "农产品", "食品中农药残留 GB 2763"):
        assert text in html
    assert certificate.institution.contact_phone not in html


def test_number_with_spaces_is_accepted(client_as, certificate):
    response = check(client_as(None), " 2244 0712 0001 ")
    assert response.context["result"]["certificate"].number == certificate.number


@pytest.mark.parametrize("stored", [CertificateStatus.SUSPENDED, CertificateStatus.REVOKED,
                                    CertificateStatus.EXPIRED])
def test_other_statuses_show_their_badge(client_as, certificate_of_status, stored):
    certificate = certificate_of_status(stored)
    response = check(client_as(None), certificate.number)
    assert response.context["result"]["status"] == stored
    assert f'class="badge q-status {stored}"' in response.content.decode()


def test_past_end_date_shows_expired(client_as, expired_by_date):
    response = check(client_as(None), expired_by_date.number)
    assert response.context["result"]["status"] == "expired"


def test_unknown_number_shows_a_clear_message(client_as, ref):
    response = check(client_as(None), "224407129999")
    assert response.status_code == 200
    assert response.context["searched"] is True and response.context["result"] is None
    assert 'class="badge q-status unknown"' in response.content.decode()


def test_malformed_number_is_a_form_error_naming_the_problem(client_as, ref):
    response = check(client_as(None), "2244")
    assert response.status_code == 200
    assert response.context["searched"] is False
    errors = response.context["form"].errors["number"]
    assert len(errors) == 1 and "12" in errors[0] and "2244" in errors[0]
    assert 'class="errorlist' in response.content.decode()


def test_certificate_page_takes_one_query(client_as, certificate, django_assert_num_queries):
    client = client_as(None)
    check(client, certificate.number)  # PostgreSQL: the statement is prepared once per connection
    with django_assert_num_queries(1):
        check(client, certificate.number)


def test_registered_report_number_shows_institution_and_certificate(client_as, report_number):
    response = client_as(None).get(reverse("qualifications:report_number_check"),
                                   {"number": "GZJC-2024-000123"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["report"] == report_number
    assert response.context["certificate_status"]["status"] == "valid"
    assert "广州市测试检测有限公司" in html and "224407120001" in html and "2024-05-06" in html


def test_unknown_report_number_shows_a_clear_message(client_as, ref):
    response = client_as(None).get(reverse("qualifications:report_number_check"),
                                   {"number": "NOPE-1"})
    assert response.context["searched"] is True and response.context["report"] is None
    assert 'class="badge q-status unknown"' in response.content.decode()


def test_pages_answer_in_english_too(client_as, certificate):
    response = client_as(None).get("/en" + reverse("qualifications:certificate_check"),
                                   {"number": certificate.number})
    assert response.status_code == 200
    assert "This certificate is valid" in response.content.decode()

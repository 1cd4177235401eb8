"""The public institution lookup: by name fragment or USCC, public data only (seed 000 §16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qualifications.models import CertificateStatus
from qualifications.views import LOOKUP_PAGE_SIZE
from tests.factories import CertificateFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def lookup(client, **params):
    return client.get(reverse("qualifications:institution_lookup"), params)


def test_name_fragment_finds_institution_with_region_fields_and_certificates(
        client_as, certificate, other_institution):
    CertificateFactory(institution=certificate.institution, status=CertificateStatus.REVOKED)
    response = lookup(client_as(None), q="测试检测")
    html = response.content.decode()
    assert response.status_code == 200
    assert [r["institution"] for r in response.context["results"]] == [certificate.institution]
    assert certificate.institution.uscc in html
    assert "广东省" in html and "广州市" in html and "荔湾区" in html
    assert "食品检验" in html
    statuses = [c["status"] for c in response.context["results"][0]["certificates"]]
    assert sorted(statuses) == ["revoked", "valid"]
    assert other_institution.name not in html


def test_uscc_finds_institution(client_as, institution, other_institution):
    response = lookup(client_as(None), q=other_institution.uscc.lower())
    assert [r["institution"] for r in response.context["results"]] == [other_institution]


def test_lookup_does_not_leak_contacts(client_as, institution):
    html = lookup(client_as(None), q=institution.name).content.decode()
    assert institution.name in html
    assert institution.contact_phone not in html
    assert institution.contact_person not in html


def test_one_character_is_a_form_error(client_as, institution):
    response = lookup(client_as(None), q="测")
    assert response.context["page_obj"] is None
    assert "q" in response.context["form"].errors


def test_no_match_says_so(client_as, institution):
    response = lookup(client_as(None), q="不存在的机构")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0


def test_results_are_paginated(client_as, ref):
    for i in range(LOOKUP_PAGE_SIZE + 3):
        InstitutionFactory(name=f"分页检测机构{i:02d}")
    first = lookup(client_as(None), q="分页检测")
    assert len(first.context["results"]) == LOOKUP_PAGE_SIZE
    assert "page=2" in first.content.decode()
    second = lookup(client_as(None), q="分页检测", page=2)
    assert len(second.context["results"]) == 3


def test_lookup_query_count_does_not_grow_with_results(
        client_as, ref, django_assert_num_queries):
    for i in range(5):
        CertificateFactory(institution=InstitutionFactory(name=f"计数检测机构{i}"))
    client = client_as(None)
    # count, institutions (+ region chain), their fields, their certificates
    with django_assert_num_queries(4):
        response = lookup(client, q="计数检测")
    assert len(response.context["results"]) == 5

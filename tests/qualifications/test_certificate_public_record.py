"""The public certificate check's record (``qualifications.public_check``): one query, the
serializer's shape exactly, and every change visible to the next request (no cache)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import translation

from qualifications.models import Certificate, CertificateStatus, PermitMode
from qualifications.public_check import certificate_public_record
from qualifications.serializers import CertificatePublicSerializer
from tests.factories import CertificateFactory, field

pytestmark = pytest.mark.django_db

URL = "/api/public/certificates/{}/"
TODAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize("codes", [[], ["07"], ["17", "07", "01"]])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_record_renders_what_the_serializer_renders(institution, codes, language):
    certificate = CertificateFactory(institution=institution, scope_summary="范围\n第二行",
                                     permit_mode=PermitMode.NOTIFY_COMMIT,
                                     fields=[field(c) for c in codes])
    with translation.override(language):
        expected = CertificatePublicSerializer(certificate, context={"today": TODAY}).data
        record = certificate_public_record(number=certificate.number)
        assert record.as_json(TODAY) == expected


def test_record_fields_follow_the_display_order(institution):
    certificate = CertificateFactory(institution=institution,
                                     fields=[field("17"), field("01"), field("07")])
    record = certificate_public_record(number=certificate.number)
    assert [f.code for f in record.fields] == [
        f.code for f in certificate.fields.order_by("sort_order", "code")]


def test_unknown_number_is_none(ref):
    assert certificate_public_record(number="224407129999") is None


def test_record_is_one_query(certificate, django_assert_num_queries):
    certificate_public_record(number=certificate.number)  # prepares, on PostgreSQL
    with django_assert_num_queries(1):
        certificate_public_record(number=certificate.number)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="prepared statements are PostgreSQL's")
def test_a_new_connection_prepares_again(certificate, django_assert_num_queries):
    """The statement belongs to the session: after a reconnection it is prepared anew."""
    from django.db import connection

    certificate_public_record(number=certificate.number)
    with django_assert_num_queries(1):
        certificate_public_record(number=certificate.number)
    connection.connection.close()  # as if the server had dropped it
    connection.connection = None
    connection.connect()
    with django_assert_num_queries(2) as captured:  # PREPARE, then EXECUTE
        assert certificate_public_record(number=certificate.number).number == \
            certificate.number
    assert captured.captured_queries[0]["sql"].startswith("PREPARE")


def test_the_query_uses_the_number_index(certificate):
    """The plan reads the certificate through its unique index, not a scan (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("plan shape checked on PostgreSQL")
    qs = Certificate.objects.filter(number=certificate.number).values_list(
        "number", "fields__code")
    with connection.cursor() as cur:
        cur.execute("SET enable_seqscan = off")  # tiny tables: ask whether an index exists
        plan = qs.explain()
        cur.execute("RESET enable_seqscan")
    assert "qualifications_certificate_number" in plan and "Seq Scan on qualifications_certificate" \
        not in plan


@pytest.mark.parametrize("change", ["save", "update"])
def test_a_revocation_is_visible_to_the_next_request(client_as, certificate, change):
    """No cache stands between the register and the public: whether the status changes through
    a model save (the admin, a service) or a bulk UPDATE (the registry import, SQL), the next
    check answers it."""
    client = client_as(None)
    assert client.get(URL.format(certificate.number)).json()["status"] == "valid"
    page = client.get("/qualifications/certificates/check/", {"number": certificate.number})
    assert page.context["result"]["status"] == "valid"
    if change == "save":
        certificate.status = CertificateStatus.REVOKED
        certificate.save(update_fields=["status"])
    else:
        Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.REVOKED)
    assert client.get(URL.format(certificate.number)).json()["status"] == "revoked"
    page = client.get("/qualifications/certificates/check/", {"number": certificate.number})
    assert page.context["result"]["status"] == "revoked"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="a PostgreSQL session to drop")
def test_a_dropped_connection_costs_no_failed_check(client_as, certificate):
    """The kept connection dies between two requests (a database restart, a proxy's timeout):
    the next check still answers, on a new connection (the query is its own health check)."""
    import psycopg2
    from django.db import connection

    client = client_as(None)
    assert client.get(URL.format(certificate.number)).status_code == 200
    pid = connection.connection.get_backend_pid()
    other = psycopg2.connect(**connection.get_connection_params())
    other.autocommit = True
    with other.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    connection.health_check_done = False  # as at the start of the next request
    response = client.get(URL.format(certificate.number))
    assert response.status_code == 200 and response.json()["number"] == certificate.number
    assert connection.connection.get_backend_pid() != pid

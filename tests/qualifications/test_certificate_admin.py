"""The Certificate admin: per-role scoping and the notify-and-commit "mark verified" action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qualifications.models import Certificate, PermitMode, TestReportNumber
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:qualifications_certificate_changelist")


def change_url(certificate):
    return reverse("admin:qualifications_certificate_change", args=[certificate.pk])


def test_guangdong_regulator_sees_only_guangdong_certificates(
        client_as, regulator, certificate, hunan_certificate):
    response = client_as(regulator).get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.number in html
    assert hunan_certificate.number not in html


def test_outsider_cannot_open_the_other_regions_certificate(
        client_as, outsider_regulator, certificate, hunan_certificate):
    client = client_as(outsider_regulator)
    assert client.get(change_url(certificate)).status_code == 404
    assert client.get(change_url(hunan_certificate)).status_code == 200


def test_admin_sees_all(client_as, admin_user, certificate, hunan_certificate):
    html = client_as(admin_user).get(CHANGELIST).content.decode()
    assert certificate.number in html and hunan_certificate.number in html


def test_anonymous_and_institution_users_are_kept_out(client_as, institution_user, certificate):
    assert client_as(None).get(CHANGELIST).status_code == 302
    assert client_as(institution_user).get(CHANGELIST).status_code == 302


def test_search_by_institution_name_and_filters(client_as, admin_user, certificate,
                                                hunan_certificate):
    client = client_as(admin_user)
    html = client.get(CHANGELIST, {"q": "长沙"}).content.decode()
    assert hunan_certificate.number in html and certificate.number not in html
    html = client.get(CHANGELIST, {"permit_mode__exact": "notify_commit"}).content.decode()
    assert hunan_certificate.number in html and certificate.number not in html
    html = client.get(CHANGELIST, {"verification": "pending"}).content.decode()
    assert hunan_certificate.number in html and certificate.number not in html


def test_regulator_marks_notify_commit_certificates_verified(client_as, regulator, institution):
    pending = CertificateFactory(institution=institution, permit_mode=PermitMode.NOTIFY_COMMIT)
    standard = CertificateFactory(institution=institution)
    response = client_as(regulator).post(CHANGELIST, {
        "action": "mark_verified", "_selected_action": [pending.pk, standard.pk]}, follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    standard.refresh_from_db()
    assert pending.verified_at is not None and standard.verified_at is None
    latest = pending.history.first()
    assert latest.history_user == regulator and latest.verified_at is not None
    messages = [str(m) for m in response.context["messages"]]
    assert any("1" in m for m in messages)


def test_verify_action_cannot_reach_another_region(client_as, regulator, hunan_certificate):
    client_as(regulator).post(CHANGELIST, {
        "action": "mark_verified", "_selected_action": [hunan_certificate.pk]})
    assert Certificate.objects.get(pk=hunan_certificate.pk).verified_at is None


def test_report_number_changelist_is_scoped(client_as, regulator, report_number,
                                            other_institution):
    TestReportNumber.objects.create(number="HN-0001", institution=other_institution,
                                    issued_on=report_number.issued_on)
    response = client_as(regulator).get(
        reverse("admin:qualifications_testreportnumber_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert report_number.number in html and "HN-0001" not in html

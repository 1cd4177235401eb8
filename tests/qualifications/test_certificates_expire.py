"""The daily expiry: service ``certificates_expire`` and task ``certificates_mark_expired``."""

from __future__ import annotations

import datetime as dt

import pytest

from qualifications.models import Certificate, CertificateStatus
from qualifications.services import certificates_expire
from qualifications.tasks import certificates_mark_expired
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2028, 3, 1)


@pytest.fixture
def certificates(institution):
    return {
        "past": CertificateFactory(institution=institution, valid_until=dt.date(2028, 2, 28)),
        "last_day_today": CertificateFactory(institution=institution, valid_until=TODAY),
        "future": CertificateFactory(institution=institution, valid_until=dt.date(2030, 1, 1)),
        "suspended_past": CertificateFactory(institution=institution,
                                             status=CertificateStatus.SUSPENDED,
                                             valid_until=dt.date(2020, 1, 1)),
    }


def statuses(certificates):
    return {k: Certificate.objects.get(pk=c.pk).status for k, c in certificates.items()}


def test_only_valid_certificates_past_their_end_date_expire(certificates):
    assert certificates_expire(today=TODAY) == 1
    assert statuses(certificates) == {"past": "expired", "last_day_today": "valid",
                                      "future": "valid", "suspended_past": "suspended"}


def test_expiry_writes_history_with_fields(certificates):
    certificates_expire(today=TODAY)
    latest = certificates["past"].history.first()
    assert latest.status == "expired" and latest.history_type == "~"
    assert latest.history_change_reason == "expired"
    assert latest.history_user is None
    assert [f.testingfield.code for f in latest.fields.all()] == ["07"]


def test_expiry_is_idempotent(certificates):
    assert certificates_expire(today=TODAY) == 1
    history_rows = Certificate.history.count()
    assert certificates_expire(today=TODAY) == 0
    assert Certificate.history.count() == history_rows


def test_expiry_handles_more_than_one_batch(institution, monkeypatch):
    monkeypatch.setattr("qualifications.services.EXPIRE_BATCH", 2)
    for _ in range(5):
        CertificateFactory(institution=institution, valid_until=dt.date(2020, 1, 1))
    assert certificates_expire(today=TODAY) == 5
    assert not Certificate.objects.filter(status="valid").exists()


def test_task_is_registered_under_the_scheduled_name(settings):
    scheduled = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert certificates_mark_expired.name == "qualifications.tasks.certificates_mark_expired"
    assert certificates_mark_expired.name in scheduled


def test_task_expires_with_todays_date(institution):
    gone = CertificateFactory(institution=institution, valid_until=dt.date(2020, 1, 1))
    assert certificates_mark_expired.delay().get() == 1
    assert certificates_mark_expired.delay().get() == 0
    gone.refresh_from_db()
    assert gone.status == "expired"

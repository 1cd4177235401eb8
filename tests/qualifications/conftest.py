"""Fixtures for the qualifications tests: rate limits off and a clean cache unless a test
turns them on (``test_rate_limits.py``), and certificates in each state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from qualifications.models import CertificateStatus, PermitMode, TestReportNumber
from tests.factories import CertificateFactory, field


@pytest.fixture(autouse=True)
def _no_rate_limits_default_language(settings):
    """Rate limits off, empty cache, and the default language active (``reverse`` uses it)."""
    settings.RATELIMIT_ENABLE = False
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def certificate(institution):
    """A valid Guangzhou certificate with two testing fields and a scope."""
    return CertificateFactory(
        institution=institution, number="224407120001", scope_summary="食品中农药残留 GB 2763",
        fields=[field("07"), field("17")])


@pytest.fixture
def certificate_of_status(institution):
    """``certificate_of_status(status, **kw)``: a certificate with that stored status."""

    def make(status: str, **kwargs):
        return CertificateFactory(institution=institution, status=status, **kwargs)

    return make


@pytest.fixture
def expired_by_date(institution):
    """Stored status still ``valid`` but ``valid_until`` is past: the public sees expired."""
    return CertificateFactory(institution=institution, status=CertificateStatus.VALID,
                              issued_on=dt.date(2014, 1, 1), valid_until=dt.date(2019, 12, 31))


@pytest.fixture
def hunan_certificate(other_institution):
    return CertificateFactory(institution=other_institution,
                              issuing_authority="湖南省市场监督管理局",
                              permit_mode=PermitMode.NOTIFY_COMMIT)


@pytest.fixture
def report_number(certificate):
    return TestReportNumber.objects.create(
        number="GZJC-2024-000123", institution=certificate.institution, certificate=certificate,
        issued_on=dt.date(2024, 5, 6))

"""``certificates_unverified_notify_commit``: candidates for checks (seed 000 §17), scoped."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from qualifications.models import CertificateStatus, PermitMode
from qualifications.selectors import certificates_unverified_notify_commit
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gd_pending(institution):
    return CertificateFactory(institution=institution, permit_mode=PermitMode.NOTIFY_COMMIT)


def test_only_unverified_notify_commit_certificates_are_candidates(institution, gd_pending,
                                                                    admin_user):
    CertificateFactory(institution=institution)  # standard procedure
    CertificateFactory(institution=institution, permit_mode=PermitMode.NOTIFY_COMMIT,
                       verified_at=timezone.now())
    CertificateFactory(institution=institution, permit_mode=PermitMode.NOTIFY_COMMIT,
                       status=CertificateStatus.REVOKED)
    assert list(certificates_unverified_notify_commit(user=admin_user)) == [gd_pending]


def test_candidates_are_scoped_per_user(gd_pending, hunan_certificate, regulator,
                                        outsider_regulator, institution_user):
    assert list(certificates_unverified_notify_commit(user=regulator)) == [gd_pending]
    assert list(certificates_unverified_notify_commit(user=outsider_regulator)) == [
        hunan_certificate]
    assert list(certificates_unverified_notify_commit(user=AnonymousUser())) == []
    assert list(certificates_unverified_notify_commit(user=institution_user)) == [gd_pending]

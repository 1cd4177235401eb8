"""Reads for certificates and test-report numbers.

Public selectors (no user: they return only what the public check shows, seed 000 §16) and the
scoped selector of notify-and-commit certificates awaiting verification (seed 000 §17).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from institutions.models import Institution, TestingField
from institutions.validators import uscc_problem

from .models import Certificate, CertificateStatus, PermitMode, TestReportNumber
from .public_check import PublicCertificate, certificate_public_record
from .search import NameSearch, name_search


def certificate_public_get(*, number: str) -> PublicCertificate | None:
    """The certificate with this number as the public check shows it (institution name and
    USCC, testing fields), or ``None``. One indexed query (:mod:`.public_check`)."""
    return certificate_public_record(number=number)


def report_number_public_get(*, number: str) -> TestReportNumber | None:
    """The registered test-report number with institution and certificate, or ``None``.

    One query (both joined).
    """
    return (TestReportNumber.objects.select_related("institution", "certificate")
            .filter(number=number).first())


def institutions_public_search(*, query: str) -> NameSearch:
    """Institutions whose name holds every word of ``query``, or whose USCC is ``query`` (18
    characters), ranked (:mod:`.search`: relevance, then pinyin; at most
    ``RANKED_AT_MOST`` when the words are very common).

    Loads what the public lookup shows (public data only, seed 000 §16): the region with its two
    parents, the testing fields, and the certificates (newest first). Four queries per page:
    the capped count, institutions, fields, certificates.
    """
    code = query.strip().upper()
    exact = Q(uscc=code) if len(code) == 18 and uscc_problem(code) is None else None
    base = (Institution.objects.select_related("region__parent__parent")
            .prefetch_related(
                Prefetch("fields", queryset=TestingField.objects.order_by("sort_order", "code")),
                Prefetch("certificates", queryset=Certificate.objects.order_by("-issued_on")),
            ))
    return name_search(base, query=query, extra=exact)


def certificates_unverified_notify_commit(*, user) -> QuerySet[Certificate]:
    """Notify-and-commit certificates whose commitment is not verified yet, as ``user`` sees them.

    These are the candidates for checks (seed 000 §17: 加强对机构承诺内容真实性的核查). Revoked
    and expired certificates are left out: there is nothing left to verify. Scoped with
    ``Certificate.objects.for_user(user)``; oldest issue first.
    """
    return (Certificate.objects.for_user(user)
            .filter(permit_mode=PermitMode.NOTIFY_COMMIT, verified_at__isnull=True)
            .exclude(status__in=[CertificateStatus.REVOKED, CertificateStatus.EXPIRED])
            .select_related("institution")
            .order_by("issued_on", "number"))

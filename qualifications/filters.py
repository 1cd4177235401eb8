"""Open-data querysets and filters of the registry: institutions and certificates (``/api/v1/``).

The registry is public (seed 000 §十六: anyone may look up an institution and its
certificates); what is restricted is fields, not rows, so the base querysets below take every
institution and certificate and the serializers (:mod:`qualifications.serializers`) show only
public fields. Each base queryset loads everything its serializer reads in a fixed number of
queries (no N+1), and is what the bulk files iterate (``reports.opendata``).

Filters answer 400 ``{"<parameter>": ["message"]}`` for a malformed value, in the request's
language (Django's catalogue for dates, numbers and choices; the project's for ours).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, DateFilter, FilterSet

from accounts.scoping import region_code_prefix
from common import clock
from common.publicapi import (
    PatternFilter,
    StableOrderingFilter,
    StrictBooleanFilter,
    pattern_schema,
)
from institutions.models import Institution, InstitutionStatus, TestingField

from .models import Certificate, CertificateStatus, PermitMode
from .search import name_filter_q, search_words

#: query-parameter shapes (ASCII digits: ``\d`` would take other scripts' digits too)
REGION_PATTERN = r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$"
FIELD_CODE_PATTERN = r"^[0-9]{2}$"
#: GB 32100-2015 §4: 18 characters of the code's alphabet (no I, O, Z, S, V); either case
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$"
CERTIFICATE_NUMBER_PATTERN = r"^[0-9]{12}$"


@pattern_schema(REGION_PATTERN)
class RegionPrefixFilter(PatternFilter):
    """``?region=44`` / ``4401`` / ``440103`` / ``440000``: rows whose region code (at
    ``field_name``) lies inside that region. A full code is read as its region
    (``accounts.scoping.region_code_prefix``: ``440000`` is the province ``44``, ``440100`` the
    city ``4401``); ``000000`` means the whole country. Not 2, 4 or 6 digits: 400."""

    pattern = REGION_PATTERN
    message = _("Give a division code (6 digits, e.g. 440103) or its prefix of 2 or 4 digits "
                "(44, 4401).")

    def filter(self, qs, value):
        """Rows whose region code starts with the region's prefix."""
        if not value:
            return qs
        prefix = region_code_prefix(value) if len(value) == 6 else value
        return qs.filter(**{f"{self.field_name}__startswith": prefix}) if prefix else qs


@pattern_schema(FIELD_CODE_PATTERN)
class FieldCodeFilter(PatternFilter):
    """``?field=07``: the 2-digit testing-field code (GB/T 4754-style codes of the registry);
    anything else: 400."""

    pattern = FIELD_CODE_PATTERN
    message = _("Give the 2-digit code of a testing field (e.g. 07).")


@pattern_schema(USCC_PATTERN)
class UsccFilter(PatternFilter):
    """``?uscc=…``: the 18-character unified social credit code (either case; GB 32100-2015).
    Not 18 characters of the code's alphabet: 400; a code of that shape whose check character
    is wrong names no institution and matches nothing (the filter searches; the public
    certificate check validates)."""

    pattern = USCC_PATTERN
    message = _("Give an 18-character unified social credit code (digits and capital letters "
                "other than I, O, Z, S, V).")

    def filter(self, qs, value):
        """Exact match on the upper-cased code."""
        return super().filter(qs, value.upper() if value else value)


@pattern_schema(CERTIFICATE_NUMBER_PATTERN)
class CertificateNumberFilter(PatternFilter):
    """``?number=…``: a 12-digit certificate number (YY AA FF II SSSS); not 12 digits: 400."""

    pattern = CERTIFICATE_NUMBER_PATTERN
    message = _("Give the 12-digit certificate number.")


#: institution columns never read by the open data (contacts, address, recorded credit class):
#: not even loaded
_NOT_PUBLIC = ("address", "contact_person", "contact_phone", "credit_class", "nature",
               "cnas_accredited", "created_at", "updated_at")


def _field_codes() -> Prefetch:
    return Prefetch("fields", queryset=TestingField.objects.only("code", "name", "sort_order")
                    .order_by("sort_order", "code"))


def institutions_open() -> QuerySet[Institution]:
    """Every registered institution, with what :class:`InstitutionOpenSerializer` reads: the
    region and its two parents and the primary field joined; fields and certificates (by
    number) prefetched. Ordered by USCC. Three queries per page (rows, fields,
    certificates), or per chunk of ``iterator(chunk_size=…)``."""
    return (Institution.objects
            .select_related("region__parent__parent", "primary_field")
            .defer(*_NOT_PUBLIC)
            .prefetch_related(
                _field_codes(),
                Prefetch("certificates", queryset=Certificate.objects.only(
                    "number", "institution_id", "status", "valid_until").order_by("number")))
            .order_by("uscc"))


def certificates_open() -> QuerySet[Certificate]:
    """Every qualification certificate, with its institution joined and its fields
    prefetched, ordered by number. Two queries per page or chunk."""
    return (Certificate.objects.select_related("institution")
            .defer("verified_at", *(f"institution__{name}" for name in _NOT_PUBLIC))
            .prefetch_related(_field_codes())
            .order_by("number"))


class InstitutionOpenFilter(FilterSet):
    """Filters of ``GET /api/v1/institutions/``.

    ``region`` (division code or prefix), ``field`` (2-digit testing field code: the
    institution holds it), ``status`` (active / suspended / revoked / deregistered),
    ``national_centre`` (true/false), ``name`` (words, each contained, case-insensitive), ``uscc``
    (exact), ``ordering`` (``uscc``, ``name``, ``region``; ``-`` for descending)."""

    uscc = UsccFilter(field_name="uscc", help_text="Unified social credit code (18 chars).")
    name = CharFilter(field_name="name", lookup_expr="icontains", max_length=200,
                      method="filter_name",
                      help_text="Words of the name, separated by spaces: each must occur "
                                "(case-insensitive).")
    region = RegionPrefixFilter(field_name="region__code",
                                help_text="Division code (440103) or prefix (44, 4401).")
    field = FieldCodeFilter(field_name="fields__code",
                            help_text="2-digit testing field code the institution holds.")
    status = ChoiceFilter(choices=InstitutionStatus.choices)
    national_centre = StrictBooleanFilter(field_name="is_national_centre",
                                          help_text="National quality inspection centre.")
    ordering = StableOrderingFilter(fields=(("uscc", "uscc"), ("name", "name"),
                                            ("region_id", "region")))

    class Meta:
        model = Institution
        fields: list = []

    def filter_name(self, qs, name, value):
        """Institutions whose name holds every word of ``value`` (``qualifications.search``:
        split at spaces, each word served by an index on PostgreSQL)."""
        words = search_words(value or "")
        return qs.filter(name_filter_q(words)) if words else qs


def _public_status_q(value: str, today) -> Q:
    """The rows whose ``Certificate.public_status(today)`` is ``value``."""
    if value == CertificateStatus.EXPIRED:
        return Q(status=CertificateStatus.EXPIRED) | Q(status=CertificateStatus.VALID,
                                                       valid_until__lt=today)
    if value == CertificateStatus.VALID:
        return Q(status=CertificateStatus.VALID, valid_until__gte=today)
    return Q(status=value)


class CertificateOpenFilter(FilterSet):
    """Filters of ``GET /api/v1/certificates/``.

    ``number`` (exact, 12 digits), ``uscc`` (the institution's), ``status`` (public status
    today: valid / suspended / revoked / expired — a valid certificate past its end date is
    expired), ``level`` (national / provincial, from ``number[2:4]``), ``valid_on`` (a date:
    issued by then, not past ``valid_until`` and not suspended or revoked now — the
    registry keeps the current status only), ``field``, ``permit_mode``, ``region`` (the
    institution's), ``ordering`` (``number``, ``issued_on``, ``valid_until``)."""

    number = CertificateNumberFilter(field_name="number",
                                     help_text="12-digit certificate number.")
    uscc = UsccFilter(field_name="institution__uscc", help_text="The institution's USCC.")
    status = ChoiceFilter(choices=CertificateStatus.choices, method="filter_status",
                          help_text="Public status as of today.")
    level = ChoiceFilter(choices=[("national", "national"), ("provincial", "provincial")],
                         method="filter_level",
                         help_text='national: number[2:4] == "00"; provincial otherwise.')
    valid_on = DateFilter(method="filter_valid_on", help_text="Valid on this date (ISO).")
    field = FieldCodeFilter(field_name="fields__code",
                            help_text="2-digit testing field code the certificate covers.")
    permit_mode = ChoiceFilter(choices=PermitMode.choices)
    region = RegionPrefixFilter(field_name="institution__region__code",
                                help_text="The institution's division code or prefix.")
    ordering = StableOrderingFilter(fields=(("number", "number"), ("issued_on", "issued_on"),
                                            ("valid_until", "valid_until")))

    class Meta:
        model = Certificate
        fields: list = []

    def filter_status(self, qs, name, value):
        """Certificates whose public status today is ``value``."""
        return qs.filter(_public_status_q(value, clock.today())) if value else qs

    def filter_level(self, qs, name, value):
        """National (``number[2:4] == "00"``) or provincial certificates."""
        if not value:
            return qs
        qs = qs.alias(authority_segment=Substr("number", 3, 2))
        if value == "national":
            return qs.filter(authority_segment="00")
        return qs.exclude(authority_segment="00")

    def filter_valid_on(self, qs, name, value):
        """Certificates valid (as recorded now) on the date ``value``."""
        if not value:
            return qs
        return qs.filter(status=CertificateStatus.VALID, issued_on__lte=value,
                         valid_until__gte=value)

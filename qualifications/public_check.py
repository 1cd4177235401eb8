"""The public certificate check's record, read in one indexed query (seed 000 §十六).

The check is the platform's busiest public read: anyone holding a test report may look its
certificate up. :func:`certificate_public_record` reads everything the page and the API show in
one statement: the certificate by its unique number (the ``number`` unique index), its
institution's name and USCC (primary key), and its testing fields (the through table's
``certificate_id`` index), one row per field. Nothing is cached: a revocation, a suspension or a
correction is visible to the next request.

:class:`PublicCertificate` holds public data only (never contacts) and renders the API's JSON
without a DRF serializer (:meth:`PublicCertificate.as_json`, the shape of
:class:`qualifications.serializers.CertificatePublicSerializer`, which stays the schema's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Certificate, CertificateStatus, PermitMode, public_status_of

_COLUMNS = ("number", "status", "issued_on", "valid_until", "issuing_authority", "permit_mode",
            "scope_summary", "institution__name", "institution__uscc", "fields__code",
            "fields__name")


@dataclass(frozen=True)
class PublicInstitution:
    """The holder as the public sees it: name and USCC."""

    name: str
    uscc: str


@dataclass(frozen=True)
class PublicField:
    """A testing field of the certificate: 2-digit code and name."""

    code: str
    name: str


@dataclass(frozen=True)
class PublicCertificate:
    """A certificate as the public check shows it: the stored ``status`` and the dates give the
    public status (:meth:`public_status`); ``fields`` in the fields' display order."""

    number: str
    status: str
    issued_on: date
    valid_until: date
    issuing_authority: str
    permit_mode: str
    scope_summary: str
    institution: PublicInstitution
    fields: tuple[PublicField, ...]

    def public_status(self, today: date) -> str:
        """valid / suspended / revoked / expired on ``today`` (see ``public_status_of``)."""
        return public_status_of(self.status, self.valid_until, today)

    def public_status_label(self, today: date) -> str:
        """The translated label of :meth:`public_status`."""
        return str(CertificateStatus(self.public_status(today)).label)

    def get_permit_mode_display(self) -> str:
        """The translated label of the permit mode (as the model's method is named)."""
        return str(PermitMode(self.permit_mode).label)

    def as_json(self, today: date) -> dict:
        """``{number, status, status_label, institution: {name, uscc}, valid_from,
        valid_until, fields: [{code, name}], issuing_authority, permit_mode,
        permit_mode_label, scope}`` with dates in ISO 8601 and labels in the active language."""
        status = self.public_status(today)
        return {
            "number": self.number,
            "status": status,
            "status_label": str(CertificateStatus(status).label),
            "institution": {"name": self.institution.name, "uscc": self.institution.uscc},
            "valid_from": self.issued_on.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "fields": [{"code": f.code, "name": f.name} for f in self.fields],
            "issuing_authority": self.issuing_authority,
            "permit_mode": self.permit_mode,
            "permit_mode_label": self.get_permit_mode_display(),
            "scope": self.scope_summary,
        }


def certificate_public_record(*, number: str) -> PublicCertificate | None:
    """The certificate numbered ``number`` as the public sees it, or ``None``. One query (see
    the module docstring); public data only, whatever the caller."""
    rows = list(Certificate.objects.filter(number=number).order_by(
        "fields__sort_order", "fields__code").values_list(*_COLUMNS))
    if not rows:
        return None
    (number, status, issued_on, valid_until, authority, permit_mode, scope, inst_name,
     inst_uscc, _code, _name) = rows[0]
    return PublicCertificate(
        number=number, status=status, issued_on=issued_on, valid_until=valid_until,
        issuing_authority=authority, permit_mode=permit_mode, scope_summary=scope,
        institution=PublicInstitution(name=inst_name, uscc=inst_uscc),
        fields=tuple(PublicField(code=row[-2], name=row[-1]) for row in rows
                     if row[-2] is not None))

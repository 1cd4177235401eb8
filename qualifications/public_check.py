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

import functools
from dataclasses import dataclass
from datetime import date

from django.db import InterfaceError, OperationalError, connection

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


@functools.cache
def _record_sql(vendor: str) -> str:
    """The record's SELECT as the ORM writes it for ``vendor``, with one parameter (the number).

    Built once per process: compiling the queryset took three quarters of the check's own time
    (about 0.7 ms of 1 ms); the statement does not depend on the number."""
    query = Certificate.objects.filter(number="").order_by(
        "fields__sort_order", "fields__code").values_list(*_COLUMNS).query
    sql, params = query.sql_with_params()
    assert list(params) == [""], params
    return sql


def _date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text


#: the record's prepared statement on PostgreSQL (per connection)
STATEMENT = "qualifications_certificate_check"


def _record_execute(cursor, number: str) -> None:
    """Run the record's SELECT for ``number``. On PostgreSQL as a prepared statement, prepared
    once per connection (the connections persist: ``CONN_MAX_AGE``): planning the four-table
    join cost the database 0.24 ms of its 0.30 ms per check. A prepared statement lives as
    long as its session, whatever becomes of the transaction it was prepared in; the wrapper
    remembers the raw connection it prepared on, so a new connection prepares again. (Behind
    a pooler in transaction mode, which does not keep sessions, this would fail: connect
    directly or in session mode.)"""
    if connection.vendor != "postgresql":
        cursor.execute(_record_sql(connection.vendor), [number])
        return
    raw = connection.connection
    if getattr(connection, "_certificate_check_prepared_on", None) is not raw:
        sql = _record_sql("postgresql")
        assert sql.count("%s") == 1 and "%%" not in sql, sql
        cursor.execute(f"PREPARE {STATEMENT}(varchar) AS {sql.replace('%s', '$1')}")
        connection._certificate_check_prepared_on = raw
    cursor.execute(f"EXECUTE {STATEMENT}(%s)", [number])


def _record_fetch(number: str) -> list[tuple]:
    with connection.cursor() as cursor:
        _record_execute(cursor, number)
        return cursor.fetchall()


def _record_rows(number: str) -> list[tuple]:
    """The record's rows, the connection's health checked by the query itself.

    A request's first query on a kept connection is preceded by Django's health check
    (``CONN_HEALTH_CHECKS``: ``SELECT 1``, a round trip). Outside a transaction this read-only
    query checks instead: it runs at once, and if it fails because the connection is gone
    (the check's own ``is_usable`` says so) the connection is closed and the query runs once
    more on a new one — a dropped connection still costs no failed request, and a sound one
    no extra round trip."""
    unchecked = (connection.vendor == "postgresql" and connection.connection is not None
                 and connection.health_check_enabled and not connection.health_check_done
                 and not connection.in_atomic_block)
    if not unchecked:
        return _record_fetch(number)
    connection.health_check_done = True
    try:
        return _record_fetch(number)
    except (InterfaceError, OperationalError):
        if connection.is_usable():
            raise  # the connection is sound: the error is the query's
        connection.close()
        return _record_fetch(number)


def certificate_public_record(*, number: str) -> PublicCertificate | None:
    """The certificate numbered ``number`` as the public sees it, or ``None``. One query (see
    the module docstring; on PostgreSQL one more, once per connection, prepares it); public
    data only, whatever the caller."""
    rows = _record_rows(number)
    if not rows:
        return None
    (number, status, issued_on, valid_until, authority, permit_mode, scope, inst_name,
     inst_uscc, _code, _name) = rows[0]
    return PublicCertificate(
        number=number, status=status, issued_on=_date(issued_on),
        valid_until=_date(valid_until),
        issuing_authority=authority, permit_mode=permit_mode, scope_summary=scope,
        institution=PublicInstitution(name=inst_name, uscc=inst_uscc),
        fields=tuple(PublicField(code=row[-2], name=row[-1]) for row in rows
                     if row[-2] is not None))

"""Writing a validated registry plan: bulk upsert of institutions and certificates, with history.

Institutions are keyed by USCC, certificates by number. A row whose USCC is stored updates that
institution (only the columns present in the file; status is never touched) and the certificate
with the row's number, created for the institution if new. Rows that change nothing write
nothing. Everything runs in bulk: new rows and the M2M through rows by ``COPY`` on PostgreSQL
(:mod:`.copy`; ``bulk_create`` in batches of 2,000 elsewhere), updates as one
``UPDATE … FROM (VALUES …)`` per batch (:func:`_update_rows`; ``bulk_update`` is far too slow
at this size).

History (django-simple-history): ``bulk_create`` skips the history signals. The history rows
hold what ``simple_history.utils.bulk_create_with_history`` / ``bulk_update_with_history``
would write ("+" for created, "~" for changed rows, one ``history_date`` per import, the
importing user, reason "Registry import"), plus the M2M snapshot rows of
``HistoricalInstitution_fields`` / ``HistoricalCertificate_fields`` that those helpers leave
out. By default they are copied inside the database with ``INSERT … SELECT`` from the rows just
written (:func:`_history_sql`); ``history="orm"`` builds them the helpers' way
(``HistoryManager.bulk_history_create``, one Python object per row). Measured with
``scripts/bench_import.py``, 60,000 new rows on this 2-core machine: PostgreSQL 28 s without
history, 33 s with ``sql``, 38 s with ``orm`` (SQLite: 25 / 27 / 38 s); under load the ``orm``
way came close to doubling the time. ``bulk_update_with_history`` is not usable here at all: it
runs ``bulk_update``, see :func:`_update_rows`.
Needs a backend that returns primary keys from bulk inserts (PostgreSQL, SQLite ≥ 3.35).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_history_copied, current_actor
from institutions.models import Institution, InstitutionStatus
from qualifications.models import Certificate, CertificateStatus

from . import columns as C
from .copy import links_create, objects_create
from .validation import RegistryPlan, RegistryRow

BATCH = 2000
UPDATE_BATCH = 1000
DELETE_CHUNK = 900

_INSTITUTION_COLUMNS = {
    C.NAME: ("name",), C.REGION: ("region_id",), C.FIELDS: ("primary_field_id",),
    C.NATIONAL_CENTRE: ("is_national_centre",), C.NATURE: ("nature",),
    C.CONTACT: ("contact_person",), C.PHONE: ("contact_phone",), C.ADDRESS: ("address",),
    C.CREDIT: ("credit_class",), C.CNAS: ("cnas_accredited",),
}
_CERTIFICATE_COLUMNS = {
    C.ISSUED: ("issued_on",), C.VALID_UNTIL: ("valid_until",),
    C.AUTHORITY: ("issuing_authority",), C.PERMIT: ("permit_mode",),
}


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    certificates_created: int = 0
    certificates_updated: int = 0


def _institution_values(r: RegistryRow) -> dict:
    return {"name": r.name, "region_id": r.region, "primary_field_id": r.field_ids[0],
            "is_national_centre": r.national, "nature": r.nature, "contact_person": r.contact,
            "contact_phone": r.phone, "address": r.address, "credit_class": r.credit,
            "cnas_accredited": r.cnas}


def _certificate_values(r: RegistryRow, plan: RegistryPlan) -> dict:
    authority = r.authority or C.issuing_authority_name(
        segment=r.cert_number[2:4], province_name=plan.province_names.get(r.cert_number[2:4]))
    return {"issued_on": r.issued, "valid_until": r.valid_until,
            "issuing_authority": authority, "permit_mode": r.permit}


def _apply(obj, values: dict, attrs: list[str]) -> bool:
    changed = False
    for attr in attrs:
        if getattr(obj, attr) != values[attr]:
            setattr(obj, attr, values[attr])
            changed = True
    return changed


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _update_rows(model, objs: list, attnames: list[str]) -> None:
    """Write ``attnames`` of ``objs`` (stored rows) in batches of one statement each::

        WITH v (pk, c0, c1, …) AS (VALUES (…), (…)) UPDATE table SET col = v.c0, … FROM v
        WHERE table.pk = v.pk

    Same SQL on PostgreSQL and SQLite ≥ 3.33. ``QuerySet.bulk_update`` builds a ``CASE WHEN``
    per row and column instead; at 60,000 changed rows it took over 3 minutes and 1 GB.
    """
    if not objs or not attnames:
        return
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[a] for a in attnames]
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    aliases = [f"c{i}" for i in range(len(fields))]
    set_sql = ", ".join(f"{qn(f.column)} = v.{a}" for f, a in zip(fields, aliases, strict=True))
    max_params = connection.features.max_query_params or 65535
    batch = max(1, min(UPDATE_BATCH, max_params // (len(fields) + 1)))
    row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(objs, batch):
            params = []
            for obj in chunk:
                params.append(obj.pk)
                params += [f.get_db_prep_save(getattr(obj, f.attname), connection)
                           for f in fields]
            cursor.execute(
                f"WITH v (pk, {', '.join(aliases)}) AS (VALUES {', '.join([row_sql] * len(chunk))}) "
                f"UPDATE {table} SET {set_sql} FROM v WHERE {table}.{pk} = v.pk", params)


def _m2m_replace(*, model, owner_attr: str, owners: dict[int, tuple[int, ...]],
                 replace: list[int]) -> None:
    """Delete the through rows of the ``replace`` owners, then insert those of all ``owners``."""
    through = model.fields.through
    for chunk in _chunks(replace, DELETE_CHUNK):
        through.objects.filter(**{f"{owner_attr}__in": chunk}).delete()
    links_create(through, through._meta.get_field(owner_attr.removesuffix("_id")).column,
                 ((pk, f) for pk, fs in owners.items() for f in fs))


def _history_orm(*, model, created: list, changed: list, user, when, reason: str) -> None:
    """History the way ``simple_history.utils.bulk_create_with_history`` writes it.

    ``HistoryManager.bulk_history_create`` builds one historical model object per row in
    Python; measured at 60,000 rows it doubles the import time, hence :func:`_history_sql`.
    """
    actor = current_actor()
    for objs, update in ((created, False), (changed, True)):
        for chunk in _chunks(objs, BATCH):
            model.history.bulk_history_create(
                chunk, batch_size=BATCH, update=update, default_user=user, default_date=when,
                default_change_reason=reason,
                custom_historical_attrs={"ip_address": actor.ip, "source": actor.source})


def _history_sql(*, model, created: list, changed: list, user, when, reason: str) -> None:
    """History rows copied in the database: ``INSERT INTO historical… SELECT … FROM model``.

    Same columns and values as ``bulk_history_create`` ("+" created, "~" changed, the
    ``history_date`` ``when``, the user and reason, the actor's address and source), without
    building a Python object per row.
    """
    history = model.history.model
    qn = connection.ops.quote_name
    columns = [f.column for f in history.tracked_fields]
    meta = history._meta
    extra = ["history_date", "history_change_reason", "ip_address", "source", "history_type",
             "history_user"]
    actor = current_actor()
    params_head = [meta.get_field("history_date").get_db_prep_save(when, connection), reason,
                   actor.ip, actor.source]
    user_id = user.pk if user is not None else None
    target = ", ".join(qn(c) for c in [*columns, *(meta.get_field(f).column for f in extra)])
    select = ", ".join(f"t.{qn(c)}" for c in columns)
    pk = qn(model._meta.pk.column)
    insert = (f"INSERT INTO {qn(meta.db_table)} ({target}) SELECT {select}, %s, %s, %s, %s, "
              f"%s, %s FROM {qn(model._meta.db_table)} t WHERE t.{pk} ")
    with connection.cursor() as cursor:
        for objs, kind in ((created, "+"), (changed, "~")):
            pks = [o.pk for o in objs]
            if pks and connection.vendor == "postgresql":  # one statement, the keys an array
                cursor.execute(insert + "= ANY(%s)", [*params_head, kind, user_id, pks])
                continue
            for chunk in _chunks(pks, DELETE_CHUNK):
                cursor.execute(insert + f"IN ({', '.join(['%s'] * len(chunk))})",
                               [*params_head, kind, user_id, *chunk])


def _history_m2m_snapshot(*, model, owner_attr: str, when) -> None:
    """Copy the current ``fields`` rows of every object historised at ``when`` to the M2M
    history table (``Historical<Model>_fields``), which simple_history's bulk helpers skip."""
    history = model.history.model
    m2m = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_fields")
    through = model.fields.through
    qn = connection.ops.quote_name
    owner = through._meta.get_field(owner_attr.removesuffix("_id")).column
    field = through._meta.get_field("testingfield").column
    cols = [m2m._meta.get_field(n).column for n in ("id", "history", owner_attr.removesuffix(
        "_id"), "testingfield")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(m2m._meta.db_table)} ({', '.join(qn(c) for c in cols)}) "
            f"SELECT t.{qn(through._meta.pk.column)}, h.{qn(history._meta.pk.column)}, "
            f"t.{qn(owner)}, t.{qn(field)} FROM {qn(through._meta.db_table)} t "
            f"JOIN {qn(history._meta.db_table)} h ON h.{qn(model._meta.pk.column)} = t.{qn(owner)} "
            f"WHERE h.{qn(history._meta.get_field('history_date').column)} = %s",
            [history._meta.get_field("history_date").get_db_prep_save(when, connection)])


def _history_write(*, model, owner_attr: str, created: list, changed: list, user, when,
                   reason: str, mode: str) -> None:
    if not created and not changed:
        return
    writer = _history_sql if mode == "sql" else _history_orm
    writer(model=model, created=created, changed=changed, user=user, when=when, reason=reason)
    audit_history_copied(model, history_date=when, pks=[o.pk for o in (*created, *changed)],
                         reason=reason)
    _history_m2m_snapshot(model=model, owner_attr=owner_attr, when=when)


def registry_plan_write(*, plan: RegistryPlan, user=None, history: str = "sql") -> WriteCounts:
    """Upsert the plan's rows; the caller holds the transaction. Returns the counts.

    ``user``: recorded as the history user (``None`` for the command). ``history``: ``"sql"``
    (the default: history rows copied by ``INSERT … SELECT``), ``"orm"`` (simple_history's
    ``bulk_history_create``), ``"none"`` (no history; only for measuring its cost in
    ``scripts/bench_import.py``).
    """
    now = timezone.now()
    counts = WriteCounts()
    inst_attrs = [a for col, attrs in _INSTITUTION_COLUMNS.items() if col in plan.present
                  for a in attrs]
    cert_attrs = [a for col, attrs in _CERTIFICATE_COLUMNS.items() if col in plan.present
                  for a in attrs]
    if C.AUTHORITY not in plan.present:
        cert_attrs = [a for a in cert_attrs if a != "issuing_authority"]

    new_insts: list[Institution] = []
    changed_insts: list[Institution] = []
    inst_fields: dict[str, tuple[int, ...]] = {}
    refield_insts: set[str] = set()
    for r in plan.rows:
        values = _institution_values(r)
        inst = plan.institutions.get(r.uscc)
        if inst is None:
            new_insts.append(Institution(uscc=r.uscc, status=InstitutionStatus.ACTIVE, **values))
            inst_fields[r.uscc] = r.field_ids
            continue
        changed = _apply(inst, values, inst_attrs)
        if set(r.field_ids) != plan.institution_fields.get(inst.pk, set()):
            inst_fields[r.uscc] = r.field_ids
            refield_insts.add(r.uscc)
            changed = True
        if changed:
            inst.updated_at = now
            changed_insts.append(inst)
        else:
            counts.unchanged += 1
    objects_create(Institution, new_insts)
    if changed_insts:
        _update_rows(Institution, changed_insts, [*inst_attrs, "updated_at"])
    by_uscc = {i.uscc: i for i in (*new_insts, *changed_insts)}
    _m2m_replace(model=Institution, owner_attr="institution_id",
                 owners={by_uscc[u].pk: fs for u, fs in inst_fields.items()},
                 replace=[by_uscc[u].pk for u in refield_insts])
    counts.created, counts.updated = len(new_insts), len(changed_insts)

    new_certs: list[Certificate] = []
    changed_certs: list[Certificate] = []
    cert_fields: dict[str, tuple[int, ...]] = {}
    refield_certs: set[str] = set()
    for r in plan.rows:
        values = _certificate_values(r, plan)
        cert = plan.certificates.get(r.cert_number)
        if cert is None:
            inst = by_uscc.get(r.uscc) or plan.institutions[r.uscc]
            new_certs.append(Certificate(number=r.cert_number, institution_id=inst.pk,
                                         status=CertificateStatus.VALID, **values))
            cert_fields[r.cert_number] = r.field_ids
            continue
        changed = _apply(cert, values, cert_attrs)
        if set(r.field_ids) != plan.certificate_fields.get(cert.pk, set()):
            cert_fields[r.cert_number] = r.field_ids
            refield_certs.add(r.cert_number)
            changed = True
        if changed:
            changed_certs.append(cert)
    objects_create(Certificate, new_certs)
    _update_rows(Certificate, changed_certs, cert_attrs)
    by_number = {c.number: c for c in (*new_certs, *changed_certs)}
    _m2m_replace(model=Certificate, owner_attr="certificate_id",
                 owners={by_number[n].pk: fs for n, fs in cert_fields.items()},
                 replace=[by_number[n].pk for n in refield_certs])
    counts.certificates_created, counts.certificates_updated = len(new_certs), len(changed_certs)

    if history != "none":
        reason = _("Registry import")
        _history_write(model=Institution, owner_attr="institution_id", created=new_insts,
                       changed=changed_insts, user=user, when=now, reason=reason, mode=history)
        _history_write(model=Certificate, owner_attr="certificate_id", created=new_certs,
                       changed=changed_certs, user=user, when=now, reason=reason, mode=history)
    return counts

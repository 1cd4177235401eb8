"""Registry import: a good round trip, upsert on re-import, CSV, the command, history."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command

from institutions.models import Institution, RegistryImport, RegistryImportStatus
from loaders.registry import registry_import
from qualifications.models import Certificate, PermitMode

from .conftest import csv_bytes, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_round_trip_creates_institutions_certificates_and_fields(rows300):
    record = run_import(xlsx_bytes(rows300))
    assert record.status == RegistryImportStatus.SUCCEEDED, record.problems
    assert (record.row_count, record.created_count, record.certificates_created) == (300, 300, 300)
    assert record.problem_count == 0 and record.problems == []
    assert Institution.objects.count() == 300
    assert Certificate.objects.count() == 300

    name, uscc, region, fields, number, issued, until, authority, national, nature, contact, \
        phone, address, credit, cnas, permit = rows300[0]
    inst = Institution.objects.get(uscc=uscc)
    assert (inst.name, inst.region_id, inst.contact_person, inst.contact_phone, inst.address,
            inst.credit_class) == (name, region, contact, phone, address, credit)
    names = fields.split("；")
    assert inst.primary_field.name == names[0]
    assert sorted(f.name for f in inst.fields.all()) == sorted(names)
    assert inst.is_national_centre == (national == "是") and inst.cnas_accredited == (cnas == "是")
    cert = inst.certificates.get()
    assert (cert.number, cert.issued_on, cert.valid_until, cert.issuing_authority) == (
        number, issued, until, authority)
    assert sorted(f.name for f in cert.fields.all()) == sorted(names)
    assert cert.permit_mode == {"一般程序": PermitMode.STANDARD, "告知承诺": PermitMode.NOTIFY_COMMIT,
                                "自我声明": PermitMode.SELF_DECLARATION,
                                "变更备案": PermitMode.CHANGE_FILING}[permit]
    national_rows = [r for r in rows300 if r[8] == "是"]
    assert Institution.objects.filter(is_national_centre=True).count() == len(national_rows)
    # history: one "+" record per institution and certificate, with the fields snapshot
    assert Institution.history.filter(history_type="+").count() == 300
    assert Certificate.history.filter(history_type="+").count() == 300
    snapshot = apps.get_model("institutions", "HistoricalInstitution_fields").objects
    assert snapshot.count() == Institution.fields.through.objects.count()
    assert {f.testingfield.name for f in inst.history.get().fields.all()} == set(names)


def test_reimport_updates_instead_of_duplicating(rows300):
    assert run_import(xlsx_bytes(rows300)).succeeded
    again = run_import(xlsx_bytes(rows300))
    assert again.succeeded
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 300)
    assert Institution.history.count() == 300  # nothing changed, nothing recorded

    changed = [list(r) for r in rows300]
    changed[0][0] = "新名称检测有限公司"
    changed[0][3] = "食品检验"  # fields: primary becomes 食品检验 only
    changed[1][6] = date(2031, 1, 1)  # valid until
    changed[2][13] = "D"
    record = run_import(xlsx_bytes(changed))
    assert record.succeeded, record.problems
    assert (record.created_count, record.updated_count, record.unchanged_count) == (0, 2, 298)
    assert record.certificates_updated == 2  # row 0 (fields) and row 1 (valid until)
    assert Institution.objects.count() == 300 and Certificate.objects.count() == 300
    inst = Institution.objects.get(uscc=changed[0][1])
    assert inst.name == "新名称检测有限公司"
    assert [f.name for f in inst.fields.all()] == ["食品检验"] and inst.primary_field.name == "食品检验"
    assert Certificate.objects.get(number=changed[1][4]).valid_until == date(2031, 1, 1)
    assert Institution.objects.get(uscc=changed[2][1]).credit_class == "D"
    assert inst.history.filter(history_type="~").count() == 1


def test_new_certificate_number_for_a_stored_institution_adds_a_certificate(rows300):
    assert run_import(xlsx_bytes(rows300[:5])).succeeded
    renewed = list(rows300[0])
    renewed[4] = renewed[4][:8] + "9999"
    record = run_import(xlsx_bytes([renewed]))
    assert record.succeeded and record.certificates_created == 1
    assert Institution.objects.get(uscc=renewed[1]).certificates.count() == 2


def test_utf8_csv_import(rows300):
    record = run_import(csv_bytes(rows300[:50]), filename="名录.csv")
    assert record.succeeded, record.problems
    assert record.created_count == 50
    assert Certificate.objects.get(number=rows300[0][4]).issued_on == rows300[0][5]


def test_columns_in_another_order_and_optional_columns_missing(rows300):
    from loaders.registry.columns import HEADERS, REQUIRED

    keep = [i for i, h in enumerate(HEADERS) if h in REQUIRED][::-1]
    rows = [[r[i] for i in keep] for r in rows300[:20]]
    record = run_import(xlsx_bytes(rows, headers=[HEADERS[i] for i in keep]))
    assert record.succeeded, record.problems
    cert = Certificate.objects.get(number=rows300[0][4])
    assert cert.issuing_authority == rows300[0][7]  # derived from the number
    assert Institution.objects.get(uscc=rows300[0][1]).nature == "other"


def test_management_commands(ref, tmp_path, capsys):
    path = tmp_path / "registry.xlsx"
    call_command("generate_registry", "--count", "120", "--out", str(path), "--seed", "5")
    call_command("import_registry", str(path))
    assert Institution.objects.count() == 120
    assert "120 institutions created" in capsys.readouterr().out
    record = RegistryImport.objects.get()
    assert record.uploaded_by is None and record.succeeded


def test_import_of_an_uploaded_file_object_with_a_user(rows300, admin_user):
    record = registry_import(file=io.BytesIO(xlsx_bytes(rows300[:3])), filename="a.xlsx",
                             user=admin_user)
    assert record.succeeded and record.uploaded_by == admin_user
    assert Institution.history.filter(history_user=admin_user).count() == 3


def test_lenient_cells_dates_as_text_numbers_and_marked_headers(rows300):
    from loaders.registry.columns import HEADERS

    headers = [h + "*" if h == "机构名称" else h for h in HEADERS]
    row = list(rows300[0])
    issued = row[5]
    row[5] = f"{issued.year}/{issued.month}/{issued.day}"  # 2023/1/5
    row[6] = f"{row[6].isoformat()} 00:00:00"
    row[2] = int(row[2])  # region code typed as a number
    row[8] = "否" if row[8] == "否" else "是"
    record = run_import(xlsx_bytes([row], headers=headers))
    assert record.succeeded, record.problems
    cert = Certificate.objects.get(number=row[4])
    assert cert.issued_on == issued and cert.valid_until == rows300[0][6]

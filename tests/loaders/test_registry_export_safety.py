"""Formula injection in the registry export (OWASP "CSV Injection"): text that a spreadsheet
would run is written with a leading quote, in the CSV and the XLSX of the admin export; dates
stay dates; and the exported sheet reads back without the quotes (or refused where the stored
text itself looks like a formula)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from import_export.formats import base_formats
from openpyxl import load_workbook

from common.spreadsheets import formula_like, formula_neutralise, formula_quote_strip
from institutions.models import Institution
from loaders.registry.columns import HEADERS
from loaders.registry.problems import Problems
from loaders.registry.reader import registry_rows_open
from loaders.registry.resources import InstitutionResource
from loaders.registry.validation import registry_plan_build
from tests.factories import CertificateFactory, InstitutionFactory

pytestmark = pytest.mark.django_db
EXPORT = "admin:institutions_institution_export"
FIELDS = ("name", "uscc", "region", "testing_fields", "certificate_number", "issued_on",
          "valid_until", "issuing_authority", "national_centre", "nature", "contact_person",
          "contact_phone", "address", "credit_class", "cnas", "permit_mode")
NAME = '=HYPERLINK("http://x")'


def test_the_rule():
    for text in ("=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"):
        assert formula_like(text) and formula_neutralise(text) == "'" + text
        assert formula_quote_strip(formula_neutralise(text)) == text
    for value in ("广州检测", "'quoted", "", "1-2", -1, 3.5, dt.date(2023, 1, 5), None, True):
        assert formula_neutralise(value) == value
    assert formula_quote_strip("'abc") == "'abc"


@pytest.fixture
def hostile(ref):
    inst = InstitutionFactory(name=NAME, contact_person="@SUM(1+1)", contact_phone="+86 20 1234",
                              address="-2+3 天河区")
    CertificateFactory(institution=inst, issuing_authority="=cmd|' /C calc'!A0")
    return inst


def _export(client, fmt: str) -> bytes:
    response = client.post(reverse(EXPORT), {
        "format": fmt, "resource": "0", **{f"institutionresource_{f}": "on" for f in FIELDS}})
    assert response.status_code == 200, response.content[:500]
    return response.content


def test_admin_csv_export_quotes_formula_text(client_as, admin_user, hostile):
    rows = list(csv.reader(io.StringIO(_export(client_as(admin_user), "1").decode("utf-8-sig"))))
    assert rows[0] == list(HEADERS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["机构名称"] == "'" + NAME
    assert row["联系人"] == "'@SUM(1+1)"
    assert row["联系电话"] == "'+86 20 1234"
    assert row["地址"] == "'-2+3 天河区"
    assert row["发证机关"] == "'=cmd|' /C calc'!A0"
    assert row["统一社会信用代码"] == hostile.uscc  # everything else as it was
    risky = [c for r in rows[1:] for c in r if formula_like(c)]
    assert risky == []


def test_admin_xlsx_export_has_no_formula_and_keeps_dates(client_as, admin_user, hostile):
    data = _export(client_as(admin_user), "0")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert cells["机构名称"].value == "'" + NAME and cells["机构名称"].data_type == "s"
    assert cells["发证机关"].value.startswith("'=")
    assert cells["发证日期"].is_date  # dates stay dates
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_the_resource_directly(hostile):
    dataset = InstitutionResource().export(Institution.objects.all())
    csv_text = base_formats.CSV().export_data(dataset)
    quoted = '"\'' + NAME.replace('"', '""') + '"'  # RFC 4180 quoting of 'NAME
    assert quoted in csv_text
    xlsx = load_workbook(io.BytesIO(base_formats.XLSX().export_data(dataset))).worksheets[0]
    assert xlsx["A2"].value == "'" + NAME and xlsx["A2"].data_type == "s"


def test_the_exported_sheet_reads_back(client_as, admin_user, ref):
    inst = InstitutionFactory(contact_phone="+86 20 1234 5678")
    CertificateFactory(institution=inst)
    data = _export(client_as(admin_user), "0")
    problems = Problems()
    with registry_rows_open(file=io.BytesIO(data), filename="export.xlsx") as rows:
        plan = registry_plan_build(rows=rows, problems=problems, prefix="")
    assert problems.as_list() == []
    [row] = plan.rows
    assert row.phone == "+86 20 1234 5678" and row.name == inst.name  # the quote is dropped


def test_an_exported_formula_name_is_refused_on_import(client_as, admin_user, hostile):
    data = _export(client_as(admin_user), "1")
    problems = Problems()
    with registry_rows_open(file=io.BytesIO(data), filename="export.csv") as rows:
        registry_plan_build(rows=rows, problems=problems, prefix="")
    found = {(p["row"], p["column"]) for p in problems.as_list()}
    assert found == {(2, "机构名称"), (2, "联系人"), (2, "地址"), (2, "发证机关")}

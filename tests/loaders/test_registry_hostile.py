"""Hostile registry files through the real admin upload: each is refused with a named problem,
answers 302 to its report, writes nothing, and is refused fast and in bounded memory.

Guard rails, not benchmarks: each upload must be answered within 10 s, and the bombs within
200 MB of Python allocations (``tracemalloc`` around the request, so around the service).
Run with ``-s`` to see the measured times and peaks (lines ``MEASURE …``).
"""

from __future__ import annotations

import csv
import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import Workbook

from institutions.models import Institution, RegistryImport, RegistryImportStatus
from loaders.registry.columns import HEADERS
from loaders.registry.limits import size_text
from qualifications.models import Certificate

from .hostile import SHEET_TAIL, Formula, MiB, sheet_head, strings_xml, workbook_build

pytestmark = pytest.mark.django_db
URL = "admin:institutions_institution_import_registry"
SECONDS = 10
PEAK_MB = 200


def _upload(client, data: bytes, name: str, *, label: str, bomb: bool = False):
    """POST ``data`` as ``name``; returns (response, record). Asserts the guard rails."""
    upload = SimpleUploadedFile(name, data)
    assert client.get(reverse(URL)).status_code == 200  # warm: URLs, templates, catalogues
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        response = client.post(reverse(URL), {"file": upload})
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    print(f"MEASURE {label}: {len(data) / 1e6:.2f} MB file, {seconds:.2f} s, "
          f"peak {peak:.1f} MB")
    assert seconds < SECONDS, (label, seconds)
    if bomb:
        assert peak < PEAK_MB, (label, peak)
    record = RegistryImport.objects.order_by("-pk").first()
    return response, record


def _refused(client, response, record) -> list[dict]:
    """The upload answered 302 to its report, which shows every kept problem; nothing was
    written. Returns the problems."""
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(URL)}?record={record.pk}"
    assert record.status == RegistryImportStatus.REJECTED and record.problems
    assert Institution.objects.count() == 0 and Certificate.objects.count() == 0
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="registry-status rejected"' in body
    for p in record.problems:
        assert escape(p["message"]) in body
    return record.problems


def _only(problems, row=None, column=None) -> str:
    [problem] = problems
    assert (problem["row"], problem["column"]) == (row, column), problem
    return problem["message"]


def _zh(function, *args):
    """``function(*args)`` in the admin's language (the request's: zh-hans)."""
    with translation.override("zh-hans"):
        return function(*args)


def _zh_message(msgid: str, **params) -> str:
    return _zh(lambda: translation.gettext(msgid) % params)


# -- the hostile files of the security review ------------------------------------------------

def test_zip_bomb(client_as, admin_user):
    """A 1.7 MB workbook whose worksheet expands to 600 MB: 11.5 million rows."""
    rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000  # 1 MB
    data = workbook_build(sheet=[(sheet_head(), 1), (rows, 575), (SHEET_TAIL, 1)])
    assert len(data) < 2 * MiB
    client = client_as(admin_user)
    response, record = _upload(client, data, "registry.xlsx", label="zip bomb", bomb=True)
    message = _only(_refused(client, response, record))
    assert "解压后为" in message and _zh(size_text, 200 * MiB) in message


def test_one_gib_shared_string(client_as, admin_user):
    """A 1 MB workbook whose shared-strings table holds one string of 1 GiB."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats'
            b'.org/spreadsheetml/2006/main"><si><t>')
    strings = [(head, 1), (b"a" * MiB, 1024), (b"</t></si></sst>", 1)]
    data = workbook_build(strings=strings)
    assert len(data) < 2 * MiB
    client = client_as(admin_user)
    response, record = _upload(client, data, "registry.xlsx", label="1 GiB shared string",
                               bomb=True)
    message = _only(_refused(client, response, record))
    assert "解压后为" in message and _zh(size_text, 1024 * MiB + 100) in message


def test_nul_byte_in_a_workbook_cell(client_as, admin_user, rows300):
    """Excel's escape ``_x0000_`` in a shared string is a NUL in the cell."""
    rows = [list(r) for r in rows300[:3]]
    rows[1][0] = "广州_x0000_检测"
    client = client_as(admin_user)
    response, record = _upload(client, workbook_build(rows), "registry.xlsx", label="NUL xlsx")
    message = _only(_refused(client, response, record), 3, "机构名称")
    assert "控制字符（U+0000）" in message


def test_nul_byte_in_a_csv_cell(client_as, admin_user, rows300):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    for i, row in enumerate(rows300[:3]):
        row = [c.isoformat() if hasattr(c, "isoformat") else c for c in row]
        if i == 2:
            row[HEADERS.index("地址")] = "广州市\x00天河区"
        writer.writerow(row)
    client = client_as(admin_user)
    response, record = _upload(client, buf.getvalue().encode(), "registry.csv", label="NUL csv")
    message = _only(_refused(client, response, record), 4, "地址")
    assert "控制字符（U+0000）" in message


def test_pdf_renamed_xlsx(client_as, admin_user):
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 50
    client = client_as(admin_user)
    response, record = _upload(client, data, "registry.xlsx", label="PDF renamed .xlsx")
    assert _only(_refused(client, response, record)) == _zh_message(
        "The file is named %(name)s but is not an Excel workbook (.xlsx).", name="registry.xlsx")


def test_garbage_with_a_zip_signature(client_as, admin_user):
    data = b"PK\x03\x04" + bytes(range(256)) * 40
    client = client_as(admin_user)
    response, record = _upload(client, data, "registry.xlsx", label="zip signature, garbage")
    assert _only(_refused(client, response, record)) == _zh_message(
        "The file is named %(name)s but is not an Excel workbook (.xlsx).", name="registry.xlsx")


def test_oversized_file(client_as, admin_user, rows300, settings):
    settings.REGISTRY_UPLOAD_MAX_BYTES = 20_000
    data = workbook_build(rows300)
    assert len(data) > 20_000
    client = client_as(admin_user)
    response, record = _upload(client, data, "registry.xlsx", label="oversized")
    message = _only(_refused(client, response, record))
    assert _zh(size_text, len(data)) in message and _zh(size_text, 20_000) in message


def test_formula_cells(client_as, admin_user, rows300):
    """A formula cell (as Excel and openpyxl write it) and text that a spreadsheet would run."""
    rows = [list(r) for r in rows300[:4]]
    col = HEADERS.index
    rows[0][col("机构名称")] = Formula('HYPERLINK("http://x","点击")', cached="点击")
    rows[1][col("联系人")] = "@SUM(1+1)*cmd|' /C calc'!A0"
    rows[2][col("地址")] = "  =1+1"
    rows[3][col("联系电话")] = "+86 20 1234 5678"  # an international number: allowed
    rows[3][col("机构名称")] = "-2+3"
    client = client_as(admin_user)
    response, record = _upload(client, workbook_build(rows), "registry.xlsx", label="formulas")
    problems = {(p["row"], p["column"]): p["message"] for p in _refused(client, response,
                                                                         record)}
    assert set(problems) == {(2, "机构名称"), (3, "联系人"), (4, "地址"), (5, "机构名称")}
    assert "该单元格是公式" in problems[2, "机构名称"]
    assert "以“@”开头，看起来像公式" in problems[3, "联系人"]
    assert "以“=”开头，看起来像公式" in problems[4, "地址"]
    assert "以“-”开头，看起来像公式" in problems[5, "机构名称"]


def test_formula_written_by_openpyxl(client_as, admin_user, rows300):
    """openpyxl stores any text starting with "=" as a formula without a cached value."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("机构名录")
    ws.append(list(HEADERS))
    row = list(rows300[0])
    row[0] = '=HYPERLINK("http://x")'
    ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    client = client_as(admin_user)
    response, record = _upload(client, buf.getvalue(), "registry.xlsx",
                               label="openpyxl formula")
    assert "该单元格是公式" in _only(_refused(client, response, record), 2, "机构名称")


def test_formula_text_in_csv(client_as, admin_user, rows300):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    row = [c.isoformat() if hasattr(c, "isoformat") else c for c in rows300[0]]
    row[0] = '=HYPERLINK("http://x")'
    writer.writerow(row)
    client = client_as(admin_user)
    response, record = _upload(client, buf.getvalue().encode(), "registry.csv",
                               label="formula text csv")
    assert "看起来像公式" in _only(_refused(client, response, record), 2, "机构名称")


def test_many_small_shared_strings_within_the_size_limits(client_as, admin_user, settings):
    """Entries of the shared-strings table are bounded by the rows allowed, not by its size."""
    settings.REGISTRY_UPLOAD_MAX_ROWS = 1000
    strings = [(strings_xml([]).removesuffix(b"</sst>"), 1), (b"<si><t/></si>" * 1000, 60),
               (b"</sst>", 1)]
    client = client_as(admin_user)
    response, record = _upload(client, workbook_build(strings=strings), "registry.xlsx",
                               label="60,000 shared strings", bomb=True)
    assert "共享字符串表超过" in _only(_refused(client, response, record))


def test_a_good_file_with_international_phones_still_imports(client_as, admin_user, rows300):
    rows = [list(r) for r in rows300[:3]]
    rows[0][HEADERS.index("联系电话")] = "+86 20 1234 5678"
    rows[1][HEADERS.index("联系电话")] = "'+86 755 8888 0000"  # as the export writes it
    client = client_as(admin_user)
    response, record = _upload(client, workbook_build(rows), "registry.xlsx", label="good file")
    assert response.status_code == 302 and record.succeeded, record.problems
    phones = set(Institution.objects.values_list("contact_phone", flat=True))
    assert {"+86 20 1234 5678", "+86 755 8888 0000"} <= phones

"""The bounds of a registry upload (``loaders.registry.limits``) one by one, what the guarded
reader reads, and the cell rules: control characters, length, formulas, the phone exception.

Files within the bounds are checked through the reader and the validation (nothing is
written); refused ones through the service, which must write nothing and not raise.
"""

from __future__ import annotations

import base64
import io
import os
import struct
import time
import tracemalloc
import unicodedata

import pytest
from openpyxl import load_workbook

from institutions.models import Institution
from loaders.registry.columns import HEADERS
from loaders.registry.problems import UNSAFE_CHARACTERS, Problems
from loaders.registry.reader import RegistryFileError, registry_rows_open
from loaders.registry.validation import registry_plan_build
from loaders.registry.xlsx import ooxml_unescape

from .conftest import run_import, xlsx_bytes
from .hostile import (
    MAIN,
    SHEET_TAIL,
    Formula,
    MiB,
    Raw,
    sheet_head,
    sheet_xml,
    strings_xml,
    workbook_build,
)

pytestmark = pytest.mark.django_db
col = HEADERS.index


def _rows(data: bytes, filename: str = "registry.xlsx") -> list[tuple]:
    with registry_rows_open(file=io.BytesIO(data), filename=filename) as rows:
        return list(rows)


def _plan(data: bytes, filename: str = "registry.xlsx"):
    problems = Problems()
    with registry_rows_open(file=io.BytesIO(data), filename=filename) as rows:
        plan = registry_plan_build(rows=rows, problems=problems, prefix="")
    return plan, problems.as_list()


def _file_problem(data: bytes, filename: str = "registry.xlsx", *, seconds: float = 10,
                  peak_mb: float = 200) -> str:
    """The service refuses ``data`` with one whole-file problem, in bounded time and memory."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        record = run_import(data, filename)
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    assert elapsed < seconds and peak < peak_mb, (elapsed, peak)
    assert not record.succeeded and Institution.objects.count() == 0
    messages = [p["message"] for p in record.problems if p["row"] is None]
    assert len(messages) == 1, record.problems
    return messages[0]


def _edited(rows, index: int, column: str, value) -> list[list]:
    rows = [list(r) for r in rows]
    rows[index][col(column)] = value
    return rows


# -- the guarded reader reads what openpyxl reads -------------------------------------------

@pytest.mark.parametrize("shared", [True, False])
def test_the_guarded_reader_reads_what_openpyxl_reads(rows300, shared):
    data = workbook_build(rows300, shared=shared)
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    assert [cells for _, cells in _rows(data)] == list(sheet.iter_rows(values_only=True))


def test_openpyxl_written_workbooks_still_import(rows300):
    plan, problems = _plan(xlsx_bytes(rows300[:50]))
    assert problems == [] and len(plan.rows) == 50


def test_text_is_unescaped_as_excel_reads_it():
    assert ooxml_unescape("第一行_x000D_\n第二行") == "第一行\r\n第二行"
    assert ooxml_unescape("_x005F_x0000_") == "_x0000_"  # an escaped underscore: literal text
    assert ooxml_unescape("_xD83D__xDE00_") == "\U0001F600"
    assert ooxml_unescape("a_xD800_b") == "a\ud800b"


# -- the cell rules -------------------------------------------------------------------------

def test_unsafe_characters_are_category_cc_but_tab_lf_cr_and_the_surrogates():
    cc = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"}
    surrogates = {chr(c) for c in range(0xD800, 0xE000)}
    unsafe = {chr(c) for c in range(0x110000) if UNSAFE_CHARACTERS.match(chr(c))}
    assert unsafe == (cc - {"\t", "\n", "\r"}) | surrogates


def test_control_characters_are_named_with_row_and_column(rows300):
    rows = _edited(rows300[:4], 0, "联系人", "张\x85三")  # NEL: allowed in XML, category Cc
    rows = _edited(rows, 1, "地址", "天河区\x7f")
    rows = _edited(rows, 2, "地址", "天河区_x0007_")  # BEL through Excel's escape
    rows = _edited(rows, 3, "机构名称", "检测_xD800_中心")  # a lone surrogate
    rows[0].append("忽略_x0000_")  # beyond the last header: not read
    _plan_none, problems = _plan(workbook_build(rows, shared=False))
    found = {(p["row"], p["column"]): p["message"] for p in problems}
    assert found == {
        (2, "联系人"): "The value contains a control character (U+0085), which a registry cell "
                     "may not hold.",
        (3, "地址"): "The value contains a control character (U+007F), which a registry cell "
                    "may not hold.",
        (4, "地址"): "The value contains a control character (U+0007), which a registry cell "
                    "may not hold.",
        (5, "机构名称"): "The value contains an invalid character (U+D800)."}


def test_tab_lf_cr_inside_text_are_fine(rows300):
    rows = _edited(rows300[:1], 0, "地址", "广州市\t天河区_x000D_\n体育西路")
    plan, problems = _plan(workbook_build(rows))
    assert problems == [] and plan.rows[0].address == "广州市\t天河区\r\n体育西路"


def test_a_cell_over_the_length_limit(rows300, settings):
    rows = _edited(rows300[:2], 1, "地址", "广" * 2001)
    _plan_none, problems = _plan(workbook_build(rows))
    assert problems == [{"row": 3, "column": "地址", "message":
                         "The cell holds 2,001 characters; a registry cell holds at most 2,000."}]
    settings.REGISTRY_UPLOAD_MAX_CELL_CHARS = 300
    _plan_none, problems = _plan(workbook_build(_edited(rows300[:1], 0, "检验检测领域", "食" * 301)))
    assert [(p["row"], p["column"]) for p in problems] == [(2, "检验检测领域")]


def test_formula_triggers_and_the_phone_exception(rows300):
    rows = _edited(rows300[:6], 0, "联系电话", "+86 20 1234 5678")
    rows = _edited(rows, 1, "联系电话", "'+86 20 8888 0000")  # as the export writes it
    rows = _edited(rows, 2, "机构名称", "'t 实验室")  # a quote not before a trigger: text
    rows = _edited(rows, 3, "联系电话", "+86-20-1234")
    rows = _edited(rows, 4, "联系人", "+86 20 1234")  # the exception is the phone column's
    rows = _edited(rows, 5, "地址", "'=HYPERLINK(\"http://x\")")  # quoted formula: still one
    _plan_none, problems = _plan(workbook_build(rows))
    assert {(p["row"], p["column"]) for p in problems} == {
        (5, "联系电话"), (6, "联系人"), (7, "地址")}
    plan, problems = _plan(workbook_build(rows[:3]))
    assert problems == []
    assert [r.phone for r in plan.rows[:2]] == ["+86 20 1234 5678", "+86 20 8888 0000"]
    assert plan.rows[2].name == "'t 实验室"


def test_numbers_and_dates_are_not_formula_text(rows300):
    rows = _edited(rows300[:1], 0, "所在地区代码", -440103)  # a negative number cell
    _plan_none, problems = _plan(workbook_build(rows))
    assert [(p["column"], "6 digits" in p["message"]) for p in problems] == [("所在地区代码", True)]


def test_header_cells_are_checked_too(rows300):
    headers = list(HEADERS)
    headers[1] = "统一社会_x0000_信用代码"
    _plan_none, problems = _plan(workbook_build(rows300[:1], headers=headers, shared=False))
    assert problems == [{"row": 1, "column": None, "message":
                         "Column B of the header row: The value contains a control character "
                         "(U+0000), which a registry cell may not hold."}]


def test_a_formula_anywhere_in_a_cell_of_a_known_column(rows300):
    rows = _edited(rows300[:2], 1, "发证日期", Formula("DATE(2023,1,5)", cached=44931))
    rows[0].append(Formula("1+1", cached=2))  # beyond the headers: not read
    _plan_none, problems = _plan(workbook_build(rows))
    assert [(p["row"], p["column"]) for p in problems] == [(3, "发证日期")]


# -- workbook bounds -----------------------------------------------------------------------

def test_too_many_members(settings, ref):
    settings.REGISTRY_UPLOAD_MAX_MEMBERS = 5
    assert "more than 5 parts" in _file_problem(workbook_build())


def test_a_member_that_expands_more_than_the_ratio(ref):
    row = b"<row/>" * (MiB // 6)
    message = _file_problem(workbook_build(sheet=[(sheet_head(), 1), (row, 50), (SHEET_TAIL, 1)]))
    assert "xl/worksheets/sheet1.xml expands" in message and "at most 100 times" in message


def test_a_row_of_more_xml_than_the_bound(ref):
    cells = b"<c/>" * (160 * 1024)  # 640 KiB in one row, under 1 MiB: no ratio check
    sheet = [(sheet_head(), 1), (b'<row r="2">', 1), (cells, 1), (b"</row>" + SHEET_TAIL, 1)]
    message = _file_problem(workbook_build(sheet=sheet), peak_mb=100)
    assert "holds more than 512.0\xa0KB of XML in one row or one text" in message


def test_more_cells_than_the_rows_allow(settings, rows300):
    settings.REGISTRY_UPLOAD_MAX_ROWS = 10  # 11 × 32 = 352 cells
    rows = [[*r, *([Raw("<c/>")] * 200)] for r in rows300[:2]]
    assert "more than 352 cells" in _file_problem(workbook_build(rows))


def test_more_row_elements_than_the_rows_allow(settings, ref):
    settings.REGISTRY_UPLOAD_MAX_ROWS = 10
    rows = b"".join(b'<row r="%d" ht="20" customHeight="1"/>' % n for n in range(2, 30))
    message = _file_problem(workbook_build(sheet=[(sheet_head(), 1), (rows, 1), (SHEET_TAIL, 1)]))
    assert "more than 22 rows, empty formatted rows included" in message


def test_data_rows_beyond_the_limit(settings, rows300):
    settings.REGISTRY_UPLOAD_MAX_ROWS = 3
    assert "data below row 4" in _file_problem(workbook_build(rows300[:4]))
    plan, problems = _plan(workbook_build([*rows300[:3], [None] * 16, [None] * 16]))
    assert problems == [] and plan.row_count == 3  # blank rows below the limit: formatting


def test_a_row_number_a_billion_rows_down(rows300):
    far = b'<row r="1000000000"><c r="A1000000000" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = sheet_xml([HEADERS, rows300[0]], strings=None).removesuffix(SHEET_TAIL)
    message = _file_problem(workbook_build(sheet=[(sheet, 1), (far, 1), (SHEET_TAIL, 1)]))
    assert "data below row 100,001" in message


def test_a_header_beyond_the_column_limit(rows300):
    headers = [*HEADERS, *([None] * 240), "备注"]  # column 257: IW
    message = _file_problem(workbook_build(rows300[:1], headers=headers))
    assert "reaches column IW" in message and "at most 256 columns" in message


def test_a_dtd_is_refused(rows300):
    sheet = sheet_xml([HEADERS, rows300[0]], strings=None).replace(
        b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1)
    assert "declares a DTD" in _file_problem(workbook_build(sheet=sheet))


def test_a_utf16_part_is_refused(rows300):
    sheet = sheet_xml([HEADERS, rows300[0]], strings=None).decode().replace(
        'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert "is not UTF-8 XML" in _file_problem(workbook_build(sheet=sheet))


def test_a_part_openpyxl_reads_whole_is_bounded(rows300):
    noise = base64.b64encode(os.urandom(4 * MiB))  # 5.3 MiB that does not compress
    styles = (b'<?xml version="1.0"?><styleSheet xmlns="' + MAIN.encode() + b'"><!-- '
              + noise + b" --></styleSheet>")
    message = _file_problem(workbook_build(rows300[:1], extra={"xl/styles.xml": styles}))
    assert "xl/styles.xml is larger than 4.0\xa0MB" in message


def test_many_formulas_are_refused_as_one_problem(rows300):
    rows = [[Formula("1+1", cached=2)] * 16 for _ in range(63)]  # 1,008 formulas
    assert "holds formulas (more than 1000" in _file_problem(workbook_build(rows))


def test_a_formula_in_a_cell_without_reference(rows300):
    rows = [[Raw("<c><f>1+1</f><v>2</v></c>")]]
    assert "in cells without a reference" in _file_problem(workbook_build(rows))


def test_shared_strings(settings, rows300):
    rows = _edited(rows300[:1], 0, "机构名称", "测" * 5000)
    _plan_none, problems = _plan(workbook_build(rows))
    assert [(p["row"], p["column"]) for p in problems] == [(2, "机构名称")]
    assert "5,000 characters" in problems[0]["message"]
    rows = _edited(rows300[:1], 0, "机构名称", "测" * 200_000)  # 600 KB of XML in one entry
    assert "sharedStrings.xml holds more than 512.0\xa0KB" in _file_problem(workbook_build(rows))
    settings.REGISTRY_UPLOAD_MAX_ROWS = 1  # 64 entries at most
    strings = strings_xml([f"s{i}" for i in range(65)])
    assert "more than 64 entries" in _file_problem(workbook_build(strings=strings))


# -- broken files never end in a server error ------------------------------------------------

def _method_replaced(data: bytes, name: bytes, method: int) -> bytes:
    """``data`` with the compression method of member ``name`` set to ``method``."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = 0
        while (at := out.find(signature, at)) != -1:
            header = 30 if signature == b"PK\x03\x04" else 46
            length = struct.unpack_from("<H", out, at + (26 if header == 30 else 28))[0]
            if bytes(out[at + header:at + header + length]) == name:
                struct.pack_into("<H", out, at + offset, method)
            at += 4
    return bytes(out)


@pytest.mark.parametrize("damage", ["truncated", "method", "bad xml", "string index"])
def test_damaged_workbooks(rows300, damage):
    good = workbook_build(rows300[:3])
    data = {
        "truncated": good[:len(good) // 2],
        "method": _method_replaced(good, b"xl/worksheets/sheet1.xml", 99),
        "bad xml": workbook_build(sheet=sheet_head() + b"<row><c></row>"),
        "string index": workbook_build([[Raw('<c r="A2" t="s"><v>999</v></c>')]]),
    }[damage]
    message = _file_problem(data)
    assert "damaged" in message or "not an Excel workbook" in message or "readable" in message


# -- CSV ------------------------------------------------------------------------------------

def _csv(rows, headers=HEADERS) -> bytes:
    from .conftest import csv_bytes

    return csv_bytes(rows, headers=headers, encoding="utf-8")


def test_csv_invalid_utf8_names_the_line(rows300):
    data = _csv(rows300[:3])
    lines = data.split(b"\n")
    lines[2] = "中".encode("gbk") + lines[2]
    message = _file_problem(b"\n".join(lines), "registry.csv")
    assert "not UTF-8" in message and "on line 3" in message


def test_csv_bounds(settings, rows300):
    settings.REGISTRY_UPLOAD_MAX_ROWS = 2
    assert "data below row 3" in _file_problem(_csv(rows300[:3]), "registry.csv")
    wide = _csv([[*r, *([""] * 300), "x"] for r in rows300[:1]],
                headers=[*HEADERS, *([""] * 300), "备注"])
    assert "reaches column" in _file_problem(wide, "registry.csv")
    settings.REGISTRY_UPLOAD_MAX_BYTES = 1000
    data = _csv(rows300[:5])
    assert len(data) > 1000 and "may be at most" in _file_problem(data, "registry.csv")


def test_csv_cell_rules(rows300):
    rows = _edited(rows300[:3], 0, "联系电话", "+86 20 1234 5678")
    rows = _edited(rows, 1, "地址", "广州\x1b[31m")
    rows = _edited(rows, 2, "联系人", "-1+1")
    _plan_none, problems = _plan(_csv(rows), "registry.csv")
    assert {(p["row"], p["column"]) for p in problems} == {(3, "地址"), (4, "联系人")}


def test_problem_text_is_always_storable():
    problems = Problems()
    problems.add(1, "列\x00", "值 “\x00\ud800”")
    assert problems.as_list() == [{"row": 1, "column": "列\ufffd", "message": "值 “\ufffd\ufffd”"}]


def test_settings_defaults():
    from django.conf import settings

    assert (settings.REGISTRY_UPLOAD_MAX_BYTES, settings.REGISTRY_UPLOAD_MAX_UNCOMPRESSED_BYTES,
            settings.REGISTRY_UPLOAD_MAX_COMPRESSION_RATIO, settings.REGISTRY_UPLOAD_MAX_MEMBERS,
            settings.REGISTRY_UPLOAD_MAX_ROWS, settings.REGISTRY_UPLOAD_MAX_CELL_CHARS) == (
        20 * MiB, 200 * MiB, 100, 1000, 100_000, 2000)


def test_the_reader_raises_only_registry_file_errors(rows300):
    with pytest.raises(RegistryFileError):
        _rows(b"PK\x03\x04 not really")

"""The calamine reading of registry workbooks (``loaders.registry.fast_xlsx``): used for plain
workbooks, giving exactly the rows openpyxl's reading gives; openpyxl's reading for anything
the two might read differently, or a range calamine would hold too large."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from loaders.registry import fast_xlsx, limits
from loaders.registry.reader import registry_rows_open
from loaders.registry.xlsx import workbook_open

from .conftest import xlsx_bytes
from .hostile import SHEET_TAIL, Formula, Raw, sheet_head, workbook_build

pytestmark = pytest.mark.django_db
BOUNDS = limits.UploadLimits(max_bytes=20 << 20, max_uncompressed=200 << 20, max_ratio=100,
                             max_members=1000, max_rows=100_000, max_cell_chars=2000)


def _calamine(data: bytes):
    """The calamine rows of ``data``, or ``None`` when openpyxl's reading is chosen."""
    file = io.BytesIO(data)
    archive = workbook_open(file, filename="registry.xlsx", limits=BOUNDS)
    try:
        found = fast_xlsx.calamine_rows(file, archive, BOUNDS)
    finally:
        archive.close()
    if found is None:
        return None
    rows, closer = found
    try:
        return list(rows)
    finally:
        closer.close()


def _openpyxl(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def _same(calamine_rows, openpyxl_rows) -> bool:
    """Equal row by row, each cut to its last non-empty cell (openpyxl gives rows as long as
    their last cell; calamine as wide as the sheet; the reader cuts both to the header)."""
    def cut(cells):
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        return cells

    return [cut(c) for _, c in calamine_rows] == [cut(c) for c in openpyxl_rows]


@pytest.mark.parametrize("shared", [True, False])
def test_plain_workbooks_are_read_by_calamine_as_openpyxl_reads_them(rows300, shared):
    rows = [list(r) for r in rows300[:40]]
    rows[0][10] = None  # an empty cell
    rows[1][11] = 13800138000  # a whole number
    rows[2][11] = 2.5
    rows[3][5] = dt.date(2020, 2, 29)
    rows[4][14] = True
    data = workbook_build(rows, shared=shared)
    read = _calamine(data)
    assert read is not None
    assert [n for n, _ in read] == list(range(1, 42))
    assert _same(read, _openpyxl(data))


def test_an_openpyxl_written_workbook_too(rows300):
    data = xlsx_bytes(rows300[:20])
    read = _calamine(data)
    assert read is not None and _same(read, _openpyxl(data))


def test_a_sheet_not_starting_at_a1_keeps_its_row_and_column_numbers():
    data = workbook_build(headers=[], sheet=sheet_head([])
                          + b'<row r="3"><c r="C3" t="inlineStr"><is><t>q</t></is></c></row>'
                          + SHEET_TAIL)
    read = _calamine(data)
    assert read is not None
    assert [(n, c) for n, c in read if any(c)] == [(3, (None, None, "q"))]
    assert [n for n, _ in read][:3] == [1, 2, 3]


@pytest.mark.parametrize("case", ["formula", "escape", "phonetic", "far column", "far row",
                                  "dense"])
def test_what_calamine_might_read_otherwise_goes_to_openpyxl(rows300, case):
    rows = [list(r) for r in rows300[:3]]
    if case == "formula":
        rows[0][11] = Formula("1+1", cached=2)
    elif case == "escape":
        rows[0][12] = "天河区_x0007_"
    elif case == "phonetic":
        rows[0].append(Raw('<c r="Q2" t="inlineStr"><is><t>检测</t><rPh sb="0" eb="1"><t>ケン'
                           '</t></rPh></is></c>'))
    elif case == "far column":
        rows[0].append(Raw('<c r="IW2" t="inlineStr"><is><t>x</t></is></c>'))
    elif case == "far row":
        rows.append([Raw('<c r="A200000" t="inlineStr"><is><t>x</t></is></c>')])
    else:  # a cell far down and right: a range of 99,000 × 200 cells
        rows.append([Raw('<c r="GR99000" t="inlineStr"><is><t>x</t></is></c>')])
    assert _calamine(workbook_build(rows)) is None


def test_the_reader_gives_the_same_rows_either_way(rows300, monkeypatch):
    data = workbook_build(rows300[:30])
    with registry_rows_open(file=io.BytesIO(data), filename="registry.xlsx") as rows:
        fast = list(rows)
    monkeypatch.setattr("loaders.registry.reader.calamine_rows", lambda *a: None)
    with registry_rows_open(file=io.BytesIO(data), filename="registry.xlsx") as rows:
        slow = list(rows)
    assert fast == slow

"""Bad registry files: the report names row, column and problem, and nothing is written."""

from __future__ import annotations

import pytest

from institutions.models import Institution, RegistryImportStatus
from loaders.registry.columns import HEADERS
from qualifications.models import Certificate

from .conftest import csv_bytes, problems_at, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db


def _rejected(record, institutions_before=0):
    assert record.status == RegistryImportStatus.REJECTED
    assert record.pk is not None and record.problem_count >= 1
    assert Institution.objects.count() == institutions_before
    assert Certificate.objects.count() == institutions_before
    return record


def _edit(rows, index, column, value):
    rows = [list(r) for r in rows]
    rows[index][HEADERS.index(column)] = value
    return rows


def test_unknown_and_missing_columns_are_named(rows300):
    headers = list(HEADERS)
    headers[HEADERS.index("统一社会信用代码")] = "信用代码"
    headers.append("备注")
    rows = [[*r, "x"] for r in rows300[:3]]
    record = _rejected(run_import(xlsx_bytes(rows, headers=headers)))
    assert "Unknown column" in problems_at(record, 1, "信用代码")[0]
    assert "Unknown column" in problems_at(record, 1, "备注")[0]
    assert problems_at(record, 1, "统一社会信用代码") == ["Required column is missing."]
    assert record.problem_count == 3


def test_invalid_uscc(rows300):
    bad = rows300[4][1][:17] + ("0" if rows300[4][1][17] != "0" else "1")
    record = _rejected(run_import(xlsx_bytes(_edit(rows300, 4, "统一社会信用代码", bad))))
    [message] = problems_at(record, 6, "统一社会信用代码")  # data row 5 = sheet row 6
    assert "Invalid unified social credit code" in message and "check character" in message
    assert record.problem_count == 1


def test_invalid_certificate_number(rows300):
    record = _rejected(run_import(xlsx_bytes(_edit(rows300, 0, "资质认定证书编号", "239944010001"))))
    [message] = problems_at(record, 2, "资质认定证书编号")
    assert "Invalid certificate number" in message and "99" in message


def test_unknown_region_code(rows300):
    rows = _edit(rows300, 9, "所在地区代码", "449999")
    rows = _edit(rows, 10, "所在地区代码", "44A")
    record = _rejected(run_import(xlsx_bytes(rows)))
    assert problems_at(record, 11, "所在地区代码") == ["Unknown division code 449999."]
    assert "6 digits" in problems_at(record, 12, "所在地区代码")[0]


def test_duplicate_rows_name_both_rows(rows300):
    rows = list(rows300[:10]) + [rows300[2]]
    record = _rejected(run_import(xlsx_bytes(rows)))
    assert problems_at(record, 12, "统一社会信用代码") == [
        f"Rows 4 and 12 have the same unified social credit code {rows300[2][1]}."]
    assert problems_at(record, 12, "资质认定证书编号") == [
        f"Rows 4 and 12 have the same certificate number {rows300[2][4]}."]


def test_cell_problems_each_named(rows300):
    rows = _edit(rows300, 0, "检验检测领域", "食品检验；火箭检验")
    rows = _edit(rows, 1, "发证日期", "2023年13月")
    rows = _edit(rows, 2, "有效期至", rows300[2][5])  # not after the issue date
    rows = _edit(rows, 3, "是否国家质检中心", "也许")
    rows = _edit(rows, 4, "机构性质", "合伙企业")
    rows = _edit(rows, 5, "信用风险分类", "E")
    rows = _edit(rows, 6, "许可方式", "口头承诺")
    rows = _edit(rows, 7, "机构名称", "  ")
    record = _rejected(run_import(xlsx_bytes(rows)))
    assert problems_at(record, 2, "检验检测领域") == ["Unknown testing field(s): 火箭检验."]
    assert "Not a date" in problems_at(record, 3, "发证日期")[0]
    assert "is not after the issue date" in problems_at(record, 4, "有效期至")[0]
    assert "Expected 是 or 否" in problems_at(record, 5, "是否国家质检中心")[0]
    assert "合伙企业" in problems_at(record, 6, "机构性质")[0]
    assert "E" in problems_at(record, 7, "信用风险分类")[0]
    assert "口头承诺" in problems_at(record, 8, "许可方式")[0]
    assert problems_at(record, 9, "机构名称") == ["A value is required."]
    assert record.problem_count == 8
    assert [p["row"] for p in record.problems] == sorted(p["row"] for p in record.problems)


def test_report_is_capped_but_counts_everything(rows300):
    rows = [_edit([r], 0, "所在地区代码", "000001")[0] for r in rows300]
    record = _rejected(run_import(xlsx_bytes(rows)))
    assert record.problem_count == 300
    assert len(record.problems) == 200
    assert record.problems[0]["row"] == 2 and record.problems[-1]["row"] == 201


def test_one_bad_row_among_good_ones_writes_nothing_even_for_updates(rows300):
    assert run_import(xlsx_bytes(rows300[:10])).succeeded
    rows = _edit(rows300[:20], 15, "所在地区代码", "999999")
    rows = _edit(rows, 0, "机构名称", "改过的名称")
    record = _rejected(run_import(xlsx_bytes(rows)), institutions_before=10)
    assert problems_at(record, 17, "所在地区代码")
    assert Institution.objects.get(uscc=rows300[0][1]).name == rows300[0][0]


def test_certificate_number_of_another_stored_institution(rows300):
    assert run_import(xlsx_bytes(rows300[:1])).succeeded
    rows = _edit(rows300[1:2], 0, "资质认定证书编号", rows300[0][4])
    record = _rejected(run_import(xlsx_bytes(rows)), institutions_before=1)
    [message] = problems_at(record, 2, "资质认定证书编号")
    assert "already registered to another institution" in message and rows300[0][1] in message


def test_not_a_workbook(ref):
    record = _rejected(run_import(b"\x00\x01garbage bytes, not a zip" * 10, "registry.xlsx"))
    assert problems_at(record, None, None) == [
        "The file is named registry.xlsx but is not an Excel workbook (.xlsx)."]
    assert record.problems[0]["row"] is None and record.problems[0]["column"] is None


def test_a_zip_that_is_not_a_workbook(ref):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    record = _rejected(run_import(buf.getvalue(), "registry.xlsx"))
    assert "not a readable Excel workbook" in record.problems[0]["message"]


def test_empty_file_and_header_only(ref):
    assert problems_at(_rejected(run_import(b"", "registry.xlsx"))) == ["The file is empty."]
    record = _rejected(run_import(xlsx_bytes([]), "registry.xlsx"))
    assert problems_at(record) == ["The file has a header row but no data rows."]


def test_gbk_csv_is_refused_with_advice(rows300):
    record = _rejected(run_import(csv_bytes(rows300[:5], encoding="gbk"), "registry.csv"))
    [message] = problems_at(record)
    assert "not UTF-8" in message and "CSV UTF-8" in message and ".xlsx" in message


def test_old_xls_and_unknown_extension(ref):
    record = _rejected(run_import(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls"))
    assert ".xls" in record.problems[0]["message"]
    record = _rejected(run_import(b"name,code\n", "registry.pdf"))
    assert "Unsupported file type .pdf" in record.problems[0]["message"]

"""The statistics workbook neutralises formula text (OWASP "CSV Injection"): names of fields,
plans and authorities come from users; counts stay numbers."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import load_workbook

from inspections.models import SpotCheckPlan
from reports.render import statistics_xlsx
from reports.statistics import StatisticsRow, StatisticsTable

NAME = '=HYPERLINK("http://x","点击")'


def test_statistics_workbook_has_no_formula():
    table = StatisticsTable(plan=SpotCheckPlan(title="=cmd|' /C calc'!A0"), scope="@SUM(1+1)",
                            generated_at=timezone.now())
    table.rows = [StatisticsRow("01", NAME, planned=3, drawn=2),
                  StatisticsRow("02", "-1+2 食品", planned=1)]
    table.total = StatisticsRow("", "+合计", planned=4, drawn=2)
    sheet = load_workbook(io.BytesIO(statistics_xlsx(table))).worksheets[0]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    names = [sheet.cell(row=r, column=2).value for r in (7, 8, 9)]
    assert names == ["'" + NAME, "'-1+2 食品", "'+合计"]
    assert (sheet["C7"].value, sheet["C7"].data_type) == (3, "n")  # counts stay numbers
    meta = [sheet.cell(row=r, column=1).value for r in (2, 3)]
    assert meta[0].endswith("=cmd|' /C calc'!A0") and meta[1].endswith("@SUM(1+1)")
    assert not any(v[:1] in "=+-@" for v in meta)

"""Files of the inspection statistics table: a PDF (WeasyPrint) and an Excel workbook (openpyxl).

Both take a computed :class:`reports.statistics.StatisticsTable` and return the file's bytes;
neither touches the database. Text is translated in the active language (the caller activates
the report's language). The PDF embeds subsets of the Noto CJK fonts (Debian ``fonts-noto-cjk``),
so it reads the same on a machine without Chinese fonts.

Every text cell of the workbook goes through :func:`common.spreadsheets.formula_neutralise`
(OWASP "CSV Injection"): names of plans, authorities and testing fields come from users, and
openpyxl stores a text starting with ``=`` as a formula; counts stay numbers.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from common.spreadsheets import formula_neutralise

from .statistics import OFFICIAL_TITLE, StatisticsTable


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (for ``content:`` in ``@page`` margin boxes)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    escaped = escaped.replace("<", "\\3c ")  # never close the <style> element
    return f'"{escaped}"'


def _page_counter_css() -> str:
    """CSS ``content`` value "Page N of M" with live page counters, translated."""
    marker = "\x00"
    label = _("Page %(page)s of %(pages)s") % {"page": f"{marker}page{marker}",
                                                "pages": f"{marker}pages{marker}"}
    out = []
    for i, part in enumerate(label.split(marker)):
        if i % 2:
            out.append(f"counter({part})")
        elif part:
            out.append(_css_string(part))
    return " ".join(out)


def _generated_at(table: StatisticsTable) -> str:
    return timezone.localtime(table.generated_at).strftime("%Y-%m-%d %H:%M")


def statistics_context(table: StatisticsTable) -> dict:
    """Template context shared by the PDF (and usable by an HTML preview)."""
    plan = table.plan
    return {
        "table": table,
        "plan": plan,
        "official_title": OFFICIAL_TITLE,
        "show_translated_title": not (get_language() or settings.LANGUAGE_CODE).startswith("zh"),
        "headings": table.headings(),
        "rows": [(row, row.values()) for row in table.rows],
        "total": table.total.values(),
        "generated_at": _generated_at(table),
        "page_counter_css": mark_safe(_page_counter_css()),  # escaped by _css_string
        "footer_left_css": mark_safe(_css_string(f"{OFFICIAL_TITLE} · {plan.title}")),
    }


def statistics_pdf(table: StatisticsTable) -> bytes:
    """Render ``table`` as an A4-landscape PDF; returns the PDF bytes.

    Template ``reports/statistics_pdf.html``. Raises whatever WeasyPrint raises (the caller
    records the failure).
    """
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = render_to_string("reports/statistics_pdf.html", statistics_context(table))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


_THIN = Side(style="thin", color="9AA5B1")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
_TOTAL_FILL = PatternFill("solid", fgColor="F5F7FA")


def statistics_xlsx(table: StatisticsTable) -> bytes:
    """Render ``table`` as an .xlsx workbook (one sheet); returns the file bytes.

    Layout: title and metadata in rows 1–4, the header in row 6 (bold, frozen with the field
    column), one row per testing field, then the bold total row. Counts are stored as numbers.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = _("Statistics")[:31]
    headings = [_("No."), _("Testing field"), *table.headings()]
    ncols = len(headings)
    last = get_column_letter(ncols)

    ws["A1"] = formula_neutralise(OFFICIAL_TITLE)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A1:{last}1")
    meta = [
        (_("Plan"), table.plan.title),
        (_("Reporting authority"), table.scope),
        (_("Generated at"), _generated_at(table)),
    ]
    for i, (label, value) in enumerate(meta, start=2):
        ws.cell(row=i, column=1, value=formula_neutralise(f"{label}: {value}"))
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=ncols)

    header_row = 6
    for col, heading in enumerate(headings, start=1):
        cell = ws.cell(row=header_row, column=col, value=formula_neutralise(heading))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[header_row].height = 32

    row_no = header_row
    for number, row in enumerate(table.rows, start=1):
        row_no += 1
        _xlsx_row(ws, row_no, [number, row.field_name, *row.values()], bold=False)
    row_no += 1
    _xlsx_row(ws, row_no, ["", table.total.field_name, *table.total.values()], bold=True)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = max(
        [16] + [min(len(r.field_name) * 2 + 2, 44) for r in table.rows])
    for col in range(3, ncols + 1):
        ws.column_dimensions[get_column_letter(col)].width = 13
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _xlsx_row(ws, row_no: int, values: list, *, bold: bool) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row_no, column=col, value=formula_neutralise(value))
        cell.border = _BORDER
        if bold:
            cell.font = Font(bold=True)
            cell.fill = _TOTAL_FILL
        if col >= 3:
            cell.number_format = "0"
            cell.alignment = Alignment(horizontal="right")

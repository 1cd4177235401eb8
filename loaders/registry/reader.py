"""Reading a registry file as rows of cells: Excel workbooks (.xlsx) and UTF-8 CSV files.

A workbook is read by python-calamine when it may (:mod:`.fast_xlsx`: eight times faster, after
the same guards), else streamed by openpyxl (read-only mode, cached values); CSV line by line.
Both are read within the bounds of :mod:`.limits`:
the file's size is checked before anything is read, a workbook's zip is inspected before
openpyxl reads it and each of its parts is read through a guard (:mod:`.xlsx`); then the header
row may not reach beyond column ``MAX_COLUMNS``, cells beyond the last header are not read, and
the rows stop at ``REGISTRY_UPLOAD_MAX_ROWS`` data rows.

What cannot be read raises :class:`RegistryFileError` with a translatable message: a file over
the size limit, an empty file, a file that is not a workbook although it is named ``.xlsx``
(a PDF or anything else renamed), a workbook beyond a bound or damaged, an old binary ``.xls``
workbook, a CSV file that is not UTF-8 (typically GBK, as Excel on a Chinese Windows saves
"CSV"), too many rows, an unsupported file type. Whatever openpyxl or the zip module raise for a
broken file becomes such an error too: a bad file never ends in a server error.
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from . import limits as L
from .fast_xlsx import calamine_rows
from .problems import RegistryFileError
from .xlsx import sheet_rows, workbook_load, workbook_open

__all__ = ["RegistryFileError", "Row", "registry_rows_open"]

logger = logging.getLogger(__name__)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc …)
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
CSV_EXTENSIONS = frozenset({".csv", ".txt"})

#: A row as read: (spreadsheet row number, header = 1; the cell values of that row).
Row = tuple[int, tuple]


def _not_utf8(line: int) -> RegistryFileError:
    return RegistryFileError(_(
        "The file is not UTF-8 encoded text (it looks like GBK or another legacy encoding). "
        "In Excel choose “Save As” → “CSV UTF-8 (comma delimited)”, or save it as an Excel "
        "workbook (.xlsx), and upload it again.") + " " + _(
        "(The first byte that is not UTF-8 is on line %(line)d.)") % {"line": line})


def _damaged(exc: Exception) -> RegistryFileError:
    logger.info("registry workbook unreadable", exc_info=exc)
    return RegistryFileError(_(
        "The workbook is damaged and could not be read to the end (%(error)s).") % {
        "error": exc.__class__.__name__})


def _header_width(cells: tuple) -> int:
    """Columns up to the last non-empty header cell; refused beyond ``MAX_COLUMNS``."""
    width = len(cells)
    while width and (cells[width - 1] is None
                     or (isinstance(cells[width - 1], str) and not cells[width - 1].strip())):
        width -= 1
    if width > L.MAX_COLUMNS:
        raise RegistryFileError(_(
            "The header row reaches column %(column)s; a registry sheet has at most %(limit)d "
            "columns. Delete the cells to the right of the headers.") % {
            "column": get_column_letter(min(width, 16384)), "limit": L.MAX_COLUMNS})
    return width


def _calamine_guarded(rows: Iterator[Row]) -> Iterator[Row]:
    try:
        yield from rows
    except RegistryFileError:
        raise
    except Exception as exc:  # a failure of calamine's reading is the file's
        raise _damaged(exc) from exc


def _xlsx_rows(file, filename: str, limits: L.UploadLimits) -> tuple[Iterator[Row], object]:
    archive = workbook_open(file, filename=filename, limits=limits)
    try:
        fast = calamine_rows(file, archive, limits)
    except Exception:
        archive.close()
        raise
    if fast is not None:  # python-calamine reads it (fast_xlsx.py); else openpyxl, streaming
        archive.close()
        return _calamine_guarded(fast[0]), fast[1]
    try:
        wb = workbook_load(archive)
        ws = wb.worksheets[0]
    except RegistryFileError:
        archive.close()
        raise
    except Exception as exc:  # openpyxl raises many types for a broken container
        archive.close()
        logger.info("registry workbook not readable", exc_info=exc)
        raise RegistryFileError(_(
            "The file is not a readable Excel workbook (.xlsx): %(error)s") % {
            "error": exc.__class__.__name__}) from exc

    def rows() -> Iterator[Row]:
        try:
            header = list(sheet_rows(ws, min_row=1, max_row=1))
            if not header:
                return
            yield header[0]
            width = _header_width(header[0][1])
            yield from sheet_rows(ws, width=max(width, 1), min_row=2)
        except RegistryFileError:
            raise
        except Exception as exc:  # any failure of a hostile or broken part is the file's
            raise _damaged(exc) from exc

    return rows(), wb


def _csv_lines(file) -> Iterator[str]:
    """Decode the lines of a binary file as UTF-8 (a leading BOM is dropped)."""
    first = True
    for line, raw in enumerate(file, start=1):
        if isinstance(raw, str):  # a file opened in text mode
            text = raw
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _not_utf8(line) from exc
        if first:
            text = text.removeprefix("\ufeff")
            first = False
        yield text


def _csv_rows(file) -> Iterator[Row]:
    reader = csv.reader(_csv_lines(file))
    try:
        for number, values in enumerate(reader, start=1):
            yield number, tuple(values)
    except csv.Error as exc:
        raise RegistryFileError(_("The CSV file is malformed: %(error)s") % {
            "error": str(exc)}) from exc


def _bounded(rows: Iterator[Row], limits: L.UploadLimits) -> Iterator[Row]:
    """``rows`` cut to the header's width, refused beyond ``max_rows`` data rows.

    Blank rows below the last allowed row (formatting, not data) are passed over, up to as many
    again as the limit; any other row beyond it refuses the file.
    """
    first = next(rows, None)
    if first is None:
        return
    width = _header_width(first[1])
    yield first[0], first[1][:width]
    last_data = limits.max_rows + 1  # the header is row 1
    for number, cells in rows:
        if len(cells) > width:
            cells = cells[:width]
        if number > last_data:
            blank = cells.count(None) == len(cells) or all(
                c is None or (isinstance(c, str) and not c.strip()) for c in cells)
            if not blank or number > last_data + limits.max_rows:
                raise RegistryFileError(_(
                    "The sheet has data below row %(row)s: a registry file holds at most "
                    "%(limit)s rows below the header. Split it into several files.") % {
                    "row": f"{last_data:,}", "limit": f"{limits.max_rows:,}"})
            continue
        yield number, cells


def _upload_size(file) -> int | None:
    size = getattr(file, "size", None)  # Django's UploadedFile
    if isinstance(size, int):
        return size
    if hasattr(file, "seek") and hasattr(file, "tell"):
        position = file.tell()
        size = file.seek(0, os.SEEK_END)
        file.seek(position)
        return size
    return None


def _sniff(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(8)
    if hasattr(file, "seek"):
        file.seek(0)
    return head or b""


@contextmanager
def registry_rows_open(*, file, filename: str,
                       limits: L.UploadLimits | None = None) -> Iterator[Iterable[Row]]:
    """Open ``file`` (a binary file-like object, seekable) and yield an iterator of its rows.

    ``filename`` decides the format by its extension (``.xlsx``/``.xlsm`` or ``.csv``/``.txt``);
    the content must agree. Rows are ``(row_number, cells)``, the header row first, each cut to
    the header's width; cells are ``str`` for CSV, for workbooks the cached values (``str``,
    numbers, ``datetime``, ``bool``, ``None``) or :class:`~.xlsx.FormulaCell` for a cell holding
    a formula; only the first worksheet is read. ``limits``: the bounds (default: the
    settings). Raises :class:`RegistryFileError`, also while iterating.
    """
    limits = limits or L.UploadLimits.from_settings()
    size = _upload_size(file)
    if size is not None and size > limits.max_bytes:
        raise RegistryFileError(_(
            "The file is %(size)s; a registry upload may be at most %(limit)s. Split it into "
            "several files and upload them one after the other.") % {
            "size": L.size_text(size), "limit": L.size_text(limits.max_bytes)})
    head = _sniff(file)
    suffix = PurePath(filename or "").suffix.lower()
    if not head:
        raise RegistryFileError(_("The file is empty."))
    if head.startswith(_OLE2_MAGIC):
        raise RegistryFileError(_(
            "This is an old binary Excel file (.xls). Save it as an Excel workbook (.xlsx) or "
            "as CSV UTF-8 and upload it again."))
    if suffix in XLSX_EXTENSIONS or (suffix not in CSV_EXTENSIONS and head.startswith(_ZIP_MAGIC)):
        if not head.startswith(_ZIP_MAGIC):
            raise RegistryFileError(_(
                "The file is named %(name)s but is not an Excel workbook (.xlsx).") % {
                "name": filename})
        rows, wb = _xlsx_rows(file, filename, limits)
        try:
            yield _bounded(rows, limits)
        finally:
            wb.close()
        return
    if suffix in CSV_EXTENSIONS:
        if head.startswith(_ZIP_MAGIC):
            raise RegistryFileError(_(
                "The file is named %(name)s but is a workbook or another zip archive, not CSV "
                "text.") % {"name": filename})
        yield _bounded(_csv_rows(file), limits)
        return
    raise RegistryFileError(_(
        "Unsupported file type %(suffix)s: upload an Excel workbook (.xlsx) or a UTF-8 CSV "
        "file (.csv).") % {"suffix": suffix or _("(no extension)")})

"""Reading a registry file as rows of cells: Excel workbooks (.xlsx) and UTF-8 CSV files.

Both are streamed (openpyxl read-only mode, values only; CSV line by line), so a 60,000-row
sheet is never held as cell objects. What cannot be read raises :class:`RegistryFileError`
with a translatable message: an empty file, a file that is not a workbook although it is named
``.xlsx``, an old binary ``.xls`` workbook, a CSV file that is not UTF-8 (typically GBK, as
Excel on a Chinese Windows saves "CSV"), an unsupported file type.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import PurePath

from django.utils.translation import gettext as _

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc …)
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
CSV_EXTENSIONS = frozenset({".csv", ".txt"})

#: A row as read: (spreadsheet row number, header = 1; the cell values of that row).
Row = tuple[int, tuple]


class RegistryFileError(Exception):
    """The file cannot be read as a registry sheet. ``str(error)`` is a translated message."""


def _not_utf8() -> RegistryFileError:
    return RegistryFileError(_(
        "The file is not UTF-8 encoded text (it looks like GBK or another legacy encoding). "
        "In Excel choose “Save As” → “CSV UTF-8 (comma delimited)”, or save it as an Excel "
        "workbook (.xlsx), and upload it again."))


def _xlsx_rows(file) -> tuple[Iterator[Row], object]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(file, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # do not trust the stored dimension: some writers get it wrong
    except Exception as exc:  # openpyxl raises many types for a broken container
        raise RegistryFileError(_(
            "The file is not a readable Excel workbook (.xlsx): %(error)s") % {
            "error": exc.__class__.__name__}) from exc

    def rows() -> Iterator[Row]:
        try:
            yield from enumerate(ws.iter_rows(values_only=True), start=1)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise RegistryFileError(_(
                "The workbook is damaged and could not be read to the end (%(error)s).") % {
                "error": exc.__class__.__name__}) from exc

    return rows(), wb


def _csv_lines(file) -> Iterator[str]:
    """Decode the lines of a binary file as UTF-8 (a leading BOM is dropped)."""
    first = True
    for raw in file:
        if isinstance(raw, str):  # a file opened in text mode
            text = raw
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _not_utf8() from exc
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


def _sniff(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(8)
    if hasattr(file, "seek"):
        file.seek(0)
    return head or b""


@contextmanager
def registry_rows_open(*, file, filename: str) -> Iterator[Iterable[Row]]:
    """Open ``file`` (a binary file-like object, seekable) and yield an iterator of its rows.

    ``filename`` decides the format by its extension (``.xlsx``/``.xlsm`` or ``.csv``/``.txt``);
    the content must agree. Rows are ``(row_number, cells)``; cells are ``str`` for CSV, the
    openpyxl values (``str``, numbers, ``datetime``, ``bool``, ``None``) for workbooks; only
    the first worksheet is read. Raises :class:`RegistryFileError`, also while iterating.
    """
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
        rows, wb = _xlsx_rows(file)
        try:
            yield rows
        finally:
            wb.close()
        return
    if suffix in CSV_EXTENSIONS:
        if head.startswith(_ZIP_MAGIC):
            raise RegistryFileError(_(
                "The file is named %(name)s but is a workbook or another zip archive, not CSV "
                "text.") % {"name": filename})
        yield _csv_rows(file)
        return
    raise RegistryFileError(_(
        "Unsupported file type %(suffix)s: upload an Excel workbook (.xlsx) or a UTF-8 CSV "
        "file (.csv).") % {"suffix": suffix or _("(no extension)")})

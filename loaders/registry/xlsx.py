"""Reading a registry workbook (.xlsx) within bounds: the zip is inspected before openpyxl reads
anything, and every part openpyxl reads goes through a guard.

An .xlsx file is a zip of XML parts (ECMA-376 Part 2, Open Packaging Conventions). What a
hostile or broken one can do to a plain ``openpyxl.load_workbook`` and what stops it here
(the bounds: :mod:`.limits`):

* **A zip bomb** (a 575 KB file expanding to gigabytes, a 1 GiB shared string that compresses to
  1 MB): :func:`workbook_open` reads the zip's directory only and refuses too many members, a
  total uncompressed size over the limit, or a member that expands more than the ratio. The
  declared sizes bound what is ever decompressed: CPython's ``zipfile`` returns no more than a
  member's declared size and then fails its CRC check.
* **A worksheet part openpyxl would hold whole**: openpyxl's read-only worksheet parses a sheet
  without a ``<dimension>`` element to its end just to size it (we never use the stored size),
  builds each row as an element tree before handing it over, and keeps a dict per ``<row>``
  with attributes. :class:`_GuardedSheet` skips the sizing, and its part is read through
  :class:`_GuardedStream`, which scans the raw XML as openpyxl reads it and stops at more than
  :data:`~.limits.XML_RUN_MAX_BYTES` without a new row, more cells or rows than the limits, or
  more formulas than :data:`~.limits.MAX_FORMULAS`.
* **The shared-strings table**, which openpyxl reads whole at load time keeping an element per
  entry: :func:`shared_strings_read` keeps only the strings, and its part is bounded per string
  and in entries.
* **Any other part** (workbook, styles, relationships), which openpyxl parses whole: at most
  :data:`~.limits.PART_MAX_BYTES`. No part may declare a DTD (OOXML parts never do; Python's
  expat also caps entity expansion) or be UTF-16, which the byte scan could not read.

Formulas: the workbook is read with its cached values (``data_only``: openpyxl never parses or
translates a formula), and the byte scan notes which cells hold a ``<f>`` element; those cells
come out as :class:`FormulaCell`, which the validation refuses. Text is unescaped the way Excel
reads it (``_x000D_`` is a CR, ``_x0000_`` a NUL: ECMA-376 Part 1, ST_Xstring), so a control
character hidden that way is seen. This leans on openpyxl 3.1's ``ExcelReader`` and
``ReadOnlyWorksheet`` (``tests/loaders/test_registry_limits.py`` reads workbooks both ways).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from . import limits as L
from .problems import RegistryFileError

_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"
#: Start and end tags the scan follows, with any namespace prefix. An attribute value cannot
#: hold "<" and text holds it only as "&lt;", so outside comments and CDATA (where a match only
#: counts too much) each match is a tag.
_P = rb"(?:[A-Za-z_][\w.\-]*:)?"  # a namespace prefix
_CELL = re.compile(rb"<" + _P + rb"c(?=[\s/>])")
_STRING = re.compile(rb"<" + _P + rb"si(?=[\s/>])")
_LANDMARK = re.compile(rb"</" + _P + rb"(sheetData)>|<" + _P + rb"(f|row|sheetData)(?=[\s/>])")
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{1,3})\$?([0-9]{1,7})["']""")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True, slots=True)
class FormulaCell:
    """A worksheet cell that holds a formula; ``cached`` is the value last computed for it by
    the program that saved the file (``None`` if it never computed one)."""

    cached: object


def ooxml_unescape(text: str) -> str:
    """Text of a cell as Excel reads it: ``_xHHHH_`` is the UTF-16 code unit HHHH (ECMA-376
    Part 1, ST_Xstring), so ``_x000D_`` is a CR and ``_x005F_`` a literal underscore; escaped
    surrogate pairs become their character, a lone surrogate stays (the validation refuses it).
    """
    if "_x" not in text:
        return text
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


def _damaged(part: str) -> RegistryFileError:
    return RegistryFileError(_(
        "The workbook is damaged or was not written by a spreadsheet program: its part %(part)s "
        "holds more than %(limit)s of XML in one row or one text.") % {
        "part": part, "limit": L.size_text(L.XML_RUN_MAX_BYTES)})


class _GuardedStream:
    """A member of the workbook as openpyxl reads it, with the raw XML scanned on the way.

    ``kind``: ``"part"`` (read whole by openpyxl: at most ``PART_MAX_BYTES``), ``"sheet"`` (the
    worksheet: cells, rows, formulas and the XML between rows bounded; :attr:`formulas` maps a
    row number to the column numbers of its formula cells), ``"strings"`` (the shared-strings
    table: entries and the XML of each bounded). Raises :class:`RegistryFileError` from
    :meth:`read` when a bound is passed.
    """

    def __init__(self, raw, *, part: str, kind: str, limits: L.UploadLimits) -> None:
        self.raw = raw
        self.part = part
        self.kind = kind
        self.limits = limits
        self.offset = 0  # bytes of the part read so far
        self.carry = b""  # what follows the last ">" of the last read (a tag it cut)
        self.previous = b""  # the end of the last read's scanned bytes (a cell it cut)
        self.tail = b""  # the last bytes read (a DTD declaration cut by a read)
        self.mark = 0  # offset of the last row / shared string start (or the part's start)
        self.in_data = False  # inside <sheetData>
        self.cells = self.rows = self.strings = 0
        self.formulas: dict[int, set[int]] = {}
        self.formula_count = 0

    def read(self, n: int | None = -1) -> bytes:
        if self.kind == "part" or n is None or n < 0:
            left = L.PART_MAX_BYTES - self.offset
            data = self.raw.read(left + 1 if n is None or n < 0 else min(n, left + 1))
            if self.offset + len(data) > L.PART_MAX_BYTES:
                raise RegistryFileError(_(
                    "The workbook part %(part)s is larger than %(limit)s uncompressed; a "
                    "registry workbook's parts are far smaller.") % {
                    "part": self.part, "limit": L.size_text(L.PART_MAX_BYTES)})
        else:
            data = self.raw.read(n)
        if data:
            self._scan(data)
        return data

    def _scan(self, data: bytes) -> None:
        if self.offset == 0 and (data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:2]):
            raise RegistryFileError(_(
                "The workbook part %(part)s is not UTF-8 XML. Open the file in Excel or WPS, "
                "save it as an Excel workbook (.xlsx) and upload it again.") % {
                "part": self.part})
        if _DTD.search(self.tail + data):
            raise RegistryFileError(_(
                "The workbook part %(part)s declares a DTD, which Excel workbooks never do; the "
                "file is damaged or hostile.") % {"part": self.part})
        self.tail = data[-16:]
        start = self.offset - len(self.carry)  # offset of buf[0] in the part
        self.offset += len(data)
        if self.kind == "part":
            return
        buf = self.carry + data
        cut = buf.rfind(b">") + 1  # buf[:cut] holds whole tags only; the rest waits
        lim = self.limits
        if self.kind == "strings":
            for m in _STRING.finditer(buf, 0, cut):
                self.strings += 1
                self.mark = start + m.start()
            if self.strings > lim.max_strings:
                raise RegistryFileError(_(
                    "The workbook's shared-strings table has more than %(limit)s entries; a "
                    "registry workbook of at most %(rows)s rows needs far fewer.") % {
                    "limit": f"{lim.max_strings:,}", "rows": f"{lim.max_rows:,}"})
        else:
            self.cells += len(_CELL.findall(buf, 0, cut))
            if self.cells > lim.max_cells:
                raise RegistryFileError(_(
                    "The worksheet holds more than %(limit)s cells; a registry sheet of at most "
                    "%(rows)s rows needs far fewer. Delete the unused columns and the formatted "
                    "empty cells, or split the file.") % {
                    "limit": f"{lim.max_cells:,}", "rows": f"{lim.max_rows:,}"})
            for m in _LANDMARK.finditer(buf, 0, cut):
                self._landmark(m, buf, start)
        self.previous = buf[max(0, cut - 4096):cut]
        self.carry = buf[cut:]
        if self.offset - self.mark > L.XML_RUN_MAX_BYTES:
            raise _damaged(self.part)

    def _landmark(self, m: re.Match, buf: bytes, start: int) -> None:
        """Account for a ``</sheetData>``, ``<sheetData>``, ``<row>`` or ``<f>`` tag."""
        if m.group(1):  # </sheetData>
            self.in_data = False
            self.mark = start + m.start()
            return
        name = m.group(2)
        if name == b"sheetData":
            gt = buf.find(b">", m.end())
            self.in_data = buf[gt - 1:gt] != b"/"
        elif not self.in_data:
            return
        elif name == b"row":
            self.rows += 1
            self.mark = start + m.start()
            if self.rows > self.limits.max_row_elements:
                raise RegistryFileError(_(
                    "The worksheet has more than %(limit)s rows, empty formatted rows included; "
                    "a registry file holds at most %(rows)s data rows. Delete the empty rows "
                    "below the data, or split the file.") % {
                    "limit": f"{self.limits.max_row_elements:,}",
                    "rows": f"{self.limits.max_rows:,}"})
        else:  # <f>: a formula, in the cell that starts last before it
            self.formula_count += 1
            ref = self._cell_ref(buf, m.start())
            if ref is None or self.formula_count > L.MAX_FORMULAS:
                raise RegistryFileError(_(
                    "The worksheet holds formulas (more than %(limit)d, or in cells without a "
                    "reference). A registry sheet holds values: select the cells, copy them, "
                    "paste them as values (Paste Special → Values), save and upload again.") % {
                    "limit": L.MAX_FORMULAS})
            self.formulas.setdefault(ref[0], set()).add(ref[1])

    def _cell_ref(self, buf: bytes, before: int) -> tuple[int, int] | None:
        """(row, column) of the ``r`` attribute of the last cell tag before ``buf[before]`` (in
        the 4 KiB before it, or at the end of the previous read), or ``None``."""
        cell = None
        for source in (buf, self.previous):
            end = before if source is buf else len(source)
            for cm in _CELL.finditer(source, max(0, end - 4096), end):
                cell = cm
            if cell is not None:
                break
        if cell is None:
            return None
        gt = source.find(b">", cell.end())
        ref = _CELL_REF.search(source, cell.end(), gt if gt != -1 else len(source))
        if ref is None:
            return None
        try:
            column = column_index_from_string(ref.group(1).decode("ascii").upper())
        except ValueError:
            return None
        return int(ref.group(2)), column

    def close(self) -> None:
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _GuardedZip(zipfile.ZipFile):
    """The workbook's zip as openpyxl sees it: every member opened for reading is a
    :class:`_GuardedStream` (kind ``"part"`` unless opened with :meth:`guarded_open`)."""

    limits: L.UploadLimits

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        raw = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return raw
        part = name.filename if isinstance(name, zipfile.ZipInfo) else str(name)
        return _GuardedStream(raw, part=part, kind="part", limits=self.limits)

    def guarded_open(self, name: str, kind: str) -> _GuardedStream:
        raw = super().open(name, "r")
        return _GuardedStream(raw, part=name, kind=kind, limits=self.limits)


def shared_strings_read(source) -> list[str]:
    """The shared-strings table: the plain text of each ``<si>`` entry (its ``<t>``, then the
    ``<t>`` of each rich-text run; phonetic runs left out), as openpyxl's reader gives it but
    without keeping an element per entry. Escapes are left for :func:`ooxml_unescape`."""
    strings: list[str] = []
    root = None
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        if root is None:
            root = element
        elif event == "end" and element.tag == _SI:
            plain = ""
            runs = []
            for child in element:
                if child.tag == _T:
                    plain = child.text or ""
                elif child.tag == _R:
                    texts = [g.text or "" for g in child if g.tag == _T]
                    if texts:
                        runs.append(texts[-1])
            strings.append(plain + "".join(runs) if runs else plain)
            root.clear()  # the entry is read: drop it (iterparse would keep it under the root)
    return strings


class _GuardedSheet(ReadOnlyWorksheet):
    """openpyxl's read-only worksheet, not sized from its part and read through the guard."""

    stream: _GuardedStream | None = None

    def _get_size(self):
        """Nothing: the stored dimension is not trusted, and finding it may parse the part."""

    def _get_source(self):
        self.stream = self.parent._archive.guarded_open(self._worksheet_path, "sheet")
        return self.stream


class _GuardedReader(ExcelReader):
    """openpyxl's workbook reader (read-only, cached values) on the guarded zip."""

    def __init__(self, archive: _GuardedZip) -> None:
        super().__init__(archive.fp, read_only=True, data_only=True, keep_links=False)
        self.archive.close()  # openpyxl's own ZipFile of the same file: use the guarded one
        self.archive = archive
        self.valid_files = archive.namelist()

    def read_strings(self):
        ct = self.package.find(SHARED_STRINGS)
        if ct is not None:
            with self.archive.guarded_open(ct.PartName[1:], "strings") as src:
                self.shared_strings = shared_strings_read(src)

    def read_worksheets(self):
        """The worksheets as :class:`_GuardedSheet` (chartsheets are not read)."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _GuardedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def _not_a_workbook(filename: str) -> RegistryFileError:
    return RegistryFileError(_(
        "The file is named %(name)s but is not an Excel workbook (.xlsx).") % {"name": filename})


def workbook_open(file, *, filename: str, limits: L.UploadLimits) -> _GuardedZip:
    """Inspect the zip ``file`` (binary, seekable) against ``limits`` and return it opened.

    Reads the end record and the directory only: refuses a file that is not a zip, a directory
    over ``CENTRAL_DIRECTORY_MAX_BYTES``, more members than ``max_members``, a total
    uncompressed size over ``max_uncompressed``, and a member over ``RATIO_MIN_MEMBER_BYTES``
    that expands more than ``max_ratio`` times. Raises :class:`RegistryFileError`.
    """
    file.seek(0)
    try:
        end = zipfile._EndRecData(file)  # the end record, as ZipFile reads it (zip64 included)
    except (OSError, ValueError):
        end = None
    if not end:
        raise _not_a_workbook(filename)
    too_many = _(
        "The workbook has more than %(limit)d parts; an Excel workbook has a few dozen. The file "
        "is damaged or is not a registry workbook.") % {"limit": limits.max_members}
    if (end[zipfile._ECD_ENTRIES_TOTAL] > limits.max_members
            or end[zipfile._ECD_SIZE] > L.CENTRAL_DIRECTORY_MAX_BYTES):
        raise RegistryFileError(too_many)
    file.seek(0)
    try:
        archive = _GuardedZip(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_a_workbook(filename) from exc
    archive.limits = limits
    members = archive.infolist()
    try:
        if len(members) > limits.max_members:
            raise RegistryFileError(too_many)
        total = sum(m.file_size for m in members)
        if total > limits.max_uncompressed:
            raise RegistryFileError(_(
                "The workbook expands to %(size)s when uncompressed; at most %(limit)s is "
                "accepted. The file is a zip bomb, damaged, or too large for one registry "
                "upload.") % {"size": L.size_text(total),
                              "limit": L.size_text(limits.max_uncompressed)})
        for m in members:
            if (m.file_size > L.RATIO_MIN_MEMBER_BYTES
                    and m.file_size > limits.max_ratio * max(m.compress_size, 1)):
                raise RegistryFileError(_(
                    "The workbook part %(part)s expands %(ratio)s times (%(packed)s to %(size)s); "
                    "at most %(limit)d times is accepted. The file is a zip bomb or damaged.") % {
                    "part": m.filename, "ratio": f"{m.file_size // max(m.compress_size, 1):,}",
                    "packed": L.size_text(m.compress_size), "size": L.size_text(m.file_size),
                    "limit": limits.max_ratio})
    except RegistryFileError:
        archive.close()
        raise
    return archive


def workbook_load(archive: _GuardedZip):
    """The read-only openpyxl workbook of ``archive`` (from :func:`workbook_open`), with cached
    values. Raises :class:`RegistryFileError` for a bound, and whatever openpyxl raises."""
    reader = _GuardedReader(archive)
    reader.read()
    return reader.wb


def sheet_rows(ws, *, width: int | None = None, min_row: int = 1,
               max_row: int | None = None) -> Iterator[tuple[int, tuple]]:
    """``(row number, values)`` of a :class:`_GuardedSheet` from ``min_row``: ``width`` columns
    (``None``: as many as the row has), text unescaped (:func:`ooxml_unescape`), formula cells as
    :class:`FormulaCell`."""
    number = min_row
    for values in ws.iter_rows(min_row=min_row, max_row=max_row, max_col=width,
                               values_only=True):
        pending = ws.stream.formulas
        formulas = pending.pop(number, None) if pending else None
        if formulas or (values.count(None) != len(values)  # not an empty (or filled-in) row
                        and any(isinstance(v, str) and "_x" in v for v in values)):
            values = [ooxml_unescape(v) if isinstance(v, str) else v for v in values]
            for column in formulas or ():
                if column <= len(values):
                    values[column - 1] = FormulaCell(values[column - 1])
            values = tuple(values)
        yield number, values
        number += 1

"""Reading a registry workbook with python-calamine (Rust), after the same guards.

openpyxl reads a 60,000-row registry sheet in about 10 s on the reference machine (2 cores);
python-calamine in about 1.2 s (``scripts/bench_import.py`` prints both). Calamine reads a
worksheet whole, into a dense range from its first to its last cell, so before it sees the file:

* the zip was inspected as for openpyxl (:func:`.xlsx.workbook_open`: members, total size,
  compression ratio);
* the worksheet part and the shared-strings part are read once through the same guard as
  openpyxl's reading (:class:`.xlsx._GuardedStream`: DTD, encoding, XML per row and per string,
  cells, rows, strings), which raises :class:`RegistryFileError` past a bound;
* the cell references are scanned for the last row and column, so that the range calamine
  would allocate is known: at most :data:`MAX_DENSE_CELLS` cells, else openpyxl reads it
  (streaming, only the header's columns).

Anything calamine and openpyxl might read differently sends the file to openpyxl's reading
(:func:`calamine_rows` returns ``None``): a formula (the validation names each formula cell,
which openpyxl's path marks), Excel's ``_xHHHH_`` escapes (control characters and lone
surrogates must reach the validation as openpyxl's path gives them), phonetic runs, a NUL
byte, a part calamine refuses. The values are then given as openpyxl gives them: ``None`` for
an empty cell, ``int`` for a whole number, ``datetime`` for a date.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator

from openpyxl.xml.constants import SHARED_STRINGS

from . import limits as L
from .problems import RegistryFileError
from .xlsx import _GuardedReader, _GuardedZip

logger = logging.getLogger(__name__)

#: cells of the range calamine would allocate (last row × last column); a registry sheet of
#: 100,000 rows and its 16 columns is 1.6 million
MAX_DENSE_CELLS = 4_000_000
#: read size of the scan: a run of XML without a new row is caught once it passes
#: ``XML_RUN_MAX_BYTES`` by a read (openpyxl reads 16 KiB at a time)
CHUNK = 64 * 1024
#: what openpyxl's reading handles and calamine's might not in the same way
_DIFFERENT = re.compile(rb"_x[0-9A-Fa-f]{4}_|<(?:[\w.\-]+:)?rPh[\s>]|\x00")
_REF = re.compile(rb"<(?:[\w.\-]+:)?c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


#: members read by the scans below or not read by calamine; every other XML part is read whole
#: through the guard (at most ``PART_MAX_BYTES``), as openpyxl's reading bounds the parts it
#: reads whole (styles, workbook, relationships)
_NOT_PARTS = ("xl/worksheets/", "xl/chartsheets/", "xl/drawings/", "xl/charts/", "xl/media/",
              "xl/sharedStrings", "xl/externalLinks/", "xl/pivot", "customXml/")


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _scan(archive: _GuardedZip, part: str, kind: str) -> tuple[bool, int, int]:
    """Read ``part`` through the guard; ``(calamine may read it, last row, last column)``."""
    last_row = last_column = 0
    same = True
    tail = b""
    with archive.guarded_open(part, kind) as stream:
        if kind == "part":
            stream.read()
            return True, 0, 0
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            if same and _DIFFERENT.search(window):
                same = False
            if kind == "sheet":
                for letters, row in _REF.findall(window):
                    last_row = max(last_row, int(row))
                    last_column = max(last_column, _column(letters))
            tail = chunk[-64:]
        if kind == "sheet" and stream.formula_count:
            same = False
    return same, last_row, last_column


def _value(value):
    """A calamine value as openpyxl gives it."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str | int | float | bool | dt.datetime | dt.time | dt.timedelta):
        return value
    return str(value)


class _Closing:
    def __init__(self, workbook) -> None:
        self.workbook = workbook

    def close(self) -> None:
        self.workbook.close()


def calamine_rows(file, archive: _GuardedZip,
                  limits: L.UploadLimits) -> tuple[Iterator[tuple[int, tuple]], _Closing] | None:
    """``(rows, closer)`` of the first worksheet of ``file`` (the workbook ``archive`` was
    opened from), read by calamine, or ``None`` when openpyxl's reading must be used (see the
    module docstring). Rows are ``(row number, cells)`` from row 1, as openpyxl's; raises
    :class:`RegistryFileError` for a bound passed while scanning."""
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - a dependency; openpyxl still reads
        return None
    try:
        reader = _GuardedReader(archive)
        reader.read_manifest()
        reader.read_workbook()
        sheet = next(((s, rel) for s, rel in reader.parser.find_sheets()
                      if rel.target in reader.valid_files and "chartsheet" not in rel.Type),
                     None)
        strings = reader.package.find(SHARED_STRINGS)
    except Exception:  # openpyxl's reading reports what is wrong, in its words
        logger.info("registry workbook: parts not found for calamine", exc_info=True)
        return None
    if sheet is None:
        return None
    try:
        for member in archive.namelist():
            if member.endswith((".xml", ".rels")) and not member.startswith(_NOT_PARTS):
                _scan(archive, member, "part")  # styles, workbook, theme …: bounded whole
        same, last_row, last_column = _scan(archive, sheet[1].target, "sheet")
        if strings is not None:
            same = _scan(archive, strings.PartName[1:], "strings")[0] and same
    except RegistryFileError:
        raise
    except Exception:  # a damaged part: openpyxl's reading reports it, in its words
        logger.info("registry workbook: scan failed", exc_info=True)
        return None
    if (not same or last_column > L.MAX_COLUMNS or last_row > limits.max_rows + 1
            or last_row * last_column > MAX_DENSE_CELLS):
        return None
    try:
        file.seek(0)
        workbook = python_calamine.CalamineWorkbook.from_filelike(file)
        worksheet = workbook.get_sheet_by_name(sheet[0].name)
    except Exception:
        logger.info("registry workbook: calamine refused it", exc_info=True)
        return None

    def rows() -> Iterator[tuple[int, tuple]]:
        # calamine's rows start at row 1 (empty ones above the first cell included) and at
        # the first column holding a cell: the columns to its left are given back as empty
        pad = (None,) * (worksheet.start or (0, 0))[1]
        for number, values in enumerate(worksheet.iter_rows(), start=1):
            yield number, pad + tuple(map(_value, values))

    return rows(), _Closing(workbook)

"""The bounds of a registry upload: what a file may hold before it is refused, not parsed.

The settings (``config/settings.py``, each overridable from the environment) and their defaults:

=========================================== ========== =========================================
``REGISTRY_UPLOAD_MAX_BYTES``               20 MiB     the uploaded file, checked before reading
``REGISTRY_UPLOAD_MAX_UNCOMPRESSED_BYTES``  200 MiB    all members of a workbook, uncompressed
``REGISTRY_UPLOAD_MAX_COMPRESSION_RATIO``   100        any member over 1 MiB (uncompressed)
``REGISTRY_UPLOAD_MAX_MEMBERS``             1000       members of a workbook (a zip)
``REGISTRY_UPLOAD_MAX_ROWS``                100,000    data rows below the header
``REGISTRY_UPLOAD_MAX_CELL_CHARS``          2000       characters of one cell
=========================================== ========== =========================================

The derived bounds below follow from them or are fixed; each is far above what a registry sheet
written by Excel, WPS or LibreOffice holds (60,000 rows: one 60 MB worksheet part, about 1 KB
of XML and 16 cells a row), and each keeps openpyxl's work and memory proportional to the
settings, whatever the file claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat

MiB = 1024 * 1024
#: Members smaller than this are not held to the compression ratio (small XML parts of a real
#: workbook compress 10–50 times, and cannot expand to much).
RATIO_MIN_MEMBER_BYTES = 1 * MiB
#: The zip's central directory (the list of members); 1000 members take some 100 KB.
CENTRAL_DIRECTORY_MAX_BYTES = 1 * MiB
#: A workbook part openpyxl reads and parses whole (workbook.xml, styles.xml, relationships …);
#: Excel's own are some kilobytes, a styles part bloated by years of copy and paste a few MB.
PART_MAX_BYTES = 4 * MiB
#: XML of the worksheet without a new row (one row, or the parts before and after the rows), and
#: XML of one shared string. openpyxl builds each row as a tree before it hands it over, so this
#: bounds that tree (512 KiB of empty cells: about 40 MB, 0.9 s). A row of 16 cells of 2,000
#: Chinese characters is about 100 KB.
XML_RUN_MAX_BYTES = 512 * 1024
#: Columns read: the header row may not reach beyond this column (IV, Excel 2003's last).
MAX_COLUMNS = 256
#: Cells (``<c>`` elements) a worksheet may hold, per data row allowed on average.
CELLS_PER_ROW = 32
#: Formula cells a worksheet may hold before it is refused whole instead of cell by cell.
MAX_FORMULAS = 1000


@dataclass(frozen=True)
class UploadLimits:
    """The bounds in force (bytes, counts, characters); read from the settings per import."""

    max_bytes: int
    max_uncompressed: int
    max_ratio: int
    max_members: int
    max_rows: int
    max_cell_chars: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        return cls(max_bytes=settings.REGISTRY_UPLOAD_MAX_BYTES,
                   max_uncompressed=settings.REGISTRY_UPLOAD_MAX_UNCOMPRESSED_BYTES,
                   max_ratio=settings.REGISTRY_UPLOAD_MAX_COMPRESSION_RATIO,
                   max_members=settings.REGISTRY_UPLOAD_MAX_MEMBERS,
                   max_rows=settings.REGISTRY_UPLOAD_MAX_ROWS,
                   max_cell_chars=settings.REGISTRY_UPLOAD_MAX_CELL_CHARS)

    @property
    def max_cells(self) -> int:
        """``<c>`` elements of the worksheet (header row included)."""
        return (self.max_rows + 1) * CELLS_PER_ROW

    @property
    def max_row_elements(self) -> int:
        """``<row>`` elements of the worksheet: the data rows, and as many formatted blank rows."""
        return 2 * (self.max_rows + 1)

    @property
    def max_strings(self) -> int:
        """Entries of the shared-strings table (at most one per cell)."""
        return self.max_cells


def size_text(n: int) -> str:
    """``n`` bytes for a message, e.g. "20.0 MB" (binary units, translated by Django)."""
    return str(filesizeformat(n))

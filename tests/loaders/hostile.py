"""Builders of registry files, well-formed or hostile, byte by byte.

:func:`zip_build` writes a zip whose members are given as repeated chunks: each distinct chunk
is deflated once and its block repeated (a deflate block after a full flush stands alone), so
a member that expands to 1 GiB costs a CRC pass (~0.3 s) and about 1 MB. :func:`workbook_build`
writes a minimal Excel workbook the way Excel does (shared strings, date styles, formulas with
cached values), which openpyxl's writer cannot (it writes inline strings only).
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from loaders.registry.columns import HEADERS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MiB = 1024 * 1024

#: A member's content: bytes, or a list of (chunk, times) whose concatenation it is.
Content = bytes | list[tuple[bytes, int]]


def _deflate_parts(parts: list[tuple[bytes, int]]) -> tuple[bytes, int, int]:
    """(raw deflate stream, crc32, uncompressed size) of the concatenation of ``parts``."""
    blocks = {}
    out = []
    crc = size = 0
    for chunk, times in parts:
        if chunk not in blocks:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            blocks[chunk] = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
        out.append(blocks[chunk] * times)
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        size += len(chunk) * times
    out.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
    return b"".join(out), crc, size


def zip_build(members: dict[str, Content]) -> bytes:
    """A zip (deflated members, no zip64) of ``members`` in order."""
    body = bytearray()
    directory = bytearray()
    for name, content in members.items():
        parts = [(content, 1)] if isinstance(content, bytes) else content
        data, crc, size = _deflate_parts(parts)
        encoded = name.encode("utf-8")
        flags = 0x800 if not encoded.isascii() else 0
        offset = len(body)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, 0, 0x21, crc, len(data),
                            size, len(encoded), 0) + encoded + data
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, 8, 0, 0x21, crc,
                                 len(data), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    n = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(directory), len(body), 0)
    return bytes(body + directory + end)


@dataclass(frozen=True)
class Formula:
    """A formula cell: its text (without "=") and the cached value Excel would store."""

    text: str
    cached: object = None


@dataclass(frozen=True)
class Raw:
    """A cell written exactly as this XML (inside the row)."""

    xml: str


def _cell(ref: str, value, strings: dict[str, int] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Raw):
        return value.xml
    if isinstance(value, Formula):
        cached = "" if value.cached is None else f"<v>{escape(str(value.cached))}</v>"
        kind = ' t="str"' if isinstance(value.cached, str) else ""
        return f'<c r="{ref}"{kind}><f>{escape(value.text)}</f>{cached}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        serial = (value - dt.date(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if strings is None:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    index = strings.setdefault(value, len(strings))
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def sheet_xml(rows, *, strings: dict[str, int] | None) -> bytes:
    """The worksheet part of ``rows`` (header included); text into ``strings`` if given."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
           "<sheetData>"]
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{get_column_letter(c)}{r}", v, strings)
                        for c, v in enumerate(row, start=1))
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


def strings_xml(strings) -> bytes:
    items = "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in strings)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}">'
            f"{items}</sst>").encode()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '{sst}</Types>')
_SST_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="机构名录" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>{sst}</Relationships>')
_SST_REL = ('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    '</cellStyles></styleSheet>')


def workbook_build(rows=(), *, headers=HEADERS, shared: bool = True,
                   sheet: Content | None = None, strings: Content | None = None,
                   extra: dict[str, Content] | None = None) -> bytes:
    """An .xlsx of ``headers`` and ``rows`` as Excel writes it (``shared``: text in the
    shared-strings table, else inline). ``sheet`` / ``strings`` replace the worksheet / the
    shared-strings part; ``extra`` adds members."""
    table: dict[str, int] | None = {} if shared else None
    body = sheet if sheet is not None else sheet_xml([headers, *rows], strings=table)
    has_sst = strings is not None or bool(table)
    members: dict[str, Content] = {
        "[Content_Types].xml": _CONTENT_TYPES.format(sst=_SST_TYPE if has_sst else "").encode(),
        "_rels/.rels": _RELS.encode(),
        "xl/workbook.xml": _WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(
            sst=_SST_REL if has_sst else "").encode(),
        "xl/styles.xml": _STYLES.encode(),
        "xl/worksheets/sheet1.xml": body,
    }
    if has_sst:
        members["xl/sharedStrings.xml"] = strings if strings is not None else strings_xml(table)
    members.update(extra or {})
    return zip_build(members)


def sheet_head(headers=HEADERS) -> bytes:
    """The worksheet part up to and including the header row (inline strings), for bombs."""
    return sheet_xml([headers], strings=None).removesuffix(b"</sheetData></worksheet>")


SHEET_TAIL = b"</sheetData></worksheet>"

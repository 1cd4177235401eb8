"""Validating a registry sheet before anything is written: headers, every cell, the database.

Rules and their sources: USCC per GB 32100-2015 (``institutions.validators.uscc_problem``);
certificate numbers per ``qualifications.validators.certificate_number_problem``; region codes
per GB/T 2260 and present in the Region table; testing fields by their names; a certificate is
valid after its issue date; a regulator imports only inside his authority's region
(``accounts.scoping.region_prefix_for``); a USCC and a certificate number appear once per file;
a certificate number already stored must belong to the row's institution.

Before any of that, every cell of a known column (and every header cell) is checked on its own
(:func:`value_problem`): a cell over ``REGISTRY_UPLOAD_MAX_CELL_CHARS`` characters, holding a
control character or a lone surrogate, holding a formula, or whose text looks like one (OWASP
"CSV Injection": ``= + - @`` first; ``common.spreadsheets``) is a problem of that row and
column, and the rest of the row is not read. The one exception: in 联系电话 a ``+`` followed by
digits and spaces ("+86 20 1234 5678") is an international number, not a formula. A quote in
front of such text, as the export writes it (``'+86 20 1234 5678``), is dropped first, so an
exported sheet imports again unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from common.spreadsheets import formula_like, formula_quote_strip
from institutions.models import Institution, Region, RegionLevel, TestingField
from institutions.validators import uscc_problem
from qualifications.models import Certificate, PermitMode
from qualifications.validators import certificate_number_problem

from . import columns as C
from .problems import UNSAFE_CHARACTERS, Problems
from .reader import Row
from .xlsx import FormulaCell

LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit
MAX_LENGTHS = {C.NAME: 200, C.CONTACT: 64, C.PHONE: 32, C.ADDRESS: 200, C.AUTHORITY: 64}
#: Text that needs a closer look: a formula trigger or a quote first (after spaces), or an
#: unsafe character anywhere. Most cells do not match, and pass with this one search.
_SUSPECT = re.compile("^\\s*['=+\\-@]|" + UNSAFE_CHARACTERS.pattern)
#: An international phone number: "+", then digits and spaces only.
_PHONE_INTERNATIONAL = re.compile(r"\+[0-9][0-9 ]*")


@dataclass(slots=True)
class RegistryRow:
    """One valid row. Values of columns absent from the file hold the defaults of a new row."""

    row: int
    name: str
    uscc: str
    region: str
    field_ids: tuple[int, ...]  # primary field first
    cert_number: str
    issued: date
    valid_until: date
    authority: str  # "" → derived from the certificate number when written
    national: bool
    nature: str
    contact: str
    phone: str
    address: str
    credit: str
    cnas: bool
    permit: str


@dataclass
class RegistryPlan:
    """A validated sheet and the stored objects it touches (keyed by USCC / number)."""

    present: frozenset[str]
    rows: list[RegistryRow] = field(default_factory=list)
    row_count: int = 0
    institutions: dict[str, Institution] = field(default_factory=dict)
    institution_fields: dict[int, set[int]] = field(default_factory=dict)
    certificates: dict[str, Certificate] = field(default_factory=dict)
    certificate_fields: dict[int, set[int]] = field(default_factory=dict)
    province_names: dict[str, str] = field(default_factory=dict)


def cell_text(value) -> str:
    """A cell as stripped text: ``None`` → ``""``, ``440103.0`` → ``"440103"``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def value_problem(value, *, max_chars: int, phone: bool = False,
                  formulas: bool = True) -> tuple[str | None, object]:
    """What is wrong with one cell on its own, and the value to read from it.

    Returns ``(message, value)``: ``message`` is ``None`` if the cell is fine, else the
    translated problem; ``value`` is the cell, a text without the export's quote in front of a
    formula trigger (:func:`common.spreadsheets.formula_quote_strip`). Refused: a
    :class:`~.xlsx.FormulaCell`; text longer than ``max_chars``; text holding a character of
    :data:`~.problems.UNSAFE_CHARACTERS` (Unicode Cc other than TAB, LF, CR; a lone surrogate);
    with ``formulas``, text starting with ``= + - @`` after its spaces, except ``+`` and digits
    and spaces when ``phone``. Numbers, dates and booleans are always fine.
    """
    if isinstance(value, FormulaCell):
        return _("The cell holds a formula. A registry cell holds a value: copy the cells and "
                 "paste them as values (Paste Special → Values), then save and upload "
                 "again."), value
    if not isinstance(value, str):
        return None, value
    if len(value) > max_chars:
        return _("The cell holds %(n)s characters; a registry cell holds at most %(limit)s.") % {
            "n": f"{len(value):,}", "limit": f"{max_chars:,}"}, value
    if not _SUSPECT.search(value):
        return None, value
    bad = UNSAFE_CHARACTERS.search(value)
    if bad:
        code = ord(bad.group())
        if 0xD800 <= code <= 0xDFFF:
            return _("The value contains an invalid character (U+%(code)04X).") % {
                "code": code}, value
        return _("The value contains a control character (U+%(code)04X), which a registry "
                 "cell may not hold.") % {"code": code}, value
    text = formula_quote_strip(value.strip())
    if formulas and formula_like(text) and not (phone and _PHONE_INTERNATIONAL.fullmatch(text)):
        return _("The value starts with “%(char)s” and looks like a formula, which a registry "
                 "cell may not hold (a spreadsheet would run it). Remove the leading "
                 "“%(char)s”.") % {"char": text[0]}, value
    return None, text


def headers_check(cells: tuple, problems: Problems) -> dict[str, int] | None:
    """Map each known header to its column index, or report row-1 problems and return None.

    Unknown, duplicated and missing required headers are each a problem naming the column.
    Columns without a header are ignored; a trailing ``*`` (required marker) is dropped.
    """
    index: dict[str, int] = {}
    ok = True
    for i, cell in enumerate(cells):
        name = cell_text(cell).rstrip("*＊").strip()  # "机构名称*" marks a required column
        if not name:
            continue
        if name not in C.HEADERS:
            problems.add(1, name, _("Unknown column. The registry sheet has the columns: "
                                    "%(headers)s.") % {"headers": "、".join(C.HEADERS)})
            ok = False
        elif name in index:
            problems.add(1, name, _("The column appears more than once."))
            ok = False
        else:
            index[name] = i
    for name in C.HEADERS:
        if name in C.REQUIRED and name not in index:
            problems.add(1, name, _("Required column is missing."))
            ok = False
    return index if ok else None


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t).date(),  # 00:00:00
                  lambda t: datetime.strptime(t, "%Y-%m-%d").date()):  # 2023-1-5
        try:
            return parse(text)
        except ValueError:
            continue
    return None


class _RowParser:
    def __init__(self, *, index: dict[str, int], problems: Problems, prefix: str,
                 max_chars: int) -> None:
        self.index = index
        self.problems = problems
        self.prefix = prefix
        self.max_chars = max_chars
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.fields = dict(TestingField.objects.values_list("name", "pk"))
        self.seen_uscc: dict[str, int] = {}
        self.seen_number: dict[str, int] = {}

    def _cell(self, cells: tuple, column: str):
        i = self.index.get(column)
        return cells[i] if i is not None and i < len(cells) else None

    def _required(self, row: int, cells: tuple, column: str) -> str:
        text = cell_text(self._cell(cells, column))
        if not text:
            self.problems.add(row, column, _("A value is required."))
        return text

    def _yes_no(self, row: int, cells: tuple, column: str) -> bool | None:
        value = self._cell(cells, column)
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in C.YES_VALUES:
            return True
        if text in C.NO_VALUES:
            return False
        self.problems.add(row, column, _("Expected 是 or 否, got “%(value)s”.") % {"value": text})
        return None

    def _choice(self, row: int, cells: tuple, column: str, choices: dict[str, str],
                default: str) -> str | None:
        text = cell_text(self._cell(cells, column))
        if not text:
            return default
        if text in choices:
            return choices[text]
        self.problems.add(row, column, _("Unknown value “%(value)s”; expected one of: "
                                         "%(choices)s.") % {"value": text,
                                                            "choices": "、".join(choices)})
        return None

    def _guarded(self, row: int, cells: tuple) -> tuple | None:
        """``cells`` after :func:`value_problem` on each known column, or ``None`` after
        reporting its problems."""
        out = None
        bad = False
        for column, i in self.index.items():
            if i >= len(cells) or cells[i] is None:
                continue
            problem, value = value_problem(cells[i], max_chars=self.max_chars,
                                           phone=column == C.PHONE)
            if problem:
                self.problems.add(row, column, problem)
                bad = True
            elif value is not cells[i]:
                out = out or list(cells)
                out[i] = value
        if bad:
            return None
        return cells if out is None else tuple(out)

    def parse(self, row: int, cells: tuple) -> RegistryRow | None:
        cells = self._guarded(row, cells)
        if cells is None:
            return None
        before = self.problems.count
        p = self.problems
        name = self._required(row, cells, C.NAME)
        uscc = self._required(row, cells, C.USCC).upper()
        if uscc:
            problem = uscc_problem(uscc)
            if problem:
                p.add(row, C.USCC, _("Invalid unified social credit code: %(problem)s") % {
                    "problem": problem})
            elif uscc in self.seen_uscc:
                p.add(row, C.USCC, _("Rows %(first)d and %(row)d have the same unified social "
                                     "credit code %(code)s.") % {
                    "first": self.seen_uscc[uscc], "row": row, "code": uscc})
            else:
                self.seen_uscc[uscc] = row
        region = self._required(row, cells, C.REGION)
        if region:
            if len(region) != 6 or not region.isdigit():
                p.add(row, C.REGION, _("A division code is 6 digits (GB/T 2260), got “%(code)s”.")
                      % {"code": region})
            elif region not in self.regions:
                p.add(row, C.REGION, _("Unknown division code %(code)s.") % {"code": region})
            elif not region.startswith(self.prefix):
                p.add(row, C.REGION, _("Region %(code)s lies outside your jurisdiction.") % {
                    "code": region})
        field_ids = self._fields(row, cells)
        number = self._required(row, cells, C.CERT_NUMBER)
        if number:
            problem = certificate_number_problem(number)
            if problem:
                p.add(row, C.CERT_NUMBER, _("Invalid certificate number: %(problem)s") % {
                    "problem": problem})
            elif number in self.seen_number:
                p.add(row, C.CERT_NUMBER, _("Rows %(first)d and %(row)d have the same certificate "
                                            "number %(number)s.") % {
                    "first": self.seen_number[number], "row": row, "number": number})
            else:
                self.seen_number[number] = row
        issued = self._a_date(row, cells, C.ISSUED)
        valid_until = self._a_date(row, cells, C.VALID_UNTIL)
        if issued and valid_until and valid_until <= issued:
            p.add(row, C.VALID_UNTIL, _("The end of validity %(until)s is not after the issue "
                                        "date %(issued)s.") % {"until": valid_until,
                                                               "issued": issued})
        texts = {}
        for column, limit in MAX_LENGTHS.items():
            text = texts[column] = cell_text(self._cell(cells, column))
            if len(text) > limit:
                p.add(row, column, _("At most %(limit)d characters, got %(n)d.") % {
                    "limit": limit, "n": len(text)})
        national = self._yes_no(row, cells, C.NATIONAL_CENTRE)
        cnas = self._yes_no(row, cells, C.CNAS)
        nature = self._choice(row, cells, C.NATURE, C.NATURE_BY_LABEL, "other")
        credit = self._choice(row, cells, C.CREDIT, {c: c for c in sorted(C.CREDIT_CLASSES)}, "")
        permit = self._choice(row, cells, C.PERMIT, C.PERMIT_BY_LABEL, PermitMode.STANDARD)
        if self.problems.count > before:
            return None
        return RegistryRow(
            row=row, name=name, uscc=uscc, region=region, field_ids=field_ids,
            cert_number=number, issued=issued, valid_until=valid_until,
            authority=texts[C.AUTHORITY], national=national, nature=nature,
            contact=texts[C.CONTACT], phone=texts[C.PHONE], address=texts[C.ADDRESS],
            credit=credit, cnas=cnas, permit=permit)

    def _a_date(self, row: int, cells: tuple, column: str) -> date | None:
        value = self._cell(cells, column)
        if cell_text(value) == "":
            self.problems.add(row, column, _("A value is required."))
            return None
        parsed = _date(value)
        if parsed is None:
            self.problems.add(row, column, _("Not a date: “%(value)s”; expected a date cell or "
                                             "YYYY-MM-DD.") % {"value": cell_text(value)})
        return parsed

    def _fields(self, row: int, cells: tuple) -> tuple[int, ...]:
        text = self._required(row, cells, C.FIELDS)
        for sep in C.FIELD_SEPARATORS[1:]:
            text = text.replace(sep, C.FIELD_SEPARATOR)
        names = list(dict.fromkeys(n.strip() for n in text.split(C.FIELD_SEPARATOR) if n.strip()))
        unknown = [n for n in names if n not in self.fields]
        if unknown:
            self.problems.add(row, C.FIELDS, _("Unknown testing field(s): %(names)s.") % {
                "names": "、".join(unknown)})
            return ()
        return tuple(self.fields[n] for n in names)


def _chunks(items: list, size: int = LOOKUP_CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _stored_check(plan: RegistryPlan, problems: Problems, prefix: str) -> None:
    """Load the stored institutions and certificates the rows name; report conflicts."""
    through = Institution.fields.through
    for chunk in _chunks([r.uscc for r in plan.rows]):
        for inst in Institution.objects.filter(uscc__in=chunk):
            plan.institutions[inst.uscc] = inst
    ids = [i.pk for i in plan.institutions.values()]
    for chunk in _chunks(ids):
        for inst_id, field_id in through.objects.filter(institution_id__in=chunk).values_list(
                "institution_id", "testingfield_id"):
            plan.institution_fields.setdefault(inst_id, set()).add(field_id)
    cert_through = Certificate.fields.through
    for chunk in _chunks([r.cert_number for r in plan.rows]):
        for cert in Certificate.objects.filter(number__in=chunk).annotate(
                owner_uscc=F("institution__uscc")):
            plan.certificates[cert.number] = cert
    for chunk in _chunks([c.pk for c in plan.certificates.values()]):
        for cert_id, field_id in cert_through.objects.filter(certificate_id__in=chunk).values_list(
                "certificate_id", "testingfield_id"):
            plan.certificate_fields.setdefault(cert_id, set()).add(field_id)
    for r in plan.rows:
        inst = plan.institutions.get(r.uscc)
        if inst is not None and not inst.region_id.startswith(prefix):
            problems.add(r.row, C.USCC, _("This institution is registered in region %(code)s, "
                                          "outside your jurisdiction.") % {"code": inst.region_id})
        cert = plan.certificates.get(r.cert_number)
        if cert is not None and cert.owner_uscc != r.uscc:
            problems.add(r.row, C.CERT_NUMBER, _(
                "Certificate %(number)s is already registered to another institution "
                "(%(uscc)s).") % {"number": r.cert_number, "uscc": cert.owner_uscc})


def registry_plan_build(*, rows: Iterable[Row], problems: Problems, prefix: str,
                        max_cell_chars: int | None = None) -> RegistryPlan | None:
    """Validate all ``rows`` (header first) and load what they touch.

    ``prefix``: the region-code prefix the importer may write (``""`` for all);
    ``max_cell_chars``: the longest cell (default ``REGISTRY_UPLOAD_MAX_CELL_CHARS``). Returns
    the plan, or ``None`` when the header row is unusable; every problem goes to ``problems``.
    Raises :class:`~.reader.RegistryFileError` from the reader.
    """
    max_chars = max_cell_chars or settings.REGISTRY_UPLOAD_MAX_CELL_CHARS
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None or not any(cell_text(c) for c in first[1]):
        problems.add(1, None, _("The first row must hold the column headers; it is empty."))
        return None
    usable = True
    for i, cell in enumerate(first[1]):
        problem, _value = value_problem(cell, max_chars=max_chars, formulas=False)
        if problem:
            problems.add(1, None, _("Column %(column)s of the header row: %(problem)s") % {
                "column": get_column_letter(i + 1), "problem": problem})
            usable = False
    if not usable:
        return None
    index = headers_check(first[1], problems)
    if index is None:
        return None
    plan = RegistryPlan(present=frozenset(index))
    parser = _RowParser(index=index, problems=problems, prefix=prefix, max_chars=max_chars)
    for number, cells in iterator:
        if not any(c is not None and cell_text(c) for c in cells):
            continue  # blank rows (trailing formatting) are not data
        plan.row_count += 1
        parsed = parser.parse(number, cells)
        if parsed is not None:
            plan.rows.append(parsed)
    if plan.row_count == 0:
        problems.add(None, None, _("The file has a header row but no data rows."))
        return plan
    _stored_check(plan, problems, prefix)
    plan.province_names = {code[:2]: name for code, name in Region.objects.filter(
        level=RegionLevel.PROVINCE).values_list("code", "name")}
    return plan

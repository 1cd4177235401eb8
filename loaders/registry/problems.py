"""The problem report of a registry import: which row, which column, what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: How many problems a report keeps (the lowest row numbers); all are counted.
REPORT_LIMIT = 200

#: Characters no stored text may hold: Unicode category Cc (U+0000–U+001F, U+007F–U+009F)
#: except TAB, LF and CR, and the UTF-16 surrogates (Cs), which no UTF-8 text (PostgreSQL)
#: can hold. A NUL makes PostgreSQL refuse the whole statement.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_safe(text: str) -> str:
    """``text`` with each :data:`UNSAFE_CHARACTERS` character replaced by U+FFFD."""
    return UNSAFE_CHARACTERS.sub("\ufffd", text)


class RegistryFileError(Exception):
    """The file cannot be read as a registry sheet. ``str(error)`` is a translated message,
    reported as a problem of the whole file (row and column ``None``)."""


@dataclass
class Problems:
    """Collects problems ``{"row": int | None, "column": str | None, "message": str}``.

    ``row`` is the spreadsheet row number (header = 1), ``None`` for a problem of the whole file;
    ``column`` the Chinese header, ``None`` if the problem is not about one column. Keeps the
    ``limit`` problems with the lowest row numbers (file problems first), counts all. Column
    and message are kept with :func:`text_safe`, so a report quoting a hostile cell can always
    be stored.
    """

    limit: int = REPORT_LIMIT
    count: int = 0
    _items: list[tuple[int, int, dict]] = field(default_factory=list)

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.count += 1
        self._items.append((row or 0, self.count, {
            "row": row, "column": None if column is None else text_safe(str(column)),
            "message": text_safe(str(message))}))
        if len(self._items) > 4 * self.limit:
            self._trim()

    def _trim(self) -> None:
        self._items.sort(key=lambda t: (t[0], t[1]))
        del self._items[self.limit:]

    def __bool__(self) -> bool:
        return self.count > 0

    def as_list(self) -> list[dict]:
        """The kept problems in row order (then in the order found)."""
        self._trim()
        return [item for _, _, item in self._items]

"""The problem report of a registry import: which row, which column, what is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

#: How many problems a report keeps (the lowest row numbers); all are counted.
REPORT_LIMIT = 200


@dataclass
class Problems:
    """Collects problems ``{"row": int | None, "column": str | None, "message": str}``.

    ``row`` is the spreadsheet row number (header = 1), ``None`` for a problem of the whole file;
    ``column`` the Chinese header, ``None`` if the problem is not about one column. Keeps the
    ``limit`` problems with the lowest row numbers (file problems first), counts all.
    """

    limit: int = REPORT_LIMIT
    count: int = 0
    _items: list[tuple[int, int, dict]] = field(default_factory=list)

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.count += 1
        self._items.append((row or 0, self.count,
                            {"row": row, "column": column, "message": str(message)}))
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

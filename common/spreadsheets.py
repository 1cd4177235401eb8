"""Formula injection in spreadsheet exports: the one rule every export of the platform applies.

A spreadsheet program (Excel, WPS, LibreOffice Calc) reads a text cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula, and TAB or CR in front of one does not stop it; a formula
can open links, fetch data or, through DDE, run programs on the machine of whoever opens the
file. openpyxl even stores a Python string that starts with ``=`` as a formula cell. The rule
(OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection; OWASP ASVS 5.0
V1.2.10 asks the same of every spreadsheet export): a text value that starts with one of those
characters is written with a single quote ``'`` in front, so it is shown and kept as text.

Only ``str`` values are touched: numbers (negative ones included), dates and booleans stay typed
cells. The registry import (``loaders.registry``) refuses such text instead of storing it
(:func:`formula_like`), and reads a value that went out through :func:`formula_neutralise` back
with :func:`formula_quote_strip`.
"""

from __future__ import annotations

#: The characters that make a text cell a formula when they come first (OWASP "CSV Injection").
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"


def formula_like(text: str) -> bool:
    """Whether ``text`` starts with a formula trigger (``= + - @``, TAB, CR)."""
    return text[:1] in FORMULA_TRIGGERS


def formula_neutralise(value):
    """``value`` safe for a spreadsheet cell: a ``str`` that :func:`formula_like` gets ``'`` in
    front (``"=HYPERLINK(…)"`` → ``"'=HYPERLINK(…)"``); any other value is returned as is."""
    if isinstance(value, str) and formula_like(value):
        return QUOTE + value
    return value


def formula_quote_strip(text: str) -> str:
    """Undo :func:`formula_neutralise`: ``"'+86 20 1234"`` → ``"+86 20 1234"``.

    Only a quote followed by a formula trigger is the neutraliser's; any other text, one
    starting with a quote included, is returned unchanged.
    """
    if text[:1] == QUOTE and formula_like(text[1:]):
        return text[1:]
    return text

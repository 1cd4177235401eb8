"""Fixtures for the registry workbook tests: small generated sheets as .xlsx / CSV bytes."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from loaders.registry import registry_import, registry_rows
from loaders.registry.columns import HEADERS


@pytest.fixture(autouse=True)
def _msgids():
    """Translation off: service messages are asserted as their (English) msgids, whatever the
    catalogues say. Admin pages render in the request's language (zh-hans under /admin/)."""
    with translation.override(None):
        yield


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("机构名录")
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([c.isoformat() if hasattr(c, "isoformat") else c for c in row])
    return buf.getvalue().encode(encoding)


def run_import(data: bytes, filename: str = "registry.xlsx", user=None):
    return registry_import(file=io.BytesIO(data), filename=filename, user=user)


def problems_at(record, row=None, column=None) -> list[str]:
    """Messages of the report's problems at ``row`` / ``column`` (``None``: any)."""
    return [p["message"] for p in record.problems
            if (row is None or p["row"] == row) and (column is None or p["column"] == column)]


@pytest.fixture
def rows300(ref) -> list[tuple]:
    """300 generated rows, the whole country (seed 7)."""
    return list(registry_rows(count=300, seed=7))


@pytest.fixture
def gd_rows(ref) -> list[tuple]:
    """40 generated rows, all in Guangdong (a provincial regulator's sheet)."""
    return list(registry_rows(count=40, seed=11, province="44"))

"""The registry workbook generator: deterministic, valid codes, the regulator's headers."""

from __future__ import annotations

from collections import Counter

import pytest
from openpyxl import load_workbook

from institutions import models
from institutions.validators import uscc_problem
from loaders.registry import registry_rows, registry_workbook_write
from loaders.registry.columns import HEADERS, NATIONAL_AUTHORITY
from loaders.registry.generator import valid_until_for
from qualifications.validators import certificate_number_problem

pytestmark = pytest.mark.django_db


def _read(path) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    rows = [tuple(c.date() if hasattr(c, "date") else c for c in r)
            for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    return rows


def test_same_seed_same_rows_and_file_contents(ref, tmp_path):
    a, b, c = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    registry_workbook_write(a, count=300, seed=2023)
    registry_workbook_write(b, count=300, seed=2023)
    registry_workbook_write(c, count=300, seed=2024)
    rows_a, rows_b, rows_c = _read(a), _read(b), _read(c)
    assert rows_a[0] == HEADERS
    assert len(rows_a) == 301
    assert rows_a == rows_b
    assert rows_a[1:] == list(registry_rows(count=300, seed=2023))
    assert rows_a[1:] != rows_c[1:]


def test_generated_codes_are_valid_and_unique(ref):
    rows = list(registry_rows(count=300, seed=2023))
    regions = {r.code: r for r in models.Region.objects.all()}
    field_names = set(models.TestingField.objects.values_list("name", flat=True))
    usccs = [r[1] for r in rows]
    numbers = [r[4] for r in rows]
    assert len(set(usccs)) == 300 and len(set(numbers)) == 300
    for (name, uscc, region, fields, number, issued, until, authority, national, nature,
         contact, phone, address, credit, cnas, permit) in rows:
        assert name and contact and address.startswith(regions[region[:2] + "0000"].name)
        assert uscc_problem(uscc) is None
        assert uscc[2:8] == region
        assert regions[region].level in ("county", "city")
        assert uscc[:2] == ("12" if nature == "事业单位" else "91")
        assert certificate_number_problem(number) is None
        assert number[:2] == f"{issued.year % 100:02d}"
        assert number[4:6] == models.TestingField.objects.get(name=fields.split("；")[0]).code
        if number[2:4] == "00":
            assert authority == NATIONAL_AUTHORITY
        else:
            assert number[2:4] == region[:2]
            assert authority == regions[region[:2] + "0000"].name + "市场监督管理局"
        assert set(fields.split("；")) <= field_names and 1 <= len(fields.split("；")) <= 3
        assert until == valid_until_for(issued) and 2019 <= issued.year <= 2025
        assert national in ("是", "否") and cnas in ("是", "否")
        assert nature in ("事业单位", "国有企业", "民营企业", "外资企业", "其他")
        assert credit in "ABCD" and permit in ("一般程序", "告知承诺", "自我声明", "变更备案")
        assert phone.isdigit() and len(phone) == 11
    national_rows = [r for r in rows if r[8] == "是"]
    assert national_rows
    assert all(r[4][2:4] == "00" for r in national_rows)


def test_spread_over_provinces_and_fields(ref):
    rows = list(registry_rows(count=3000, seed=1))
    provinces = Counter(r[2][:2] for r in rows)
    assert "81" not in provinces and "82" not in provinces
    assert provinces.most_common(1)[0][0] in {"44", "32", "37", "33"}
    assert provinces["44"] > 5 * provinces.get("63", 0)
    credit = Counter(r[13] for r in rows)
    assert 0.45 < credit["A"] / 3000 < 0.65 and credit["D"] < credit["C"] < credit["B"]
    national = [r for r in rows if r[8] == "是"]
    assert 30 <= len(national) <= 50  # ~800 per 60,000


def test_national_centres_cover_key_fields_at_full_scale(ref):
    import random

    from loaders.registry.generator import KEY_FIELDS, _national_fields

    codes = sorted(models.TestingField.objects.values_list("code", flat=True))
    fields = _national_fields(random.Random(2023), 60000, codes)
    assert len(fields) == 800
    counts = Counter(fields)
    assert all(counts[f] >= 30 for f in KEY_FIELDS)


def test_province_restriction(ref):
    rows = list(registry_rows(count=50, seed=3, province="44"))
    assert {r[2][:2] for r in rows} == {"44"}


def test_valid_until_is_six_years_minus_a_day():
    from datetime import date

    assert valid_until_for(date(2020, 3, 1)) == date(2026, 2, 28)
    assert valid_until_for(date(2020, 2, 29)) == date(2026, 2, 28)
    assert valid_until_for(date(2023, 7, 15)) == date(2029, 7, 14)

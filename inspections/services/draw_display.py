"""Draw records in words: problems, exclusions, for the plan pages (staff and public)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from institutions.models import InstitutionStatus

from ..models import Draw


def problems_message(problems: list[dict]) -> str:
    """The translated sentences of several problems, joined by semicolons."""
    return "; ".join(describe_problem(p) for p in problems)


def describe_problem(p: dict) -> str:
    """A translated sentence for one ``DrawError`` problem."""
    reason = p.get("reason")
    where = p.get("stratum") or p.get("institution") or ""
    texts = {
        "quota_exceeds_stratum": _("stratum %(where)s: quota %(quota)s but only %(available)s "
                                   "institutions in the pool"),
        "centre_quota_exceeds_stratum": _("stratum %(where)s: national-centre quota %(quota)s "
                                          "but only %(available)s available"),
        "centre_quota_exceeds_pool": _("the national-centre quota exceeds the national centres "
                                       "in the pool"),
        "not_enough_other_institutions": _("stratum %(where)s: %(quota)s other institutions "
                                           "needed, %(available)s available"),
        "total_exceeds_pool": _("total %(total)s exceeds the %(available)s institutions "
                                "available"),
        "no_eligible_inspector_in_department": _("institution %(where)s: no eligible inspector "
                                                 "from department %(department)s"),
        "not_enough_eligible_inspectors": _("institution %(where)s: %(needed)s inspectors "
                                            "needed, only %(found)s eligible"),
    }
    text = texts.get(reason, reason or "")
    try:
        return text % {"where": where, **p}
    except (KeyError, TypeError):
        return f"{where}: {reason}"


def describe_exclusion(reason: str) -> str:
    """A translated label for an exclusion reason code of
    :func:`~inspections.services.draw_pools.institution_pool_build` (the code itself if
    unknown)."""
    if reason.startswith("status_") and reason[7:] in InstitutionStatus.values:
        return str(InstitutionStatus(reason[7:]).label)
    match = re.fullmatch(r"checked_within_(\d+)_months", reason)
    if match:
        n = int(match[1])
        return ngettext("checked in the last %(n)d month", "checked in the last %(n)d months",
                        n) % {"n": n}
    return str({"kind_not_in_plan": _("institution kind not in the plan"),
                "field_not_in_plan": _("testing field not in the plan"),
                "already_in_plan": _("already in the plan"),
                "certificate_level_not_in_plan": _("no valid certificate of the plan's level")}.get(reason, reason))


def draws_for_display(draws: list[Draw]) -> list[Draw]:
    """Set on each draw what its card shows in words: ``problem_texts`` (why a draw failed),
    ``exclusion_texts`` (``[(label, count)]``, what the pool left out) and ``source_texts``
    (``[(name, local time its value is published)]``, the declared external sources)."""
    for d in draws:
        d.source_texts = [(s["name"], timezone.localtime(
            dt.datetime.fromisoformat(s["known_at"].replace("Z", "+00:00"))))
            for s in d.external_sources or []]
        d.problem_texts = [describe_problem(p) for p in d.result.get("problems", [])]
        d.exclusion_texts = [(describe_exclusion(r), n) for r, n in d.exclusions.items()]
    return draws



"""What the spot-check cycle announces (``accounts.notifications``): the kinds and who gets them.

* ``task_assigned`` — each inspector drawn onto a team (seed 002 §五: the drawn teams carry out
  the checks), when the draw that put him there completes;
* ``rectification_ordered`` — the institution's users, when the result ordering it is approved
  (seed 002 §五(三)).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.notifications import kind_register, notify, notify_each

TASK_ASSIGNED = kind_register(
    "task_assigned",
    title=_("New inspection task: %(institution)s"),
    body=_("You were drawn onto the team inspecting %(institution)s under the plan "
           "“%(plan)s”; the check is due by %(deadline)s."),
    params=("institution", "plan", "deadline"))
RECTIFICATION_ORDERED = kind_register(
    "rectification_ordered",
    title=_("Rectification ordered, due %(deadline)s"),
    body=_("After the inspection under “%(plan)s”, %(institution)s is ordered to "
           "rectify by %(deadline)s: %(requirements)s"),
    params=("institution", "plan", "deadline", "requirements"))


def team_members_notify(draw, *, at: dt.datetime | None = None) -> int:
    """Tell every inspector the completed ``draw`` put on a team (with an account) about his
    task; returns how many notifications were created. Once per team membership."""
    from .models import TaskAssignment

    members = (TaskAssignment.objects.filter(draw=draw, active=True,
                                             inspector__user__isnull=False)
               .select_related("task__institution", "task__plan")
               .values_list("pk", "inspector__user_id", "task_id", "task__institution__name",
                            "task__plan__title", "task__deadline"))
    return len(notify_each(kind=TASK_ASSIGNED.code, at=at, items=[
        (user_id, f"task_assigned:assignment:{pk}",
         {"institution": name, "plan": title, "deadline": deadline.isoformat()},
         reverse("inspections:task_result", args=[task_id]))
        for pk, user_id, task_id, name, title, deadline in members]))


def rectification_ordered_notify(order, *, at: dt.datetime | None = None) -> int:
    """Tell the users of the order's institution about the rectification ``order``."""
    users = User.objects.filter(institution_id=order.institution_id, is_active=True)
    return len(notify(
        recipients=users, kind=RECTIFICATION_ORDERED.code,
        key=f"rectification_ordered:order:{order.pk}", at=at,
        url=reverse("inspections:rectification_respond", args=[order.pk]),
        params={"institution": order.institution.name, "plan": order.task.plan.title,
                "deadline": order.deadline.isoformat(), "requirements": order.requirements}))

"""Model permissions per role, kept as Django groups (one group per role).

The groups are (re)built after every ``migrate`` and a user joins his role's group on save.
Row-level scope is not here: it is each model's ``for_user`` selector (``accounts.scoping``).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from .models import Role

# app_label.model → actions, per role. Records with legal effect (draws, tasks, results,
# rectification orders, credit entries) are "view" only: they change through their services.
_REGULATOR = {
    "institutions.institution": "view add change",
    "institutions.authorizedsignatory": "view add change delete",
    "institutions.region": "view",
    "institutions.testingfield": "view",
    "qualifications.certificate": "view add change",
    "qualifications.testreportnumber": "view",
    "inspections.authority": "view",
    "inspections.inspector": "view add change",
    "inspections.recusal": "view add change",
    "inspections.checkitem": "view",
    "inspections.spotcheckplan": "view add change",
    "inspections.planquota": "view add change delete",
    "inspections.draw": "view",
    "inspections.drawselection": "view",
    "inspections.inspectiontask": "view",
    "inspections.taskassignment": "view",
    "inspections.inspectionresult": "view",
    "inspections.rectificationorder": "view",
    "inspections.selfinspectioncampaign": "view add change",
    "inspections.selfinspectionsubmission": "view",
    "inspections.integritypledge": "view",
    "credit.creditevent": "view",
    "credit.riskclassification": "view",
    "reports.report": "view add",
}
ROLE_PERMISSIONS: dict[str, dict[str, str]] = {
    Role.REGULATOR: _REGULATOR,
    Role.INSPECTOR: {
        "inspections.inspectiontask": "view",
        "inspections.inspectionresult": "view add",
        "inspections.rectificationorder": "view",
    },
    Role.INSTITUTION: {
        "inspections.selfinspectionsubmission": "view add change",
        "inspections.integritypledge": "view add",
        "inspections.rectificationorder": "view",
    },
}


def role_groups_sync(**kwargs) -> None:
    """Create or refresh one group per role with exactly the permissions listed above."""
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=f"role:{role}")
        perms = []
        for label, actions in grants.items():
            app_label, model = label.split(".")
            codenames = [f"{a}_{model}" for a in actions.split()]
            perms += list(Permission.objects.filter(content_type__app_label=app_label,
                                                    codename__in=codenames))
        group.permissions.set(perms)


def user_role_group_sync(user) -> None:
    """Put ``user`` in exactly his role's group."""
    role_groups = Group.objects.filter(name__startswith="role:")
    user.groups.remove(*role_groups.exclude(name=f"role:{user.role}"))
    group = role_groups.filter(name=f"role:{user.role}").first()
    if group is not None:
        user.groups.add(group)

"""Navigation per role, built from URL names; a link whose view does not exist yet is left out."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

PUBLIC_LINKS = [
    ("qualifications:certificate_check", _("Check a certificate")),
    ("qualifications:report_number_check", _("Check a test report number")),
    ("inspections:public_plan_list", _("Spot-check plans and results")),
]
ROLE_LINKS = {
    "regulator": [
        ("inspections:plan_manage_list", _("Plans and draws")),
        ("inspections:campaign_tracking_list", _("Self-inspection tracking")),
        ("inspections:rectification_list", _("Rectification")),
        ("reports:report_list", _("Reports")),
    ],
    "admin": [
        ("inspections:plan_manage_list", _("Plans and draws")),
        ("inspections:campaign_tracking_list", _("Self-inspection tracking")),
        ("reports:report_list", _("Reports")),
    ],
    "inspector": [("inspections:my_tasks", _("My tasks"))],
    "institution": [
        ("inspections:portal_home", _("Self-inspection and pledge")),
        ("inspections:rectification_list", _("Rectification")),
    ],
}


def _links(pairs):
    out = []
    for name, label in pairs:
        try:
            out.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return out


def navigation(request):
    """Template context ``nav_public`` and ``nav_role``: lists of ``{"url", "label"}``."""
    user = getattr(request, "user", None)
    role_links = []
    if user is not None and user.is_authenticated:
        role = "admin" if user.is_platform_admin else user.role
        role_links = _links(ROLE_LINKS.get(role, []))
    return {"nav_public": _links(PUBLIC_LINKS), "nav_role": role_links}

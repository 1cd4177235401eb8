"""Navigation per role, built from URL names (a link whose view does not exist yet is left out),
and the language switcher's return address."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import gettext_lazy as _

PUBLIC_LINKS = [
    ("qualifications:certificate_check", _("Check a certificate")),
    ("qualifications:report_number_check", _("Check a test report number")),
    ("inspections:public_plan_list", _("Spot-check plans and results")),
]
ROLE_LINKS = {
    "regulator": [
        ("inspections:plan_manage_list", _("Plans and draws")),
        ("inspections:review_queue", _("Results to review")),
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


def language_switch(request):
    """Template context ``language_switch_next``: the current page's address in the default
    language (``/inspections/…`` for ``/en/inspections/…``), the switcher's ``next``.

    Django's ``set_language`` view answers in the default language, where only such an address
    resolves; it then translates it into the chosen language, so the switch works both ways.
    """
    return {"language_switch_next": translate_url(request.get_full_path(),
                                                  settings.LANGUAGE_CODE)}


def inbox(request):
    """Template context ``inbox_unread``: the signed-in user's unread notifications (one
    indexed count), for the top bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    from .models import Notification

    return {"inbox_unread": Notification.objects.for_user(user).unread().count()}

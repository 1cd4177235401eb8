from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Spot checks")

    def ready(self):
        from . import notifications  # noqa: F401 - registers the notification kinds

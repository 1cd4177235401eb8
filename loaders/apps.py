from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoadersConfig(AppConfig):
    """The top layer: reference data, the registry workbook (generate, import, export) and the
    demo cycle. They write across the domain apps, so they sit above them all and no domain app
    imports them."""

    name = "loaders"
    verbose_name = _("Registry workbook and reference data")

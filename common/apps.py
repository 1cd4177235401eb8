from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The bottom layer: plumbing that no domain app owns (admin mixins, rate limits, the
    garbage-collector pause, the signed public ledger's primitives). It imports no domain app."""

    name = "common"
    verbose_name = _("Platform plumbing")

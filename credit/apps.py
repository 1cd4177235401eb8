from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("Credit")

    def ready(self):
        """Subscribe to the inspection cycle: published results write their credit effect, and
        the draw reads credit risk classes from here (``inspections.services.draw_pools``)."""
        from inspections.services.draw_pools import risk_class_source_set
        from inspections.signals import result_published

        from .receivers import on_result_published
        from .selectors import latest_risk_classes

        result_published.connect(on_result_published, dispatch_uid="credit_result_published")
        risk_class_source_set(latest_risk_classes)

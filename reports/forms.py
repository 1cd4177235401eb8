"""Forms of the reports pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import SpotCheckPlan


class ReportRequestForm(forms.Form):
    """Pick one of the plans ``user`` may see (``SpotCheckPlan.objects.for_user``)."""

    plan = forms.ModelChoiceField(label=_("Plan"), queryset=SpotCheckPlan.objects.none(),
                                  empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = SpotCheckPlan.objects.for_user(user).order_by(
            "-year", "title")

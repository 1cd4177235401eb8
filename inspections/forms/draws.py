"""Forms of the plan page: declaring external sources, entering their values, replacements.

The forms shape input; the rules (sources published after the commit, values normalised, who
requests and who approves) live in ``inspections.services.draws`` and
``inspections.services.replacements`` (docs/draw.md §3, §7).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ReplacementReason
from ..models.replacements import INSPECTOR_REASONS, INSTITUTION_REASONS

SOURCE_ROWS = 3


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ExternalSourcesForm(forms.Form):
    """Up to three declared sources: where the value will be published, and when.

    ``sources()`` gives the service's shape ``[{"name", "known_at"}]`` (empty rows left out).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(SOURCE_ROWS):
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Source %(n)d") % {"n": i + 1}, required=i == 0, max_length=200,
                widget=forms.TextInput(attrs={"placeholder": _(
                    "e.g. 中国福利彩票双色球第2023118期开奖号码")}))
            self.fields[f"known_at_{i}"] = forms.DateTimeField(
                label=_("Source %(n)d published at") % {"n": i + 1}, required=i == 0,
                widget=DateTimeInput,
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])

    def rows(self):
        return [(self[f"name_{i}"], self[f"known_at_{i}"]) for i in range(SOURCE_ROWS)]

    def sources(self) -> list[dict]:
        out = []
        for i in range(SOURCE_ROWS):
            name = self.cleaned_data.get(f"name_{i}")
            known_at = self.cleaned_data.get(f"known_at_{i}")
            if name or known_at:
                out.append({"name": name or "", "known_at": known_at})
        return out


class ExternalValuesForm(forms.Form):
    """One field per declared source of ``draw``, for the value as published."""

    def __init__(self, *args, draw, **kwargs):
        super().__init__(*args, **kwargs)
        self.draw = draw
        for i, source in enumerate(draw.external_sources or []):
            self.fields[f"value_{i}"] = forms.CharField(label=source["name"], max_length=400)

    def values(self) -> list[str]:
        return [self.cleaned_data[f"value_{i}"]
                for i in range(len(self.draw.external_sources or []))]


class ReplacementRequestForm(forms.Form):
    """Why a drawn institution (or team member) is to be replaced, and the evidence."""

    reason = forms.ChoiceField(label=_("Reason"))
    evidence = forms.CharField(
        label=_("Evidence"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The document and its number and date, the notice, or the declaration."))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = INSTITUTION_REASONS if kind == "institution" else INSPECTOR_REASONS
        self.fields["reason"].choices = [(r.value, ReplacementReason(r).label) for r in reasons]


class ReplacementRejectForm(forms.Form):
    note = forms.CharField(label=_("Reason for the rejection"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

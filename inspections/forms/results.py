"""Forms of results: recording, correcting and reviewing (seed 002 §五(三)).

The forms only shape input; the rules live in ``inspections.services.results`` and
``inspections.services.review``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FollowUpMeasure, ResultCategory


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ResultForm(forms.Form):
    """The result of an inspection task (seed 002 §五(三))."""

    category = forms.ChoiceField(label=_("Result"),
                                 choices=[("", "---------"), *ResultCategory.choices])
    follow_up = forms.ChoiceField(label=_("Follow-up measure"), choices=FollowUpMeasure.choices,
                                  initial=FollowUpMeasure.NONE)
    findings = forms.CharField(label=_("Findings"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("Required when a problem was found."))
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput)
    rectification_deadline = forms.DateField(label=_("Rectification deadline"), required=False,
                                             widget=DateInput)
    rectification_requirements = forms.CharField(
        label=_("Rectification requirements"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(ResultForm):
    """A correction (更正) of a published result: the new content and why."""

    correction_reason = forms.CharField(
        label=_("Reason for the correction"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Published with the corrected result."))

    field_order = ["correction_reason"]


class ReviewForm(forms.Form):
    """The reviewer's note: required to return a result, optional to approve it."""

    review_note = forms.CharField(label=_("Review note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

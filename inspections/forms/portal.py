"""Forms of the institution portal and the rectification pages.

The forms only shape input; the rules live in ``inspections.services`` (seed 002 §四, §五(三)).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SelfInspectionAnswer


class SelfInspectionForm(forms.Form):
    """One radio (yes / no / not applicable) and one remark per focus item (seed 002 §四).

    Fields are ``answer_<i>`` and ``remark_<i>``; :meth:`answers` returns the service's shape.
    """

    def __init__(self, *args, focus_items: list[str], initial_answers: list[dict] | None = None,
                 read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.focus_items = focus_items
        initial_answers = initial_answers or []
        for i, _item in enumerate(focus_items):
            given = initial_answers[i] if i < len(initial_answers) else {}
            self.fields[f"answer_{i}"] = forms.ChoiceField(
                label=_("Answer"), choices=SelfInspectionAnswer.choices, required=False,
                widget=forms.RadioSelect, initial=given.get("answer") or None,
                disabled=read_only)
            self.fields[f"remark_{i}"] = forms.CharField(
                label=_("Remark"), required=False, max_length=2000, initial=given.get("remark"),
                disabled=read_only,
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": _(
                    "Required when the answer is no: the problem and its rectification")}))

    def items(self) -> list[dict]:
        """``[{"number", "text", "answer", "remark" (bound fields), "answer_label"}]``."""
        labels = dict(SelfInspectionAnswer.choices)
        return [{"number": i + 1, "text": text, "answer": self[f"answer_{i}"],
                 "remark": self[f"remark_{i}"],
                 "answer_label": labels.get(self[f"answer_{i}"].value(), "")}
                for i, text in enumerate(self.focus_items)]

    def answers(self) -> list[dict]:
        """The cleaned answers: ``[{"answer": "yes"|"no"|"na"|"", "remark": str}, ...]``."""
        return [{"answer": self.cleaned_data.get(f"answer_{i}") or "",
                 "remark": self.cleaned_data.get(f"remark_{i}") or ""}
                for i in range(len(self.focus_items))]


class PledgeForm(forms.Form):
    """Who signs the integrity pledge, and the confirmation that he has read it."""

    signatory_name = forms.CharField(label=_("Name of the person signing"), max_length=64)
    signatory_title = forms.CharField(label=_("Title"), max_length=64,
                                      help_text=_("For example: legal representative, director"))
    confirm = forms.BooleanField(
        label=_("I have read the pledge and sign it on behalf of the institution."))


class RectificationResponseForm(forms.Form):
    """The institution's answer to a rectification order."""

    response = forms.CharField(
        label=_("Rectification carried out"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _(
            "What was corrected, how, and the evidence kept")}))


def errors_to_form(form: forms.Form, exc) -> None:
    """Put a service ``ValidationError`` on ``form``: known fields on the field, the rest on top."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)

"""Forms of the public check pages (submitted with GET, so results can be linked and shared)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .validators import certificate_number_problem


class CertificateCheckForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"), max_length=32,
        help_text=_("12 digits, as printed on the certificate."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                      "placeholder": "224407120001"}))

    def clean_number(self) -> str:
        """Strip spaces; a malformed number is an error naming the problem (validators.py)."""
        number = "".join(self.cleaned_data["number"].split())
        problem = certificate_number_problem(number)
        if problem:
            raise forms.ValidationError(
                _("Invalid certificate number: %(problem)s"), code="invalid_certificate_number",
                params={"problem": problem})
        return number


class ReportNumberCheckForm(forms.Form):
    number = forms.CharField(
        label=_("Test report number"), max_length=64,
        help_text=_("As printed on the test report."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))


class InstitutionLookupForm(forms.Form):
    q = forms.CharField(
        label=_("Institution name or unified social credit code"), min_length=2, max_length=200,
        help_text=_("Words of the name, separated by spaces (at least 2 characters), or the "
                    "full 18-character code."))

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

"""Forms of the staff pages, the inspector's pages and the institution portal."""

from .draws import (
    ExternalSourcesForm,
    ExternalValuesForm,
    ReplacementRejectForm,
    ReplacementRequestForm,
)
from .portal import PledgeForm, RectificationResponseForm, SelfInspectionForm, errors_to_form
from .results import CorrectionForm, ResultForm, ReviewForm

__all__ = [
    "ExternalSourcesForm", "ExternalValuesForm", "ReplacementRejectForm",
    "ReplacementRequestForm", "PledgeForm", "RectificationResponseForm", "SelfInspectionForm",
    "errors_to_form", "CorrectionForm", "ResultForm", "ReviewForm",
]

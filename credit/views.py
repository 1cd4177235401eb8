"""Credit file pages (信用档案) for regulators and for the institution itself.

Source: seed 001 §三(三) (credit files); seed 002 §三(三) (credit risk classification).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import INSTITUTIONS, STAFF, audience_required, scoped_get
from institutions.models import Institution

from .selectors import credit_events_for, risk_class_map

PAGE_SIZE = 50


@audience_required(*STAFF, *INSTITUTIONS)
def institution_credit(request, pk: int):
    """One institution's credit file: current risk class and its credit events, newest first
    (superseded events shown as corrected)."""
    user = request.user
    institution = scoped_get(user, Institution.objects, pk=pk)
    events = credit_events_for(institution=institution, user=user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    risk_class = risk_class_map(institution_ids=[institution.pk]).get(
        institution.pk, institution.credit_class)
    return render(request, "credit/institution_credit.html",
                  {"institution": institution, "page": page, "risk_class": risk_class})

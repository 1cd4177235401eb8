"""Credit file pages (信用档案) for regulators and for the institution itself.

Source: seed 001 §三(三) (credit files); seed 002 §三(三) (credit risk classification).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.scoping import region_prefix_for
from institutions.models import Institution

from .selectors import credit_events_for, risk_class_map

PAGE_SIZE = 50


@login_required
def institution_credit(request, pk: int):
    """One institution's credit file: current risk class and its credit events, newest first."""
    user = request.user
    if region_prefix_for(user) is None and not user.is_institution_user:
        raise PermissionDenied(_("This page is for regulators and institutions."))
    institution = get_object_or_404(Institution.objects.for_user(user), pk=pk)
    events = credit_events_for(institution=institution, user=user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    risk_class = risk_class_map(institution_ids=[institution.pk]).get(
        institution.pk, institution.credit_class)
    return render(request, "credit/institution_credit.html",
                  {"institution": institution, "page": page, "risk_class": risk_class})

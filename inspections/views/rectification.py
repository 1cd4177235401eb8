"""Rectification orders: the institution answers, the regulator accepts.

Source: seed 002 §五(三) (problems found lead to rectification orders with a deadline).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import INSTITUTIONS, REGULATORS, STAFF, audience_required, scoped_get
from accounts.scoping import Audience
from common import clock

from ..forms import RectificationResponseForm, errors_to_form
from ..models import RectificationOrder, RectificationStatus
from ..services.rectification import rectification_accept as rectification_accept_service
from ..services.rectification import rectification_respond as rectification_respond_service

PAGE_SIZE = 50


def _orders(user):
    return RectificationOrder.objects.select_related("institution__region", "task__plan")


@audience_required(*STAFF, *INSTITUTIONS)
def rectification_list(request):
    """Regulator: orders in his region (accept answered ones). Institution: its own orders."""
    user = request.user
    is_regulator = request.audience is Audience.REGULATOR
    orders = _orders(user).for_user(user).order_by("deadline", "pk")
    status = request.GET.get("status", "")
    if status in RectificationStatus.values:
        orders = orders.filter(status=status)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/rectification/list.html", {
        "page": page, "status": status, "statuses": RectificationStatus.choices,
        "is_regulator": is_regulator, "today": clock.today(),
        "form": RectificationResponseForm() if user.is_institution_user else None})


@audience_required(*INSTITUTIONS)
def rectification_respond(request, pk: int):
    """The institution's answer to one order (may be revised until accepted)."""
    user = request.user
    order = scoped_get(user, _orders(user), pk=pk)
    form = RectificationResponseForm(request.POST or None,
                                     initial={"response": order.response})
    if request.method == "POST" and form.is_valid():
        try:
            rectification_respond_service(order=order, user=user,
                                          response=form.cleaned_data["response"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your response has been sent to the regulator."))
            return redirect("inspections:rectification_list")
    return render(request, "inspections/rectification/respond.html",
                  {"order": order, "form": form})


@audience_required(*REGULATORS)
@require_POST
def rectification_accept(request, pk: int):
    """A regulator accepts the institution's response and closes the order."""
    user = request.user
    order = scoped_get(user, _orders(user), pk=pk)
    try:
        rectification_accept_service(order=order, user=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Rectification of %(name)s accepted.")
                         % {"name": order.institution.name})
    return redirect("inspections:rectification_list")

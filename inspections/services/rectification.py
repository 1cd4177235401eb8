"""Rectification orders: the institution answers, a regulator of its region accepts.

Orders are issued and withdrawn by the review of results (``inspections.services.review``).
Source: seed 002 §五(三) (problems found lead to rectification orders with a deadline).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import Audience, audience_of
from common import clock
from common.audit import acts

from ..models import RectificationOrder, RectificationStatus


@acts
@transaction.atomic
def rectification_respond(*, order: RectificationOrder, response: str, user,
                          now: dt.datetime | None = None) -> RectificationOrder:
    """The institution answers a rectification order; the order becomes ``responded``.

    Only an institution user of the order's institution; the response may be revised until the
    regulator accepts it. Raises ``PermissionDenied``; ``ValidationError`` naming ``response``
    (blank) or ``status`` (accepted or withdrawn). Source: seed 002 §五(三).
    """
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    if not (audience_of(user) is Audience.INSTITUTION
            and user.institution_id == order.institution_id):
        raise PermissionDenied(_("Only a user of this institution may answer the order."))
    if order.status == RectificationStatus.ACCEPTED:
        raise ValidationError({"status": _("This order has been accepted and is closed.")})
    if order.status == RectificationStatus.WITHDRAWN:
        raise ValidationError({"status": _("This order was withdrawn after a correction.")})
    if not (response or "").strip():
        raise ValidationError({"response": _("Describe the rectification carried out.")})
    order.response = response.strip()
    order.responded_at = now or clock.now()
    order.status = RectificationStatus.RESPONDED
    order.save(update_fields=["response", "responded_at", "status"])
    return order


@acts
@transaction.atomic
def rectification_accept(*, order: RectificationOrder, user,
                         now: dt.datetime | None = None) -> RectificationOrder:
    """A regulator accepts the institution's response: ``accepted``, ``closed_at`` = now.

    Only a regulator whose region holds the order's institution; nothing else is written (no
    credit event). Raises ``PermissionDenied``; ``ValidationError`` naming ``status`` unless the
    order has been responded to. Source: seed 002 §五(三).
    """
    if audience_of(user) is not Audience.REGULATOR or not RectificationOrder.objects.for_user(
            user).filter(pk=order.pk).exists():
        raise PermissionDenied(_("Only a regulator responsible for this institution may accept."))
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != RectificationStatus.RESPONDED:
        raise ValidationError({"status": _("Only an order the institution has answered can be "
                                           "accepted.")})
    order.status = RectificationStatus.ACCEPTED
    order.closed_at = now or clock.now()
    order.save(update_fields=["status", "closed_at"])
    return order

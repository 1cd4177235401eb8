"""rectification_respond / rectification_accept: the institution answers, the regulator in scope
accepts; acceptance writes nothing else (seed 002 §五(三))."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credit.models import CreditEvent
from inspections.services.rectification import rectification_accept, rectification_respond

pytestmark = pytest.mark.django_db


def test_the_institution_responds(order, institution_user):
    rectification_respond(order=order, response="已补齐原始记录", user=institution_user)
    order.refresh_from_db()
    assert (order.status, order.response) == ("responded", "已补齐原始记录")
    assert order.responded_at is not None


def test_it_lets_the_institution_revise_before_acceptance(order, institution_user):
    rectification_respond(order=order, response="第一稿", user=institution_user)
    rectification_respond(order=order, response="第二稿", user=institution_user)
    order.refresh_from_db()
    assert order.response == "第二稿"


def test_it_requires_a_response(order, institution_user):
    with pytest.raises(ValidationError) as exc:
        rectification_respond(order=order, response=" ", user=institution_user)
    assert "response" in exc.value.message_dict


def test_it_rejects_a_response_from_another_institution(order, other_institution_user):
    with pytest.raises(PermissionDenied):
        rectification_respond(order=order, response="x", user=other_institution_user)


def test_it_rejects_a_response_from_a_regulator(order, regulator):
    with pytest.raises(PermissionDenied):
        rectification_respond(order=order, response="x", user=regulator)


def test_the_regulator_accepts_and_nothing_else_is_written(order, institution_user, regulator):
    rectification_respond(order=order, response="已整改", user=institution_user)
    events = CreditEvent.objects.count()
    rectification_accept(order=order, user=regulator)
    order.refresh_from_db()
    assert order.status == "accepted" and order.closed_at is not None
    assert CreditEvent.objects.count() == events


def test_it_rejects_accepting_an_unanswered_order(order, regulator):
    with pytest.raises(ValidationError) as exc:
        rectification_accept(order=order, user=regulator)
    assert "status" in exc.value.message_dict


def test_it_rejects_a_response_after_acceptance(order, institution_user, regulator):
    rectification_respond(order=order, response="已整改", user=institution_user)
    rectification_accept(order=order, user=regulator)
    with pytest.raises(ValidationError) as exc:
        rectification_respond(order=order, response="再改", user=institution_user)
    assert "status" in exc.value.message_dict


def test_it_rejects_acceptance_by_a_regulator_of_another_region(order, institution_user,
                                                                 outsider_regulator):
    rectification_respond(order=order, response="已整改", user=institution_user)
    with pytest.raises(PermissionDenied):
        rectification_accept(order=order, user=outsider_regulator)


def test_it_rejects_acceptance_by_the_institution(order, institution_user):
    rectification_respond(order=order, response="已整改", user=institution_user)
    with pytest.raises(PermissionDenied):
        rectification_accept(order=order, user=institution_user)

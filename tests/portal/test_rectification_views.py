"""inspections:rectification_list, rectification_respond, rectification_accept."""

import pytest
from django.urls import reverse

from inspections.models import RectificationOrder
from inspections.services.rectification import rectification_respond

pytestmark = pytest.mark.django_db
LIST = reverse("inspections:rectification_list")


def respond_url(order):
    return reverse("inspections:rectification_respond", args=[order.pk])


def accept_url(order):
    return reverse("inspections:rectification_accept", args=[order.pk])


def responded(order, user):
    rectification_respond(order=order, response="已补齐", user=user)
    return order


def test_the_institution_sees_its_orders_with_a_respond_form(client_as, order, institution_user):
    r = client_as(institution_user).get(LIST)
    assert r.status_code == 200 and list(r.context["page"]) == [order]
    assert respond_url(order) in r.content.decode()


def test_another_institution_sees_none(client_as, order, other_institution_user):
    assert list(client_as(other_institution_user).get(LIST).context["page"]) == []


def test_the_regulator_sees_an_accept_button_on_answered_orders(client_as, order, regulator,
                                                                 institution_user):
    responded(order, institution_user)
    r = client_as(regulator).get(LIST)
    assert list(r.context["page"]) == [order] and accept_url(order) in r.content.decode()


def test_an_outsider_regulator_sees_none(client_as, order, outsider_regulator):
    assert list(client_as(outsider_regulator).get(LIST).context["page"]) == []


def test_the_list_filters_by_status(client_as, order, regulator):
    assert list(client_as(regulator).get(LIST + "?status=accepted").context["page"]) == []


def test_the_list_forbids_an_inspector(client_as, inspector_user):
    assert client_as(inspector_user).get(LIST).status_code == 403


def test_the_list_pins_the_query_count(client_as, order, regulator,
                                       django_assert_max_num_queries):
    client = client_as(regulator)
    with django_assert_max_num_queries(6):
        assert client.get(LIST).status_code == 200


def test_the_institution_responds(client_as, order, institution_user):
    client = client_as(institution_user)
    assert client.get(respond_url(order)).status_code == 200
    r = client.post(respond_url(order), {"response": "已补齐原始记录"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "responded"


def test_another_institution_gets_404_on_respond(client_as, order, other_institution_user):
    r = client_as(other_institution_user).post(respond_url(order), {"response": "x"})
    assert r.status_code == 404


def test_a_regulator_may_not_respond(client_as, order, regulator):
    assert client_as(regulator).post(respond_url(order), {"response": "x"}).status_code == 403


def test_the_regulator_accepts(client_as, order, regulator, institution_user):
    responded(order, institution_user)
    assert client_as(regulator).post(accept_url(order)).status_code == 302
    assert RectificationOrder.objects.get().status == "accepted"


def test_accepting_an_unanswered_order_shows_an_error(client_as, order, regulator):
    r = client_as(regulator).post(accept_url(order), follow=True)
    assert r.status_code == 200 and list(r.context["messages"])
    assert RectificationOrder.objects.get().status == "open"


def test_an_outsider_regulator_gets_404_on_accept(client_as, order, outsider_regulator,
                                                  institution_user):
    responded(order, institution_user)
    assert client_as(outsider_regulator).post(accept_url(order)).status_code == 404


def test_the_institution_may_not_accept(client_as, order, institution_user):
    responded(order, institution_user)
    assert client_as(institution_user).post(accept_url(order)).status_code == 403


def test_accept_needs_post(client_as, order, regulator):
    assert client_as(regulator).get(accept_url(order)).status_code == 405

"""credit:institution_credit — one institution's credit file."""

import datetime as dt

import pytest
from django.urls import reverse

from credit.models import RiskClassification
from credit.services import credit_event_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(institution):
    return credit_event_record(institution=institution, kind="penalty",
                               occurred_on=dt.date(2023, 11, 1), description="罚款一万元")


def url(institution):
    return reverse("credit:institution_credit", args=[institution.pk])


def test_the_regulator_sees_the_events_and_the_latest_class(client_as, event, institution,
                                                            regulator):
    RiskClassification.objects.create(institution=institution, risk_class="C",
                                      assessed_on=dt.date(2023, 1, 1))
    r = client_as(regulator).get(url(institution))
    assert r.status_code == 200 and "罚款一万元" in r.content.decode()
    assert r.context["risk_class"] == "C"


def test_the_institution_sees_its_own_file(client_as, event, institution, institution_user):
    assert client_as(institution_user).get(url(institution)).status_code == 200


def test_an_outsider_regulator_gets_404(client_as, event, institution, outsider_regulator):
    assert client_as(outsider_regulator).get(url(institution)).status_code == 404


def test_another_institution_gets_404(client_as, event, institution, other_institution_user):
    assert client_as(other_institution_user).get(url(institution)).status_code == 404


def test_it_forbids_an_inspector(client_as, event, institution, inspector_user):
    assert client_as(inspector_user).get(url(institution)).status_code == 403


def test_it_pins_the_query_count(client_as, institution, regulator,
                                 django_assert_max_num_queries):
    for n in range(10):
        credit_event_record(institution=institution, kind="penalty",
                            occurred_on=dt.date(2023, 11, 1), description=f"事件{n}")
    client = client_as(regulator)
    with django_assert_max_num_queries(8):
        assert client.get(url(institution)).status_code == 200

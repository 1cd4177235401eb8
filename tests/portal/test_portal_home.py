"""inspections:portal_home — the institution's campaigns and open rectification orders."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import PlanStatus, SpotCheckPlan
from inspections.services.campaigns import pledge_sign

pytestmark = pytest.mark.django_db
URL = reverse("inspections:portal_home")


def test_it_shows_the_campaign_status_and_countdown(client_as, campaign, institution_user):
    campaign.due = timezone.localdate() + dt.timedelta(days=5)
    campaign.save()
    pledge_sign(campaign=campaign, institution=institution_user.institution,
                user=institution_user, signatory_name="王", signatory_title="主任")
    r = client_as(institution_user).get(URL)
    assert r.status_code == 200
    row = r.context["rows"][0]
    assert (row["status"], row["pledge"], row["countdown"]["days_left"]) == (
        "missing", "signed", 5)
    assert campaign.title in r.content.decode()


def test_it_shows_open_rectification_orders_of_the_own_institution_only(
        client_as, order, institution_user, other_institution_user):
    assert list(client_as(institution_user).get(URL).context["orders"]) == [order]
    assert list(client_as(other_institution_user).get(URL).context["orders"]) == []


def test_it_hides_campaigns_of_draft_plans(client_as, campaign, institution_user):
    SpotCheckPlan.objects.filter(pk=campaign.plan_id).update(status=PlanStatus.DRAFT)
    assert client_as(institution_user).get(URL).context["rows"] == []


def test_it_marks_a_drawn_institution(client_as, campaign, task, institution_user,
                                      other_institution_user):
    assert client_as(institution_user).get(URL).context["rows"][0]["drawn"]
    assert not client_as(other_institution_user).get(URL).context["rows"][0]["drawn"]


def test_it_forbids_a_regulator(client_as, regulator):
    assert client_as(regulator).get(URL).status_code == 403


def test_it_sends_the_public_to_login(client_as):
    assert client_as(None).get(URL).status_code == 302


def test_it_pins_the_query_count(client_as, order, institution_user,
                                 django_assert_max_num_queries):
    client = client_as(institution_user)
    with django_assert_max_num_queries(9):
        assert client.get(URL).status_code == 200

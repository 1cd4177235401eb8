"""inspections:pledge_sign — show and sign the integrity pledge (seed 002 §四, attachment 2)."""

import pytest
from django.urls import reverse

from inspections.models import IntegrityPledge

pytestmark = pytest.mark.django_db
DATA = {"signatory_name": "王法人", "signatory_title": "法定代表人", "confirm": "on"}


def url(campaign):
    return reverse("inspections:pledge_sign", args=[campaign.pk])


def test_it_shows_the_pledge_text(client_as, campaign, institution_user):
    r = client_as(institution_user).get(url(campaign))
    assert r.status_code == 200 and campaign.pledge_text in r.content.decode()


def test_it_signs(client_as, campaign, institution_user):
    r = client_as(institution_user).post(url(campaign), DATA)
    assert r.status_code == 302
    assert IntegrityPledge.objects.get().signatory_name == "王法人"


def test_it_requires_the_confirmation(client_as, campaign, institution_user):
    r = client_as(institution_user).post(url(campaign), DATA | {"confirm": ""})
    assert r.status_code == 200 and "confirm" in r.context["form"].errors
    assert not IntegrityPledge.objects.exists()


def test_it_shows_a_signed_pledge_and_refuses_a_second(client_as, campaign, institution_user):
    client = client_as(institution_user)
    client.post(url(campaign), DATA)
    r = client.post(url(campaign), DATA | {"signatory_name": "另一人"})
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert IntegrityPledge.objects.count() == 1
    assert "王法人" in client.get(url(campaign)).content.decode()


def test_another_institution_signs_its_own(client_as, campaign, institution_user,
                                           other_institution_user):
    client_as(institution_user).post(url(campaign), DATA)
    r = client_as(other_institution_user).get(url(campaign))
    assert r.status_code == 200 and r.context["pledge"] is None


def test_it_forbids_a_regulator(client_as, campaign, regulator):
    assert client_as(regulator).post(url(campaign), DATA).status_code == 403
    assert not IntegrityPledge.objects.exists()


def test_it_gives_404_for_an_unknown_campaign(client_as, institution_user):
    assert client_as(institution_user).get(
        reverse("inspections:pledge_sign", args=[999999])).status_code == 404

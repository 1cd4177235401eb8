"""pledge_sign: one signed pledge per institution and campaign (seed 002 §四, attachment 2)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.models import IntegrityPledge
from inspections.services.campaigns import pledge_sign

pytestmark = pytest.mark.django_db


def sign(campaign, institution, user, name="王法人", title="法定代表人"):
    return pledge_sign(campaign=campaign, institution=institution, signatory_name=name,
                       signatory_title=title, user=user)


def test_it_stores_the_pledge_text_as_signed(campaign, institution, institution_user):
    pledge = sign(campaign, institution, institution_user)
    campaign.pledge_text = "改过的承诺书"
    campaign.save()
    pledge.refresh_from_db()
    assert pledge.pledge_text.startswith("本机构郑重承诺")
    assert pledge.signed_at is not None and pledge.signed_by == institution_user
    assert (pledge.signatory_name, pledge.signatory_title) == ("王法人", "法定代表人")


def test_it_rejects_a_second_pledge(campaign, institution, institution_user):
    sign(campaign, institution, institution_user)
    with pytest.raises(ValidationError) as exc:
        sign(campaign, institution, institution_user, name="另一人")
    assert "pledge" in exc.value.message_dict
    assert IntegrityPledge.objects.filter(institution=institution).count() == 1


def test_it_requires_name_and_title(campaign, institution, institution_user):
    with pytest.raises(ValidationError) as exc:
        sign(campaign, institution, institution_user, name=" ", title="")
    assert {"signatory_name", "signatory_title"} <= set(exc.value.message_dict)


def test_it_rejects_a_user_of_another_institution(campaign, institution, other_institution_user):
    with pytest.raises(PermissionDenied):
        sign(campaign, institution, other_institution_user)


def test_it_rejects_an_inspector(campaign, institution, inspector_user):
    with pytest.raises(PermissionDenied):
        sign(campaign, institution, inspector_user)

"""credit_event_record, credit_events_for and risk_class_map (seed 002 §三(三))."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from credit.models import RiskClassification
from credit.selectors import credit_events_for, risk_class_map
from credit.services import credit_event_record
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 11, 1)


def test_it_records_an_event(institution, regulator):
    event = credit_event_record(institution=institution, kind="penalty", occurred_on=DAY,
                                description=" 罚款 ", user=regulator)
    assert (event.kind, event.description, event.is_public, event.recorded_by) == (
        "penalty", "罚款", True, regulator)


def test_it_rejects_an_unknown_kind_and_a_blank_description(institution):
    with pytest.raises(ValidationError) as exc:
        credit_event_record(institution=institution, kind="praise", occurred_on=DAY,
                            description="")
    assert {"kind", "description"} <= set(exc.value.message_dict)


def test_it_rejects_a_task_of_another_institution(other_institution, task):
    with pytest.raises(ValidationError) as exc:
        credit_event_record(institution=other_institution, kind="penalty", occurred_on=DAY,
                            description="x", source_task=task)
    assert "source_task" in exc.value.message_dict


def test_events_are_scoped(institution, regulator, outsider_regulator, institution_user,
                           other_institution_user):
    credit_event_record(institution=institution, kind="penalty", occurred_on=DAY,
                        description="罚款")
    assert credit_events_for(institution=institution, user=regulator).count() == 1
    assert credit_events_for(institution=institution, user=institution_user).count() == 1
    assert credit_events_for(institution=institution, user=outsider_regulator).count() == 0
    assert credit_events_for(institution=institution, user=other_institution_user).count() == 0


def test_risk_class_map_gives_the_latest_class_in_one_query(
        institution, other_institution, django_assert_num_queries):
    third = InstitutionFactory()
    for inst, day, cls in ((institution, dt.date(2022, 1, 1), "A"),
                           (institution, dt.date(2023, 1, 1), "C"),
                           (other_institution, dt.date(2023, 1, 1), "B"),
                           (other_institution, dt.date(2022, 6, 1), "D")):
        RiskClassification.objects.create(institution=inst, risk_class=cls, assessed_on=day)
    with django_assert_num_queries(1):
        got = risk_class_map(institution_ids=[institution.pk, other_institution.pk, third.pk])
    assert got == {institution.pk: "C", other_institution.pk: "B"}


def test_risk_class_map_of_nothing_is_empty(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert risk_class_map(institution_ids=[]) == {}

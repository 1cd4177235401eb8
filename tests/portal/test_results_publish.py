"""results_publish: a regulator publishes the recorded results of a plan in his region
(一公开, seed 002 §五(三))."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from inspections.models import InspectionResult
from inspections.services.results import result_record, results_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_results(task, other_task, inspector_user, admin_user):
    for t, user in ((task, inspector_user), (other_task, admin_user)):
        result_record(task=t, category="no_problem", follow_up="none", findings="",
                      checked_on=dt.date(2023, 11, 1), user=user)


def test_it_publishes_the_results_in_the_regulators_region(plan, two_results, task, regulator):
    assert results_publish(plan=plan, user=regulator) == 1
    assert InspectionResult.objects.get(task=task).published
    assert InspectionResult.objects.filter(published=False).count() == 1


def test_it_counts_only_newly_published_results(plan, two_results, admin_user):
    assert results_publish(plan=plan, user=admin_user) == 2
    assert results_publish(plan=plan, user=admin_user) == 0


def test_it_keeps_history(plan, two_results, task, regulator):
    results_publish(plan=plan, user=regulator)
    latest = InspectionResult.objects.get(task=task).history.first()
    assert latest.published and latest.history_user == regulator


def test_it_rejects_an_inspector(plan, two_results, inspector_user):
    with pytest.raises(PermissionDenied):
        results_publish(plan=plan, user=inspector_user)


def test_it_rejects_an_institution_user(plan, two_results, institution_user):
    with pytest.raises(PermissionDenied):
        results_publish(plan=plan, user=institution_user)

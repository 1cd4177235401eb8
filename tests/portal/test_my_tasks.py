"""inspections:my_tasks — the inspector's active tasks with institution, plan, deadline, team."""

import datetime as dt

import pytest
from django.urls import reverse

from inspections.models import InspectionTask, TaskAssignment
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
URL = reverse("inspections:my_tasks")


def test_it_lists_the_inspectors_tasks_with_the_team(client_as, task, other_task,
                                                      inspector_user):
    r = client_as(inspector_user).get(URL)
    assert r.status_code == 200
    assert list(r.context["tasks"]) == [task]
    body = r.content.decode()
    assert task.institution.name in body and "李同事" in body and "2023-11-20" in body


def test_it_leaves_out_inactive_assignments(client_as, task, inspector_user):
    TaskAssignment.objects.filter(inspector__user=inspector_user).update(active=False)
    assert list(client_as(inspector_user).get(URL).context["tasks"]) == []


def test_another_inspector_sees_none_of_them(client_as, task, other_inspector_user):
    assert list(client_as(other_inspector_user).get(URL).context["tasks"]) == []


def test_it_forbids_an_institution_user(client_as, institution_user):
    assert client_as(institution_user).get(URL).status_code == 403


def test_it_forbids_a_regulator(client_as, regulator):
    assert client_as(regulator).get(URL).status_code == 403


def test_it_pins_the_query_count(client_as, plan, draw, inspector_user,
                                 django_assert_max_num_queries):
    for n in range(8):
        t = InspectionTask.objects.create(plan=plan, institution=InstitutionFactory(name=f"机构{n}"),
                                          draw=draw, stratum="07", deadline=dt.date(2023, 11, 20))
        TaskAssignment.objects.create(task=t, inspector=inspector_user.inspector, draw=draw)
    client = client_as(inspector_user)
    with django_assert_max_num_queries(6):
        r = client.get(URL)
    assert len(r.context["tasks"]) == 8

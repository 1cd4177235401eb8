"""A draw run in the worker is audited: the user it ran for and the source ``worker`` on the
draw's history and on every task it recorded (bulk writes included)."""

import pytest

from common.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_draw_run_in_the_worker_records_its_user_and_source(provincial_plan, gd_organizer):
    from inspections.models import Draw, InspectionTask
    from inspections.tasks import draw_run_task

    from ..cycle import commit_ready

    draw = commit_ready(provincial_plan, gd_organizer)
    draw_run_task.delay(draw.pk, ["1 2 3"], gd_organizer.pk)
    row = Draw.history.filter(id=draw.pk).latest("history_date")
    assert (row.status, row.history_user, row.source) == ("completed", gd_organizer, "worker")
    tasks = InspectionTask.history.filter(draw_id=draw.pk)
    assert tasks.count() == 7 and {t.source for t in tasks} == {"worker"}
    assert AuditEvent.objects.filter(model="inspections.inspectiontask", kind="created",
                                     user_id=gd_organizer.pk).count() == 7

"""The draw services on the real database: commit, run, record, append-only, replacements."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client

from inspections.drawing import algorithm as alg
from inspections.drawing.verifier import verify
from inspections.models import (
    Draw,
    DrawSelection,
    DrawStatus,
    InspectionTask,
    Inspector,
    PlanStatus,
    Recusal,
    TaskAssignment,
    TaskStatus,
)
from inspections.publication import draw_record
from inspections.services.draws import draw_commit, draw_execute

from ..cycle import commit, replace_institution, replace_member
from ..cycle import commit_and_run as run
from ..cycle import run as run_draw

pytestmark = pytest.mark.django_db


def test_commit_freezes_pool_and_hides_the_server_seed(provincial_plan, gd_organizer):
    draw = commit(provincial_plan, gd_organizer)
    assert draw.status == DrawStatus.COMMITTED
    assert draw.pool_digest == alg.sha256_hex(draw.pool)
    assert draw.commitment == alg.commitment_of(draw.server_seed)
    assert draw.exclusions == {"status_suspended": 2}
    assert draw.pool_size == 30
    record = draw_record(draw)
    assert "server_seed" not in record and "seed" not in record
    alloc = {a["stratum"]: (a["count"], a["centres"])
             for a in record["parameters"]["institutions"]["allocation"]}
    assert alloc == {"07": (3, 1), "03": (2, None), "99": (2, None)}


def test_multi_field_institution_sits_in_its_primary_stratum_only(provincial_plan, gd_organizer):
    draw = commit(provincial_plan, gd_organizer)
    strata = [e.stratum for e in alg.pool_parse(draw.pool)]
    assert strata.count("07") == 12 and strata.count("03") == 8 and strata.count("99") == 10


def test_run_records_selection_tasks_and_teams(provincial_plan, gd_organizer):
    draw = run(provincial_plan, gd_organizer)
    assert draw.status == DrawStatus.COMPLETED, draw.result
    assert DrawSelection.objects.filter(draw=draw).count() == 7
    tasks = InspectionTask.objects.filter(plan=provincial_plan)
    assert tasks.count() == 7
    assert len(set(tasks.values_list("institution_id", flat=True))) == 7
    for task in tasks:
        team = list(task.assignments.all())
        assert len(team) >= 2 and sum(a.is_leader for a in team) == 1
    loads = {}
    for a in TaskAssignment.objects.filter(task__plan=provincial_plan):
        loads[a.inspector_id] = loads.get(a.inspector_id, 0) + 1
    assert max(loads.values()) <= provincial_plan.workload_cap
    provincial_plan.refresh_from_db()
    assert provincial_plan.status == PlanStatus.DRAWN
    assert verify(draw_record(draw), draw.pool, draw.inspector_pool) == []


def test_running_twice_records_once(provincial_plan, gd_organizer):
    draw = run(provincial_plan, gd_organizer)
    again = run_draw(draw, gd_organizer, "other")
    assert again.seed == draw.seed
    assert InspectionTask.objects.filter(plan=provincial_plan).count() == 7


def test_a_second_draw_of_the_plan_is_refused(provincial_plan, gd_organizer):
    commit(provincial_plan, gd_organizer)
    with pytest.raises(ValidationError) as exc:
        commit(provincial_plan, gd_organizer)
    assert "plan" in exc.value.message_dict


def test_only_the_organizer_may_commit(provincial_plan, outsider_regulator, admin_user):
    for user in (outsider_regulator, admin_user):
        with pytest.raises(PermissionDenied):
            commit(provincial_plan, user)


def test_only_the_organizer_may_run_even_through_the_service(provincial_plan, gd_organizer,
                                                             outsider_regulator, admin_user):
    draw = commit(provincial_plan, gd_organizer)
    for user in (outsider_regulator, admin_user, None):
        with pytest.raises(PermissionDenied):
            run_draw(draw, user)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED


def test_the_external_source_must_be_declared_and_unknowable_at_commit(provincial_plan,
                                                                        gd_organizer):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    for bad in ([], [{"name": "", "known_at": now + dt.timedelta(hours=1)}],
                [{"name": "彩票", "known_at": now}],
                [{"name": "彩票", "known_at": now - dt.timedelta(days=1)}]):
        with pytest.raises(ValidationError) as exc:
            draw_commit(plan=provincial_plan, user=gd_organizer, sources=bad, now=now)
        assert "external_sources" in exc.value.message_dict
    assert not Draw.objects.filter(plan=provincial_plan).exists()


def test_the_draw_does_not_run_before_the_value_is_published(provincial_plan, gd_organizer):
    import datetime as dt

    draw = commit(provincial_plan, gd_organizer)
    with pytest.raises(ValidationError) as exc:
        draw_execute(draw_id=draw.pk, values=["1 2 3"], user_id=gd_organizer.pk,
                     now=draw.external_known_at - dt.timedelta(seconds=1))
    assert "draw" in exc.value.message_dict
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMMITTED and not draw.seed


def test_external_values_are_required_and_normalised(provincial_plan, gd_organizer):
    import datetime as dt

    draw = commit(provincial_plan, gd_organizer)
    later = draw.external_known_at + dt.timedelta(minutes=1)
    for bad in ([], ["  "], ["1\x002"], ["a", "b"]):
        with pytest.raises(ValidationError) as exc:
            draw_execute(draw_id=draw.pk, values=bad, user_id=gd_organizer.pk, now=later)
        assert "external_values" in exc.value.message_dict
    done = draw_execute(draw_id=draw.pk, values=["  ０７　１５\t23 "], user_id=gd_organizer.pk,
                        now=later)
    assert done.external_values == ["07 15 23"] and done.external_value == "07 15 23"
    assert done.seed == alg.seed_derive(done.server_seed, "07 15 23", done.pool_digest)


def test_impossible_quota_is_refused_with_every_stratum_named(provincial_plan, gd_organizer):
    provincial_plan.quotas.filter(field__code="03").update(count=50)
    provincial_plan.quotas.filter(field__code="07").update(national_centre_count=9)
    with pytest.raises(ValidationError) as exc:
        commit(provincial_plan, gd_organizer)
    message = " ".join(exc.value.message_dict["quotas"])
    assert "03" in message and "07" in message
    assert not Draw.objects.filter(plan=provincial_plan).exists()


def test_completed_draw_cannot_be_changed_by_orm_or_sql(provincial_plan, gd_organizer):
    draw = run(provincial_plan, gd_organizer)
    draw.external_value = "forged"
    with pytest.raises(ValidationError):
        draw.save()
    with pytest.raises(ValidationError):
        Draw.objects.filter(pk=draw.pk).update(seed="00")
    with pytest.raises(ValidationError):
        draw.delete()
    selection = DrawSelection.objects.filter(draw=draw).first()
    with pytest.raises(ValidationError):
        selection.save()
    for sql in ("UPDATE inspections_draw SET seed = 'x' WHERE id = %s",
                "DELETE FROM inspections_drawselection WHERE draw_id = %s"):
        with pytest.raises(Exception, match="append-only|never changed"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [draw.pk])


def test_recused_inspector_is_never_on_the_team(provincial_plan, gd_organizer):
    import random

    from institutions.models import Institution

    rng = random.Random(7)
    institutions = list(Institution.objects.all())
    inspectors = list(Inspector.objects.all())
    ties = {(i.pk, inst.pk) for i in inspectors for inst in institutions if rng.random() < 0.4}
    Recusal.objects.bulk_create([Recusal(inspector_id=a, institution_id=b, reason="亲属关系")
                                 for a, b in ties])
    draw = run(provincial_plan, gd_organizer)
    assert draw.status == DrawStatus.COMPLETED, draw.result
    pairs = set(TaskAssignment.objects.filter(task__plan=provincial_plan).values_list(
        "inspector_id", "task__institution_id"))
    assert pairs and not (pairs & ties)


def test_unstaffable_draw_fails_whole_and_lists_tasks(provincial_plan, gd_organizer):
    Inspector.objects.update(active=False)
    draw = run(provincial_plan, gd_organizer)
    assert draw.status == DrawStatus.FAILED
    assert len(draw.result["problems"]) == 7
    assert not InspectionTask.objects.filter(plan=provincial_plan).exists()
    assert not DrawSelection.objects.filter(draw=draw).exists()
    # the failure itself is verifiable: the staffing problems follow from the published pools
    assert verify(draw_record(draw), draw.pool, draw.inspector_pool) == []
    page = Client().get(f"/inspections/public/draws/{draw.pk}/verify/").content.decode()
    assert 'badge ok">MATCH' in page and 'badge bad">MISMATCH' not in page
    # A new draw may then be committed; the failed one stays on record.
    Inspector.objects.update(active=True)
    assert commit(provincial_plan, gd_organizer).pk != draw.pk


def test_supplementary_institution_draw_replaces_without_touching_the_original(
        provincial_plan, gd_organizer, gd_approver):
    draw = run(provincial_plan, gd_organizer)
    task = InspectionTask.objects.filter(plan=provincial_plan, stratum="03").first()
    before = draw_record(draw)
    supp = replace_institution(task, gd_organizer, gd_approver)
    assert supp.status == DrawStatus.COMPLETED, supp.result
    assert supp.parent_id == draw.pk and supp.approved_by_id == gd_approver.pk
    assert supp.replacement_request.requested_by_id == gd_organizer.pk
    task.refresh_from_db()
    assert task.status == TaskStatus.REPLACED
    new = InspectionTask.objects.get(draw=supp)
    assert new.stratum == "03" and new.institution_id != task.institution_id
    assert not task.assignments.filter(active=True).exists()
    draw.refresh_from_db()
    after = draw_record(draw)
    assert after["result"] == before["result"] and after["supplementary"] == [supp.pk]
    assert verify(draw_record(supp), supp.pool, supp.inspector_pool) == []


def test_supplementary_inspector_draw_keeps_the_team_size(provincial_plan, gd_organizer,
                                                          gd_approver):
    draw = run(provincial_plan, gd_organizer)
    member = TaskAssignment.objects.filter(task__plan=provincial_plan, is_leader=True).first()
    supp = replace_member(member, gd_organizer, gd_approver)
    assert supp.status == DrawStatus.COMPLETED, supp.result
    task = member.task
    active = list(task.assignments.filter(active=True))
    assert len(active) == 2 and member.inspector_id not in [a.inspector_id for a in active]
    assert sum(a.is_leader for a in active) == 1
    assert verify(draw_record(supp), supp.pool, supp.inspector_pool) == []
    assert draw.pk == supp.parent_id

"""The draw in the browser: the organizer's steps on the plan page, the public's verification."""

from __future__ import annotations

import re

import pytest

from inspections.models import Draw, DrawStatus, InspectionTask, PlanStatus, SpotCheckPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "中国福利彩票“3D”2026年第061期开奖号码"
PUBLISHED_VALUE = "0 7 2"


def test_organizer_publishes_commits_and_runs_the_draw_on_the_plan_page(
        new_page, log_in, provincial_plan, gd_organizer, clock):
    import datetime as dt

    from django.utils import timezone
    from playwright.sync_api import expect

    pk = provincial_plan.pk
    SpotCheckPlan.objects.filter(pk=pk).update(status=PlanStatus.DRAFT)
    page = new_page()
    log_in(page, gd_organizer.username)
    page.goto(f"/inspections/plans/{pk}/")
    expect(page.locator("h1")).to_contain_text(provincial_plan.title)
    expect(page.locator("h1 .badge.draft")).to_be_visible()
    expect(page.locator("section.card.draw")).to_have_count(0)

    # 1. Publish.
    publish = page.locator(f"form[action='/inspections/plans/{pk}/publish/'] button")
    with page.expect_navigation():
        publish.click()
    expect(page.locator(".messages li.success")).to_have_count(1)
    expect(page.locator("h1 .badge.published")).to_be_visible()
    expect(publish).to_have_count(0)
    assert SpotCheckPlan.objects.get(pk=pk).status == PlanStatus.PUBLISHED

    # 2. Declare the external source, freeze the pool and commit the seed: the commitment and
    # the source are on the page, the seed is not.
    commit = page.locator(f"form[action='/inspections/plans/{pk}/draw/commit/']")
    commit.locator("input[name=name_0]").fill(SOURCE)
    known = timezone.localtime(timezone.now() + dt.timedelta(hours=1))
    commit.locator("input[name=known_at_0]").fill(known.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        commit.locator("button[type=submit]").click()
    draw = Draw.objects.get(plan=provincial_plan)
    assert draw.status == DrawStatus.COMMITTED
    card = page.locator(f"#draw-{draw.pk}")
    expect(card.locator(".badge.committed")).to_be_visible()
    expect(card.locator("dd.mono", has_text=draw.commitment)).to_have_count(1)
    expect(card.locator("dd.mono", has_text=draw.pool_digest)).to_have_count(1)
    expect(page.locator(".messages li.success")).to_contain_text(draw.commitment[:16])
    assert draw.server_seed not in page.content()
    expect(page.locator("ul.team")).to_have_count(0)
    expect(card).to_contain_text(SOURCE)
    # Before the value is published the page says when the draw can run, and offers no form.
    expect(page.locator(f"#run-{draw.pk} .note")).to_be_visible()
    expect(page.locator("form.runform")).to_have_count(0)

    # 3. Once the lottery result is out: enter it and run (Celery runs eagerly in the request).
    clock(2)
    page.reload()
    run = page.locator(f"form.runform[action='/inspections/draws/{draw.pk}/run/']")
    run.locator("input[name=value_0]").fill(PUBLISHED_VALUE)
    with page.expect_navigation():
        run.locator("button[type=submit]").click()
    draw.refresh_from_db()
    assert draw.status == DrawStatus.COMPLETED and draw.external_value == PUBLISHED_VALUE
    expect(card.locator(".badge.completed")).to_be_visible()
    expect(page.locator("form.runform")).to_have_count(0)
    for value in (draw.external_value, draw.server_seed, draw.seed):
        expect(card.locator("dd.mono", has_text=value)).to_have_count(1)
    expect(card.locator(f"a[href='/inspections/public/draws/{draw.pk}/verify/']")).to_be_visible()

    # The tasks and teams table: one row per drawn institution, two inspectors each.
    tasks = list(InspectionTask.objects.filter(plan=provincial_plan)
                 .select_related("institution").prefetch_related("assignments__inspector"))
    assert len(tasks) == 7
    rows = page.locator("section.card:has(ul.team) tbody tr")
    expect(rows).to_have_count(len(tasks))
    for task in tasks:
        row = rows.filter(has_text=task.institution.uscc)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(task.institution.name)
        names = [a.inspector.name for a in task.assignments.all()]
        assert len(names) == 2
        expect(row.locator("ul.team > li")).to_have_count(2)
        for name in names:
            expect(row.locator("ul.team")).to_contain_text(name)
        expect(row.locator("ul.team .badge.ok")).to_have_count(1)  # the leader
        expect(row.locator("details summary")).to_have_count(3)    # replace ×2, institution


def test_the_public_reads_the_draw_and_verifies_it(new_page, completed_draw):
    from playwright.sync_api import expect

    draw = completed_draw
    page = new_page()  # anonymous
    page.goto(f"/inspections/public/plans/{draw.plan_id}/")
    expect(page.locator("h1")).to_contain_text(draw.plan.title)
    card = page.locator(f"#draw-{draw.pk}")
    shown = card.locator("dd.mono").all_inner_texts()
    for value in (draw.commitment, draw.pool_digest, draw.server_seed, draw.seed):
        assert value in shown
    drawn = InspectionTask.objects.filter(plan=draw.plan).select_related("institution")
    table = page.locator("tbody tr").filter(
        has=page.locator("td.num", has_text=re.compile(rf"^#{draw.pk}$")))
    expect(table).to_have_count(drawn.count())
    for task in drawn:
        expect(table.filter(has_text=task.institution.uscc)).to_have_count(1)

    with page.expect_navigation():
        card.locator(f"a[href='/inspections/public/draws/{draw.pk}/verify/']").click()
    assert page.url.endswith(f"/inspections/public/draws/{draw.pk}/verify/")
    verdict = page.locator("section.verdict")
    expect(verdict).to_have_class(re.compile(r"\bmatch\b"))
    expect(verdict.locator(".badge.ok")).to_have_text("MATCH")
    expect(page.locator(".badge.bad")).to_have_count(0)
    facts = page.locator("dl.facts dd.mono").all_inner_texts()
    assert facts[:3] == [draw.commitment, draw.pool_digest, draw.seed]

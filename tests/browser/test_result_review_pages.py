"""Review, publication and correction of a result in the browser: the inspector records and
submits it, another regulator approves it, the organizer publishes it after seeing the list, a
correction goes the same way and the public page says the result was corrected."""

from __future__ import annotations

import pytest

from credit.models import CreditEvent
from inspections.models import InspectionResult, InspectionTask, Inspector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team_leader(completed_draw):
    """The first task and an account for its team leader."""
    from accounts.models import Role
    from tests.factories import UserFactory

    task = (InspectionTask.objects.filter(plan=completed_draw.plan).order_by("pk")
            .select_related("institution").first())
    leader = task.assignments.get(is_leader=True).inspector
    user = UserFactory(username="leader", role=Role.INSPECTOR, authority=leader.authority,
                       first_name=leader.name)
    Inspector.objects.filter(pk=leader.pk).update(user=user)
    return task, user


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[name=submit]").click()


def test_review_publish_and_correct_in_the_browser(new_page, team_leader, gd_organizer,
                                                   gd_approver, zh):
    from playwright.sync_api import expect

    task, inspector = team_leader
    url = f"/inspections/tasks/{task.pk}/result/"

    # The inspector, on his phone, records a clean result and submits it for review.
    phone = new_page(inspector, phone=True)
    phone.goto(url)
    form = phone.locator("#record-form")
    form.locator("select[name=category]").select_option("no_problem")
    form.locator("input[name=checked_on]").fill("2026-04-01")
    _submit(phone, form)
    expect(phone.locator(".messages li.success")).to_have_count(1)
    expect(phone.locator(".revision .badge")).to_have_text(zh("Pending review"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Another regulator of the organizing authority reviews it from his queue: approve.
    reviewer = new_page(gd_approver)
    reviewer.goto("/inspections/review/")
    with reviewer.expect_navigation():
        reviewer.locator(f"a[href='{url}']").click()
    with reviewer.expect_navigation():
        reviewer.locator("#review-form button[value=approve]").click()
    expect(reviewer.locator(".revision .badge")).to_have_text(zh("Approved"))

    # The organizer sees the list that is about to be published, then publishes it.
    organizer = new_page(gd_organizer)
    organizer.goto(f"/inspections/plans/{task.plan_id}/results/publish/")
    rows = organizer.locator("#publish-form tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(task.institution.name)
    with organizer.expect_navigation():
        organizer.locator("#publish-form button[type=submit]").click()
    expect(organizer.locator(".messages li.success")).to_have_count(1)
    public = new_page()
    public.goto(f"/inspections/public/plans/{task.plan_id}/")
    row = public.locator(f"#results tr[data-code='{task.institution.uscc}']")
    expect(row).to_contain_text(zh("No problem found"))
    expect(row.locator(".badge.corrected")).to_have_count(0)

    # A later document check shows the result was wrong: the inspector corrects it.
    phone.goto(url)
    correct = phone.locator("#correct-form")
    correct.locator("textarea[name=correction_reason]").fill("复核现场记录发现仪器检定证书过期")
    correct.locator("select[name=category]").select_option("problem_pending")
    correct.locator("select[name=follow_up]").select_option("case_opened")
    correct.locator("textarea[name=findings]").fill("2台仪器检定证书过期仍在使用")
    _submit(phone, correct)
    reviewer.goto(url)
    with reviewer.expect_navigation():
        reviewer.locator("#review-form button[value=approve]").click()
    organizer.goto(f"/inspections/plans/{task.plan_id}/results/publish/")
    expect(organizer.locator("#publish-form .badge.warn")).to_have_text(zh("Correction"))
    with organizer.expect_navigation():
        organizer.locator("#publish-form button[type=submit]").click()

    # The public page shows the current result and that it was corrected, with the reason.
    public.goto(f"/inspections/public/plans/{task.plan_id}/")
    row = public.locator(f"#results tr[data-code='{task.institution.uscc}']")
    expect(row).to_contain_text(zh("Problem found, pending follow-up"))
    expect(row.locator(".badge.corrected")).to_have_text(zh("corrected"))
    expect(row).to_contain_text("复核现场记录发现仪器检定证书过期")

    revisions = list(task.results.order_by("revision").values_list("state", flat=True))
    assert revisions == ["superseded", "published"]
    events = CreditEvent.objects.filter(institution=task.institution).order_by("pk")
    assert [e.superseded_at is not None for e in events] == [True, False]
    assert InspectionResult.objects.published().get(task=task).revision == 2

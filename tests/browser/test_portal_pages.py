"""The institution portal in the browser: self-inspection form (draft, submit) and the pledge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inspections.models import (
    IntegrityPledge,
    PlanStatus,
    SelfInspectionCampaign,
    SelfInspectionStatus,
    SelfInspectionSubmission,
    SpotCheckPlan,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REMARK = "原始记录保存不完整，已补齐并完成内部培训"


@pytest.fixture
def open_campaign(ref):
    """The 2023 campaign of the published national plan, its deadline moved 30 days ahead
    (submissions on time are 'done'; after the deadline they would be flagged late)."""
    SpotCheckPlan.objects.filter(year=2023).update(status=PlanStatus.PUBLISHED)
    campaign = SelfInspectionCampaign.objects.get(plan__year=2023)
    campaign.due = timezone.localdate() + dt.timedelta(days=30)
    campaign.save(update_fields=["due"])
    return campaign


def test_institution_fills_the_form_submits_it_and_signs_the_pledge(
        new_page, open_campaign, institution_user, zh):
    from playwright.sync_api import expect

    campaign = open_campaign
    form_url = f"/inspections/portal/campaigns/{campaign.pk}/self-inspection/"
    pledge_url = f"/inspections/portal/campaigns/{campaign.pk}/pledge/"
    page = new_page(institution_user)
    page.goto("/inspections/portal/")
    card = page.locator(f"section.card:has(a[href='{form_url}'])")
    expect(card.locator("h2")).to_have_text(campaign.title)
    expect(card.locator("table .badge")).to_have_count(2)
    expect(card.locator("table .badge.ok")).to_have_count(0)

    # The form: six focus items, yes / no / not applicable each, and a remark.
    with page.expect_navigation():
        card.locator(f"a[href='{form_url}']").click()
    items = page.locator("form fieldset")
    expect(items).to_have_count(6)
    assert len(campaign.focus_items) == 6
    for i, text in enumerate(campaign.focus_items):
        expect(items.nth(i)).to_contain_text(text)
        for value in ("yes", "no", "na"):
            expect(page.locator(f"input[type=radio][name=answer_{i}][value={value}]")) \
                .to_have_count(1)

    # A draft with four answers, one of them "no" with its remark.
    for i in range(3):
        page.check(f"input[name=answer_{i}][value=yes]")
    page.check("input[name=answer_3][value=no]")
    page.fill("textarea[name=remark_3]", REMARK)
    with page.expect_navigation():
        page.click("button[name=save]")
    assert page.url.endswith(form_url)
    expect(page.locator(".messages li.success")).to_have_text(zh("Draft saved."))
    status = page.locator("main > p").nth(1).locator(".badge").last
    expect(status).to_have_text(zh("Draft, not submitted"))
    expect(status).to_have_class("badge warn")
    expect(page.locator("input[name=answer_3][value=no]")).to_be_checked()
    expect(page.locator("textarea[name=remark_3]")).to_have_value(REMARK)
    expect(page.locator("input[name=answer_4]:checked")).to_have_count(0)
    draft = SelfInspectionSubmission.objects.get(campaign=campaign,
                                                 institution=institution_user.institution)
    assert draft.status == SelfInspectionStatus.DRAFT
    assert [a["answer"] for a in draft.answers] == ["yes", "yes", "yes", "no", "", ""]
    assert draft.answers[3]["remark"] == REMARK

    # Complete and submit; the button asks for confirmation first.
    page.check("input[name=answer_4][value=yes]")
    page.check("input[name=answer_5][value=na]")
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.click("button[name=submit]")
    assert dialogs == [zh("Submit the form? It cannot be changed afterwards.")]
    assert page.url.endswith("/inspections/portal/")
    expect(page.locator(".messages li.success")).to_have_text(zh("Self-inspection form submitted."))
    submitted = SelfInspectionSubmission.objects.get(pk=draft.pk)
    assert submitted.status == SelfInspectionStatus.SUBMITTED and submitted.submitted_at
    assert [a["answer"] for a in submitted.answers] == ["yes", "yes", "yes", "no", "yes", "na"]

    # The integrity pledge: the campaign's text, a name, a title and the confirmation.
    with page.expect_navigation():
        card.locator(f"a[href='{pledge_url}']").click()
    expect(page.locator("main section.card").first).to_contain_text(campaign.pledge_text[:40])
    page.fill("input[name=signatory_name]", "王法人")
    page.fill("input[name=signatory_title]", "法定代表人")
    page.check("input[name=confirm]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/inspections/portal/")
    expect(page.locator(".messages li.success")).to_have_text(zh("Integrity pledge signed."))
    pledge = IntegrityPledge.objects.get(campaign=campaign,
                                         institution=institution_user.institution)
    assert (pledge.signatory_name, pledge.signatory_title) == ("王法人", "法定代表人")

    # The portal shows both as done; the buttons now only view.
    badges = card.locator("table .badge")
    expect(badges).to_have_text([zh("Submitted"), zh("Signed")])
    expect(card.locator("table .badge.ok")).to_have_count(2)
    expect(card.locator(f"a.button.secondary[href='{form_url}']")).to_be_visible()
    expect(card.locator(f"a.button.secondary[href='{pledge_url}']")).to_be_visible()

    # The submitted form is read-only and shows the answers and the remark.
    with page.expect_navigation():
        card.locator(f"a[href='{form_url}']").click()
    expect(page.locator("input[type=radio]")).to_have_count(0)
    expect(page.locator("button[name=submit]")).to_have_count(0)
    expect(items.nth(3).locator(".badge.warn")).to_be_visible()
    expect(items.nth(3)).to_contain_text(REMARK)
    expect(page.locator("form fieldset .badge.ok")).to_have_count(4)

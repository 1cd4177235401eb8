"""Public pages in the browser: the certificate check, and the language of the interface."""

from __future__ import annotations

import re

import pytest

from inspections.models import PlanStatus, SpotCheckPlan
from tests.factories import CertificateFactory, field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAN = re.compile(r"[\u3400-\u9fff]")
UNKNOWN_VERDICT = ("No certificate with this number is registered. Check the digits against the "
                   "certificate; a test report citing an unregistered number should not be "
                   "trusted.")


def test_certificate_check_shows_status_and_institution_or_unknown(new_page, institution, zh):
    from playwright.sync_api import expect

    certificate = CertificateFactory(institution=institution, number="224407120001",
                                     scope_summary="食品中农药残留 GB 2763",
                                     fields=[field("07")])
    page = new_page()
    page.goto("/")
    with page.expect_navigation():
        page.click("header a[href='/qualifications/certificates/check/']")
    expect(page.locator(".q-result")).to_have_count(0)

    # A registered number, typed with spaces as people do: valid, with its institution.
    page.fill("input[name=number]", "2244 0712 0001")
    with page.expect_navigation():
        page.click("form.q-form button[type=submit]")
    assert "number=" in page.url
    result = page.locator("section.q-result")
    expect(result.locator("h2 .mono")).to_have_text(certificate.number)
    expect(result.locator(".badge.q-status")).to_have_class("badge q-status valid")
    expect(result.locator(".badge.q-status")).to_have_text(zh("Valid"))
    facts = result.locator("table.q-facts")
    expect(facts).to_contain_text(institution.name)
    expect(facts).to_contain_text(institution.uscc)
    expect(facts).to_contain_text("2022-03-01 – 2028-02-28")
    expect(facts).to_contain_text("食品中农药残留 GB 2763")
    expect(page.locator("main")).not_to_contain_text(institution.contact_phone)
    link = result.locator("a[href^='/qualifications/institutions/?q=']")
    expect(link).to_have_attribute("href", f"/qualifications/institutions/?q={institution.uscc}")

    # An unknown number: the "unknown" badge and message, no institution.
    page.fill("input[name=number]", "224407129999")
    with page.expect_navigation():
        page.click("form.q-form button[type=submit]")
    expect(result.locator("h2 .mono")).to_have_text("224407129999")
    expect(result.locator(".badge.q-status")).to_have_class("badge q-status unknown")
    expect(result.locator(".badge.q-status")).to_have_text(zh("Unknown"))
    expect(result.locator(".q-verdict")).to_have_text(zh(UNKNOWN_VERDICT))
    expect(page.locator("table.q-facts")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(institution.name)


@pytest.fixture
def public_plan_path(ref) -> str:
    SpotCheckPlan.objects.filter(year=2023).update(status=PlanStatus.PUBLISHED)
    return f"/inspections/public/plans/{SpotCheckPlan.objects.get(year=2023).pk}/"


def test_chinese_by_default_and_english_from_the_language_switcher(new_page, public_plan_path,
                                                                   zh):
    from playwright.sync_api import expect

    plan = SpotCheckPlan.objects.get(year=2023)
    page = new_page()
    page.goto(public_plan_path)
    html, switcher = page.locator("html"), page.locator("header select[name=language]")
    headings = page.locator("main h2")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(switcher).to_have_value("zh-hans")
    expect(page.locator("h1")).to_contain_text(plan.title)
    expect(headings.first).to_have_text(zh("Plan"))
    expect(headings.nth(1)).to_have_text(zh("How the draw is made verifiable"))
    nav = page.locator("header nav").inner_text()
    assert HAN.search(nav) and HAN.search(headings.nth(1).inner_text()), nav

    # The switcher posts to set_language and comes back to the same page under /en/.
    with page.expect_navigation():
        switcher.select_option("en")
    assert page.url.endswith(f"/en{public_plan_path}")
    expect(html).to_have_attribute("lang", "en")
    expect(switcher).to_have_value("en")
    expect(page.locator("h1")).to_contain_text(plan.title)  # the data stays as entered
    expect(headings.first).to_have_text("Plan")
    expect(headings.nth(1)).to_have_text("How the draw is made verifiable")
    expect(page.locator("header nav a[href='/en/qualifications/certificates/check/']")) \
        .to_have_text("Check a certificate")
    for text in (page.locator("header nav").inner_text(), page.locator("footer").inner_text(),
                 page.locator("main dl.facts dt").first.inner_text()):
        assert not HAN.search(text), text


def test_the_language_switcher_goes_back_from_english_to_chinese(new_page, public_plan_path,
                                                                 zh):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(f"/en{public_plan_path}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.locator("header select[name=language]").select_option("zh-hans")
    assert page.url.endswith(public_plan_path) and "/en/" not in page.url, page.url
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h2").first).to_have_text(zh("Plan"))

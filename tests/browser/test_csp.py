"""The Content-Security-Policy in the browser: every main page is served with a policy that has
no ``unsafe-inline`` (``config/security.py``), and Chromium enforcing it refuses nothing: no
inline style attribute, ``<style>`` block, inline script or event handler is left in a page.

Violations are caught twice: Chromium's console ("Refused to … because it violates the following
Content Security Policy directive …") and the ``securitypolicyviolation`` events a script
registered before any page script collects in ``window.__violations``. All of them are gathered
over the pages and reported together, each with its page and directive.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inspections.models import InspectionTask, Inspector, SelfInspectionCampaign
from inspections.services.results import result_record
from tests.factories import CertificateFactory, UserFactory, field
from tests.portal.conftest import (  # noqa: F401  (fixtures)
    draw,
    order,
    plan,
    samr_authority,
    samr_reviewer,
    task,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(
  e.violatedDirective + " " + e.blockedURI
  + (e.sourceFile ? " at " + e.sourceFile + ":" + e.lineNumber : "")));
"""
#: resolves once the violation events queued while the page loaded have been dispatched
FLUSH = "() => new Promise(done => setTimeout(() => done(window.__violations || []), 100))"


class Watcher:
    """One browser page whose CSP violations, and the policy of each response, are collected
    into ``found`` under the label of the page being visited."""

    def __init__(self, page, found: list[str]):
        self.page, self.found, self.label = page, found, "(no page yet)"
        page.add_init_script(COLLECT)
        page.on("console", self._console)
        page.on("pageerror", lambda error: found.append(f"{self.label}: script error: {error}"))

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            # "Applying inline style violates the following Content Security Policy directive
            # 'style-src 'self''. Either the 'unsafe-inline' keyword, …": up to the directive
            self.found.append(f"{self.label}: console: {text.split('. Either')[0]}")

    def visit(self, label: str, url: str) -> None:
        self.label = f"{label} ({url})"
        response = self.page.goto(url)
        assert response is not None and response.status == 200, \
            f"{self.label}: HTTP {response and response.status}"
        policy = response.header_value("content-security-policy")
        if not policy:
            self.found.append(f"{self.label}: no Content-Security-Policy header")
        elif "unsafe-inline" in policy:
            self.found.append(f"{self.label}: the policy allows 'unsafe-inline': {policy}")
        elif "style-src 'self'" not in policy or "script-src 'self'" not in policy:
            self.found.append(f"{self.label}: unexpected policy: {policy}")
        self.page.wait_for_load_state("load")
        for violation in self.page.evaluate(FLUSH):
            self.found.append(f"{self.label}: securitypolicyviolation: {violation}")


def _report(found: list[str]) -> str:
    return f"{len(found)} CSP problem(s):\n" + "\n".join(found)


@pytest.fixture
def pages_data(completed_draw, order, institution, regulator,  # noqa: F811  (fixtures)
               institution_user, inspector_user):
    """Enough rows that every page shows its cards, tables and forms: the provincial draw with
    one result submitted for review, the national plan's Guangzhou task with an open
    rectification order, an open self-inspection campaign, a certificate and a report number."""
    from qualifications.models import TestReportNumber

    provincial = (InspectionTask.objects.filter(plan=completed_draw.plan).order_by("pk")
                  .select_related("institution").first())
    leader = provincial.assignments.get(is_leader=True).inspector
    leader_user = UserFactory(username="leader", role="inspector", authority=leader.authority,
                              first_name=leader.name)
    Inspector.objects.filter(pk=leader.pk).update(user=leader_user)
    result_record(task=provincial, category="problem_pending", follow_up="rectification",
                  findings="原始记录不完整", checked_on=dt.date(2026, 4, 1), user=leader_user,
                  rectification_deadline=dt.date(2026, 5, 1),
                  rectification_requirements="补齐原始记录", submit=True)
    campaign = SelfInspectionCampaign.objects.get(plan=order.task.plan)
    campaign.due = timezone.localdate() + dt.timedelta(days=30)
    campaign.save(update_fields=["due"])
    certificate = CertificateFactory(institution=institution, number="224407120001",
                                     fields=[field("07")])
    TestReportNumber.objects.create(number="GZJC-2024-000123", institution=institution,
                                    certificate=certificate, issued_on=dt.date(2024, 5, 6))
    return {"draw": completed_draw, "plan": completed_draw.plan, "task": provincial,
            "order": order, "campaign": campaign, "institution": institution}


def test_no_page_violates_the_content_security_policy(new_page, pages_data, gd_organizer,
                                                      regulator, institution_user,
                                                      inspector_user):
    d = pages_data
    found: list[str] = []

    public = Watcher(new_page(), found)
    public.visit("home, anonymous", "/")
    public.visit("public plan list", "/inspections/public/plans/")
    public.visit("public plan page", f"/inspections/public/plans/{d['plan'].pk}/")
    public.visit("draw verify page", f"/inspections/public/draws/{d['draw'].pk}/verify/")
    public.visit("certificate check", "/qualifications/certificates/check/")
    public.visit("certificate check, a result", "/qualifications/certificates/check/"
                                                "?number=224407120001")
    public.visit("report-number check", "/qualifications/report-numbers/check/")
    public.visit("report-number check, a result", "/qualifications/report-numbers/check/"
                                                  "?number=GZJC-2024-000123")
    public.visit("institution lookup", "/qualifications/institutions/")
    public.visit("institution lookup, a result",
                 f"/qualifications/institutions/?q={d['institution'].uscc}")
    public.visit("login page", "/accounts/login/")

    organizer = Watcher(new_page(gd_organizer), found)
    organizer.visit("home, logged in", "/")
    organizer.visit("plan management list", "/inspections/plans/")
    organizer.visit("plan management page", f"/inspections/plans/{d['plan'].pk}/")
    organizer.visit("review queue", "/inspections/review/")
    organizer.visit("results to publish", f"/inspections/plans/{d['plan'].pk}/results/publish/")

    staff = Watcher(new_page(regulator), found)
    staff.visit("task page, a result to review", f"/inspections/tasks/{d['task'].pk}/result/")
    staff.visit("task page, a rectification order",
                f"/inspections/tasks/{d['order'].task_id}/result/")
    staff.visit("rectification list, regulator", "/inspections/rectification/")
    staff.visit("self-inspection tracking list", "/inspections/tracking/")
    staff.visit("self-inspection tracking, a campaign",
                f"/inspections/tracking/{d['campaign'].pk}/")
    staff.visit("reports list", "/reports/")
    staff.visit("institution credit", f"/credit/institutions/{d['institution'].pk}/")

    portal = Watcher(new_page(institution_user), found)
    portal.visit("institution portal", "/inspections/portal/")
    portal.visit("self-inspection form",
                 f"/inspections/portal/campaigns/{d['campaign'].pk}/self-inspection/")
    portal.visit("integrity pledge", f"/inspections/portal/campaigns/{d['campaign'].pk}/pledge/")
    portal.visit("rectification list, institution", "/inspections/rectification/")
    portal.visit("rectification response", f"/inspections/rectification/{d['order'].pk}/respond/")

    inspector = Watcher(new_page(inspector_user), found)
    inspector.visit("my tasks", "/inspections/tasks/mine/")

    assert not found, _report(found)


def test_the_admin_does_not_violate_the_content_security_policy(new_page, ref, gd_organizer,
                                                               institution):
    found: list[str] = []
    admin = Watcher(new_page(gd_organizer), found)
    admin.visit("admin index", "/admin/")
    admin.visit("admin change list", "/admin/institutions/institution/")
    admin.visit("admin change list, plans", "/admin/inspections/spotcheckplan/")
    admin.visit("admin change form", f"/admin/institutions/institution/{institution.pk}/change/")
    admin.visit("admin add form with inlines", "/admin/inspections/spotcheckplan/add/")
    admin.visit("admin registry import", "/admin/institutions/institution/import-registry/")
    assert not found, _report(found)

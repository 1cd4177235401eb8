"""Phone-sized screens (390×844): inspectors work on site, the public reads plans on phones.

A page passes when nothing makes it scroll sideways: the document's ``scrollWidth`` stays within
``innerWidth``, and ``innerWidth`` stays the phone's 390 (a mobile browser widens the layout
viewport, and so ``innerWidth``, to fit content that sticks out). Wide tables may scroll inside
their own ``.scroll`` box.
"""

from __future__ import annotations

import pytest

from accounts.models import Role
from inspections.models import InspectionTask, Inspector, TaskAssignment
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390  # the phone contexts of new_page(phone=True): 390×844

# The elements that stick out past the right edge, for the failure message.
OVERFLOW_JS = """(width) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5 && !el.closest('.scroll')) {
      out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className)
        .trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(r.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          offenders: out.slice(0, 10)};
}"""


@pytest.fixture
def drawn_inspector(completed_draw, gd_authority):
    """An inspector account linked to the leader of the first drawn task (as in the demo)."""
    task = InspectionTask.objects.filter(draw=completed_draw).order_by("pk").first()
    leader = TaskAssignment.objects.get(task=task, is_leader=True, active=True).inspector
    user = UserFactory(username="phone_inspector", role=Role.INSPECTOR, authority=gd_authority)
    Inspector.objects.filter(pk=leader.pk).update(user=user)
    return user, task


def assert_fits(page) -> None:
    m = page.evaluate(OVERFLOW_JS, PHONE_WIDTH)
    fits = m["innerWidth"] == PHONE_WIDTH and m["scrollWidth"] <= m["innerWidth"]
    assert fits, f"{page.url} scrolls sideways at {PHONE_WIDTH} px: {m}"


@pytest.mark.parametrize("where", ["my_tasks", "task_result", "public_plan", "draw_verify",
                                   "certificate_check"])
def test_phone_pages_do_not_scroll_sideways(new_page, drawn_inspector, completed_draw, where):
    from playwright.sync_api import expect

    user, task = drawn_inspector
    if where in ("my_tasks", "task_result"):
        page = new_page(user, phone=True)
        page.goto("/inspections/tasks/mine/")
        card = page.locator("main section.card", has_text=task.institution.name)
        expect(card).to_have_count(1)
        if where == "task_result":
            with page.expect_navigation():
                card.locator(f"a[href='/inspections/tasks/{task.pk}/result/']").click()
            expect(page.locator("select[name=category]")).to_be_visible()
            expect(page.locator("input[name=checked_on]")).to_be_visible()
    else:
        page = new_page(phone=True)
        if where == "certificate_check":  # two long field names as badges
            from tests.factories import CertificateFactory, field

            cert = CertificateFactory(fields=[field("09"), field("10")])
            page.goto(f"/qualifications/certificates/check/?number={cert.number}")
            expect(page.locator("table.q-facts .badge")).to_have_count(2)
        elif where == "public_plan":
            page.goto(f"/inspections/public/plans/{completed_draw.plan_id}/")
            expect(page.locator(f"#draw-{completed_draw.pk} dd.mono",
                                has_text=completed_draw.seed)).to_be_visible()
        else:
            page.goto(f"/inspections/public/draws/{completed_draw.pk}/verify/")
            expect(page.locator("section.verdict .badge.ok")).to_have_text("MATCH")
    assert_fits(page)

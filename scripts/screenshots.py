#!/usr/bin/env python3
"""Take the README's screenshots from a demo database (run by hand; not a test).

    make demo-data        # or: DEMO_INSTITUTIONS=3000 .venv/bin/python manage.py demo_cycle
    .venv/bin/python scripts/screenshots.py

With another database, pass the same ``DATABASE_URL`` the demo was made with, e.g.

    DATABASE_URL=sqlite:////tmp/shots.sqlite3 .venv/bin/python scripts/screenshots.py

It starts ``manage.py runserver`` on a free port (``DEBUG=1`` so static files are served, rate
limits off; ``--base-url`` uses a server that is already running instead), logs in through the
login form as the demo accounts (``admin``, ``samr``, ``inspector``, ``institution``; password
``demo-2023``) and writes to ``docs/screenshots/`` (``--out``):

    01-home.png                 home page of the SAMR regulator (public links and his work)
    02-public-plan.png          public page of the 2023 plan: rules, probabilities, draw, results
    03-certificate-check.png    public certificate check, a valid certificate
    04-plan-manage.png          the organizer's plan page: steps, draw, tasks and teams
    05-institution-portal.png   institution portal: self-inspection form and pledge
    06-reports.png              reports: the statistics table as PDF and .xlsx
    07-inspector-phone.png      the inspector's task list on a phone (390×844)
    08-verify.png               "verify this draw": the replay's MATCH, with the ledger checked
    09-review.png               the reviewer's queue of results submitted by the teams
    10-correction.png           a corrected result's task page: the revisions, old one superseded
    11-public-correction.png    the public page's row of the corrected result (更正)
    12-replacements.png         the public replacement chain: reason, evidence, requester, approver
    13-open-data.png            the open-data API's documentation (Swagger UI from static files)
    14-audit-log.png            the audit log: changes, logins and failures with address and source

``--only 13,14`` takes only those shots.

Desktop shots are 1280 px wide; long pages are cut at 2,200 px. It drives Debian's Chromium
(``/usr/bin/chromium``, ``--chromium``) through Playwright and never downloads a browser. The UI
language is the default (Simplified Chinese); ``--language en`` takes the English pages.
Needs only the standard library, Django and Playwright.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Playwright's sync API runs an event loop in this thread; the ORM look-ups below are plain
# synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--hide-scrollbars", "--font-render-hinting=none"]
PASSWORD = "demo-2023"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MAX_HEIGHT = 2200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_start(port: int, log) -> subprocess.Popen:
    """``manage.py runserver`` in a subprocess, with this process's environment; its output
    goes to ``log`` (a file: a pipe nobody reads would fill up and stall the server)."""
    env = {**os.environ, "DEBUG": "1", "RATELIMIT_ENABLE": "0", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload",
         f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def server_wait(base_url: str, proc: subprocess.Popen | None, log_path: str | None,
                timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            output = Path(log_path).read_text(errors="replace") if log_path else ""
            raise SystemExit(f"runserver exited ({proc.returncode}):\n{output[-4000:]}")
        try:
            with urllib.request.urlopen(base_url + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{base_url} did not answer within {timeout:.0f} s")


def demo_targets() -> dict:
    """Ids and numbers the shots need, read from the demo database."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from inspections.models import Draw, DrawStatus, InspectionResult, SpotCheckPlan
    from qualifications.models import Certificate, CertificateStatus

    users = set(get_user_model().objects.filter(
        username__in=["samr", "samr-review", "inspector", "institution"])
        .values_list("username", flat=True))
    plan = SpotCheckPlan.objects.filter(year=2023, authority__name="市场监管总局").first()
    draw = (Draw.objects.filter(plan=plan, kind="institutions", status=DrawStatus.COMPLETED)
            .only("pk", "plan_id").first() if plan else None)
    corrected = InspectionResult.objects.filter(task__plan=plan, corrects__isnull=False,
                                                state="published").first()
    if len(users) < 4 or draw is None or corrected is None:
        raise SystemExit("No demo data here (accounts samr, samr-review, inspector, institution, "
                         "a completed 2023 draw and a corrected result): run `make demo-data` "
                         "or `manage.py demo_cycle` with the same DATABASE_URL first.")
    today = timezone.localdate()
    valid = (Certificate.objects.filter(status=CertificateStatus.VALID, valid_until__gte=today)
             .order_by("pk"))
    certificate = valid.exclude(scope_summary="").first() or valid.first()
    return {"plan": draw.plan_id, "draw": draw.pk, "corrected_task": corrected.task_id,
            "certificate": certificate.number if certificate else "224407129999"}


class Shooter:
    def __init__(self, browser, base_url: str, out: Path, language: str):
        self.browser, self.base_url, self.out = browser, base_url, out
        self.prefix = "" if language == "zh-hans" else f"/{language}"
        self.locale = "zh-CN" if language == "zh-hans" else language
        self.contexts: dict[tuple[str | None, bool], Any] = {}  # playwright BrowserContext

    def page(self, username: str | None, *, phone: bool = False):
        """A page of ``username``'s context (logged in through the form); ``None``: public."""
        key = (username, phone)
        if key not in self.contexts:
            options = {"base_url": self.base_url, "locale": self.locale,
                       "viewport": PHONE if phone else DESKTOP,
                       "device_scale_factor": 2 if phone else 1}
            if phone:
                options.update(is_mobile=True, has_touch=True)
            context = self.browser.new_context(**options)
            context.set_default_timeout(60_000)
            self.contexts[key] = context
            if username is not None:
                page = context.new_page()
                page.goto(self.prefix + "/accounts/login/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", PASSWORD)
                with page.expect_navigation():
                    page.click("main form button[type=submit]")
                if "/accounts/login/" in page.url:
                    raise SystemExit(f"cannot log in as {username!r} with the demo password")
                page.close()
        return self.contexts[key].new_page()

    def shoot(self, name: str, path: str, username: str | None = None, *,
              full_page: bool = True, phone: bool = False, wait: str | None = None) -> Path:
        page = self.page(username, phone=phone)
        prefix = "" if path.startswith("/api/") else self.prefix
        response = page.goto(prefix + path, wait_until="networkidle")
        if response is None or response.status != 200:
            raise SystemExit(f"{path} as {username or 'the public'}: HTTP "
                             f"{response.status if response else '?'}")
        if wait:
            page.wait_for_selector(wait)
        page.evaluate("document.fonts.ready")
        target = self.out / name
        if full_page:
            height = page.evaluate("document.documentElement.scrollHeight")
            width = page.viewport_size["width"]
            page.screenshot(path=target, full_page=True,
                            clip={"x": 0, "y": 0, "width": width,
                                  "height": min(height, MAX_HEIGHT)})
        else:
            page.screenshot(path=target)
        page.close()
        print(f"  {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        return target

    def shoot_element(self, name: str, path: str, selector: str,
                      username: str | None = None) -> Path:
        """A screenshot of the element ``selector`` of the page (the first one)."""
        page = self.page(username)
        page.goto(self.prefix + path, wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        target = self.out / name
        page.locator(selector).first.screenshot(path=target)
        page.close()
        print(f"  {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        return target

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


def shots_list(t: dict) -> list[tuple]:
    """``(number, method name, arguments…)`` of every shot."""
    plan, draw = t["plan"], t["draw"]
    return [
        (1, "shoot", "01-home.png", "/", "samr", {"full_page": False}),
        (2, "shoot", "02-public-plan.png", f"/inspections/public/plans/{plan}/"),
        (3, "shoot", "03-certificate-check.png",
         f"/qualifications/certificates/check/?number={t['certificate']}"),
        (4, "shoot", "04-plan-manage.png", f"/inspections/plans/{plan}/", "samr"),
        (5, "shoot", "05-institution-portal.png", "/inspections/portal/", "institution",
         {"full_page": False}),
        (6, "shoot", "06-reports.png", "/reports/", "samr"),
        (7, "shoot", "07-inspector-phone.png", "/inspections/tasks/mine/", "inspector",
         {"full_page": False, "phone": True}),
        (8, "shoot", "08-verify.png", f"/inspections/public/draws/{draw}/verify/"),
        (9, "shoot", "09-review.png", "/inspections/review/", "samr-review",
         {"full_page": False}),
        (10, "shoot", "10-correction.png", f"/inspections/tasks/{t['corrected_task']}/result/",
         "samr"),
        (11, "shoot_element", "11-public-correction.png", f"/inspections/public/plans/{plan}/",
         "#results tr:has(.badge.corrected)"),
        (12, "shoot_element", "12-replacements.png", f"/inspections/public/plans/{plan}/",
         "#replacement-chain"),
        (13, "shoot", "13-open-data.png", "/api/docs/", None, {"full_page": False,
                                                                "wait": ".opblock"}),
        (14, "shoot", "14-audit-log.png", "/admin/common/auditevent/", "admin",
         {"full_page": False}),
    ]


def shots_take(shooter: Shooter, t: dict, only: set[int] | None = None) -> None:
    for number, method, *args in shots_list(t):
        if only and number not in only:
            continue
        options = args.pop() if isinstance(args[-1], dict) else {}
        getattr(shooter, method)(*args, **options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--base-url", help="use this running server instead of starting one")
    parser.add_argument("--port", type=int, default=0, help="runserver port (default: a free one)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    parser.add_argument("--only", default="", help="comma-separated shot numbers, e.g. 13,14")
    args = parser.parse_args()
    only = {int(n) for n in args.only.split(",") if n.strip()}
    if not Path(args.chromium).exists():
        raise SystemExit(f"{args.chromium} not found (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    targets = demo_targets()
    args.out.mkdir(parents=True, exist_ok=True)
    proc = log = None
    base_url = (args.base_url or "").rstrip("/")
    if not base_url:
        port = args.port or free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = tempfile.NamedTemporaryFile("w+", prefix="screenshots-runserver-", suffix=".log",
                                          delete=False)
        proc = server_start(port, log)
    try:
        server_wait(base_url, proc, log.name if log else None)
        print(f"{base_url}: plan #{targets['plan']}, draw #{targets['draw']}, "
              f"certificate {targets['certificate']}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium,
                                                 args=CHROMIUM_ARGS)
            shooter = Shooter(browser, base_url, args.out, args.language)
            try:
                shots_take(shooter, targets, only)
            finally:
                shooter.close()
                browser.close()
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if log is not None:
            log.close()
            os.unlink(log.name)


if __name__ == "__main__":
    main()

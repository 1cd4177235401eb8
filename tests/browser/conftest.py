"""Browser tests: Debian's headless Chromium driven by Playwright against pytest-django's live
server (marker ``browser``; ``-m "not browser"`` leaves them out).

* Never downloads a browser: it launches ``/usr/bin/chromium``; without it (or without the
  ``playwright`` package) every test here is skipped.
* One browser per session, a fresh context (cookies, viewport, language) per page.
* Playwright's sync API runs an asyncio loop in the test thread, so Django's async-unsafe guard
  is switched off for the test process (every ORM call here is plain synchronous code).
* The tests are transactional: the live server answers from its own thread and connection, so
  the fixtures' rows must be committed. Each flush empties the reference data; ``ref`` reloads it.
* Pages are translated from catalogues compiled fresh from ``locale/*/django.po`` (as
  ``tests/test_i18n.py`` does), so a stale ``.mo`` in the checkout cannot fail a test.

Logging in: ``log_in(page, username)`` goes through the real login form; ``new_page(user)`` starts
the context with the session cookie of ``client.force_login(user)`` (faster, for tests about
something else).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import client_for
from tests.draws.conftest import gd_approver, gd_organizer, provincial_plan  # noqa: F401

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-123456"  # tests.factories.UserFactory


def pytest_collection_modifyitems(config, items):
    """Without Chromium, skip every test of this folder before any database work."""
    if CHROMIUM.exists():
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session")
def browser():
    """The session's headless Chromium (Debian's; Playwright never downloads one here)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def fresh_locale(tmp_path_factory) -> Path:
    """``locale/*/django.po`` compiled into a temporary LOCALE_PATHS directory."""
    from tests.test_i18n import compile_catalogues

    return compile_catalogues(tmp_path_factory.mktemp("browser-locale"))


@pytest.fixture(autouse=True)
def _browser_site(settings, fresh_locale):
    """Fresh catalogues and no rate limits while the live server answers this test."""
    settings.LOCALE_PATHS = [fresh_locale]
    settings.RATELIMIT_ENABLE = False
    yield
    translation.activate(settings.LANGUAGE_CODE)
    translation.deactivate()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(user=None, *, phone=False)``: a page in a new browser context on the live
    server (relative URLs work), logged in as ``user`` through its session cookie, at desktop
    size or at a phone's 390×844."""
    contexts = []

    def make(user=None, *, phone: bool = False):
        options = {"base_url": live_server.url, "locale": "zh-CN",
                   "viewport": PHONE if phone else DESKTOP}
        if phone:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        if user is not None:
            session = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                                  "url": live_server.url}])
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def log_in():
    """``log_in(page, username, password=UserFactory's)``: through the real login form."""

    def go(page, username: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "/accounts/login/" not in page.url, f"login as {username} failed"

    return go


@pytest.fixture
def completed_draw(provincial_plan, gd_organizer):  # noqa: F811  (fixture parameters)
    """The provincial plan's draw, committed and run (7 tasks with teams of two)."""
    from tests.cycle import commit_and_run

    return commit_and_run(provincial_plan, gd_organizer, "0 7 2")


@pytest.fixture
def zh():
    """``zh(msgid)``: the text the Chinese pages show for ``msgid`` (fresh catalogues)."""

    def gettext(msgid: str) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return str(translation.gettext(msgid))

    return gettext

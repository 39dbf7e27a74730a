"""In Chromium: a visitor searches "samsat", opens the innovation, sees its booth on the plan.

Playwright's sync API allows one instance per thread and ``tests/e2e`` keeps a
session-wide browser open in the main thread, so this test drives its own Chromium from a
worker thread.  The live server fixtures come from ``tests/e2e/conftest.py``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from core.db import get_db
from core.services.demo import DEMO_SLUG, seed_demo
from tests.conftest import skip_or_fail
from tests.e2e.conftest import (  # noqa: F401  (fixtures used by name)
    ARTIFACTS,
    CHROMIUM_ARGS,
    LiveServer,
    live_app,
    live_database_url,
    live_server,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> None:  # noqa: F811
    """The demo event: agencies, innovations, and (from this plugin) zones and booths."""
    with get_db(live_app).transaction() as session:
        seed_demo(session, live_app.extensions["gelar_plugins"])


def in_chromium(scenario: Callable[[Any], None], artifact: str) -> None:
    """Run ``scenario(page)`` in a fresh Chromium driven from a worker thread."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "Playwright is not installed")
    executable = os.environ.get("GELAR_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        skip_or_fail("browser", f"Chromium not found at {executable} (set GELAR_CHROMIUM)")
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=executable, args=CHROMIUM_ARGS
                )
                page = chromium.new_context(locale="en-GB").new_page()
                page.set_default_timeout(15_000)
                try:
                    scenario(page)
                except BaseException:
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / f"{artifact}.png"), full_page=True)
                    raise
                finally:
                    chromium.close()
        except BaseException as exc:  # handed to the test's thread
            failure.append(exc)

    worker = threading.Thread(target=run, name="exhibitors-browser")
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the browser scenario did not finish"
    if failure:
        raise failure[0]


def test_visitor_finds_samsat_booth(live_server: LiveServer) -> None:  # noqa: F811
    def scenario(page: Any) -> None:
        page.goto(live_server(f"/{DEMO_SLUG}/exhibitors/"))
        page.get_by_role("searchbox").first.fill("SAMSAT")
        page.locator("form.catalogue-search button[type=submit]").click()
        first = page.locator(".card-title a").first
        title = first.inner_text()
        assert "samsat" in title.lower()
        first.click()
        assert page.locator("h1").inner_text() == title
        highlighted = page.locator(".mini-map a.booth.highlighted")
        assert highlighted.count() == 1
        code = highlighted.get_attribute("data-code")
        page.locator(f"a[href*='floor-plan?highlight={code}']").click()
        plan = page.locator(".floor-plan-wrap a.booth.highlighted")
        assert plan.count() == 1 and plan.get_attribute("data-code") == code
        assert plan.locator("text").text_content() == code
        assert plan.is_visible()

    in_chromium(scenario, "exhibitors-samsat")

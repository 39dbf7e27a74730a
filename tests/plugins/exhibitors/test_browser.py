"""In Chromium: a visitor searches "samsat", opens the innovation, sees its booth on the plan."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from core.db import get_db
from core.services.demo import DEMO_SLUG, seed_demo
from tests.e2e.conftest import (  # noqa: F401  (fixtures used by name)
    LiveServer,
    browser,
    live_app,
    live_database_url,
    live_server,
    new_page,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> None:  # noqa: F811
    """The demo event: agencies, innovations, and (from this plugin) zones and booths."""
    with get_db(live_app).transaction() as session:
        seed_demo(session, live_app.extensions["gelar_plugins"])


def test_visitor_finds_samsat_booth(live_server: LiveServer, new_page: Any) -> None:  # noqa: F811
    page = new_page(locale="en-GB")
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

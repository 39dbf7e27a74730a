"""In Chromium: the demo's main pages run under the strict CSP with no violation, JS intact.

Every page is loaded with a listener for ``securitypolicyviolation`` events (installed
before any page script) and the console watched for "Content Security Policy" errors; the
JavaScript features still work: agenda stars (``agenda.js``), the timetable editor's
script (``timetable.js``), the print button of the visitor passes (``print.js``).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from core.db import get_db
from core.services.demo import DEMO_ORGANIZER, DEMO_SLUG, seed_demo
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> None:
    """The demo event with every plugin's demo data."""
    with get_db(live_app).transaction() as session:
        seed_demo(session, live_app.extensions["gelar_plugins"])


class Watched:
    """A page whose CSP violations (events and console errors) are collected."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.console.append(message.text)

    def visit(self, url: str) -> None:
        """Load ``url`` and check nothing was blocked."""
        response = self.page.goto(url)
        assert response is not None and response.status < 400, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
        self.assert_clean(url)

    def assert_clean(self, where: str) -> None:
        """No violation reported so far on the current page."""
        self.page.wait_for_load_state("load")
        assert self.page.evaluate("window.__csp") == [], where
        assert self.console == [], where


def test_visitor_pages_have_no_csp_violation(live_server: LiveServer, new_page: Any) -> None:
    watched = Watched(new_page(locale="en-GB"))
    page = watched.page
    for path in (
        "/",
        f"/{DEMO_SLUG}/",
        f"/{DEMO_SLUG}/exhibitors/",
        f"/{DEMO_SLUG}/exhibitors/?q=samsat",
        f"/{DEMO_SLUG}/exhibitors/floor-plan",
        f"/{DEMO_SLUG}/voting/",
        f"/{DEMO_SLUG}/registration/visit",
        "/auth/login",
    ):
        watched.visit(live_server(path))
    watched.visit(live_server(f"/{DEMO_SLUG}/exhibitors/"))
    page.locator(".card-title a").first.click()
    watched.assert_clean("innovation page")
    assert page.locator(".mini-map svg, .qr svg").count() >= 1
    # The floor plan's nonce'd stylesheet applies: a highlighted booth is filled gold.
    code = page.locator(".mini-map a.booth.highlighted").get_attribute("data-code")
    if code:
        watched.visit(live_server(f"/{DEMO_SLUG}/exhibitors/floor-plan?highlight={code}"))
        fill = page.evaluate(
            "getComputedStyle(document.querySelector('a.booth.highlighted rect')).fill"
        )
        assert fill == "rgb(255, 210, 63)"
    # The agenda: the grid's positions come from the nonce'd <style>; stars work (agenda.js).
    watched.visit(live_server(f"/{DEMO_SLUG}/symposium/"))
    grid = page.locator(".sym-slot").first  # wide screen: the rooms-by-time grid
    assert grid.evaluate("e => getComputedStyle(e).gridRowStart") not in ("auto", "")
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: the cards and stars
    star = page.locator("button.sym-star").first
    star.click()
    assert star.get_attribute("aria-pressed") == "true"
    watched.assert_clean("agenda after starring")
    page.locator("#sym-my-link").click()
    page.wait_for_url("**/my?s=*")
    assert page.locator("#sym-my-list li").count() == 1
    watched.assert_clean("my agenda")


def test_organizer_pages_have_no_csp_violation(live_server: LiveServer, new_page: Any) -> None:
    watched = Watched(new_page(locale="en-GB"))
    page = watched.page
    watched.visit(live_server("/auth/login"))
    page.fill("input[name=email]", DEMO_ORGANIZER[0])
    page.fill("input[name=password]", DEMO_ORGANIZER[2])
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    for path in (
        f"/{DEMO_SLUG}/manage/",
        f"/{DEMO_SLUG}/manage/plugins",
        f"/{DEMO_SLUG}/exhibitors/manage/",
        f"/{DEMO_SLUG}/registration/manage/",
        f"/{DEMO_SLUG}/symposium/manage/",
        f"/{DEMO_SLUG}/symposium/manage/tracks",
        f"/{DEMO_SLUG}/voting/manage/",
        f"/{DEMO_SLUG}/voting/manage/results",
        f"/{DEMO_SLUG}/voting/manage/results?top=3",
        f"/{DEMO_SLUG}/voting/manage/calibration",
        f"/{DEMO_SLUG}/voting/manage/qr",
    ):
        watched.visit(live_server(path))
    # The visitor passes sheet: the print button works without an inline handler.
    watched.visit(live_server(f"/{DEMO_SLUG}/manage/passes"))
    page.fill("input[name=count]", "2")
    page.locator("form.inline-form button[type=submit]").click()
    page.wait_for_load_state()
    page.locator(f"a[href$='/{DEMO_SLUG}/manage/passes/print']").click()
    page.wait_for_load_state()
    watched.assert_clean("print sheet")
    page.locator("button[data-print]").click()
    assert page.evaluate("window.__printed") == 1

"""In Chromium: no serious or critical axe-core violation on any page of the demo.

Heading order (a moderate rule) is held to the same bar: screen-reader users navigate by it.

The demo is seeded, then each role (anonymous, exhibitor, judge, organizer, admin) crawls
the pages it can reach by following links from its start pages (GET only, same origin; each
route pattern once — ids are folded so 178 innovation pages count as one) and axe-core
(``axe.min.js`` bundled by the PyPI package ``axe-playwright-python``, no network) is run
on each page at desktop width and again at 360 px.  The context bypasses the CSP only so the
axe source can be evaluated; the pages themselves are served unchanged.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask

from core.db import get_db
from core.services.demo import (
    DEMO_ADMIN,
    DEMO_EXHIBITOR,
    DEMO_JUDGE_PASSWORD,
    DEMO_ORGANIZER,
    DEMO_SLUG,
    seed_demo,
)
from core.services.demo_data import DEMO_JUDGES
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser

SERIOUS = ("serious", "critical")
PAGES_PER_ROLE = 45
SKIP = re.compile(
    r"(/auth/logout|/lang/|/api/|/static/|/assets?/|\.(csv|xlsx|pdf|ics|json|svg|png|jpe?g|zip)"
    r"(\?|$)|/export|/download|/print|/files/|/photo)"
)
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order')
    .map(v => ({id: v.id, impact: v.impact,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"


def _axe_source() -> str:
    return importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text()


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> None:
    """The demo event with every plugin's demo data."""
    with get_db(live_app).transaction() as session:
        seed_demo(session, live_app.extensions["gelar_plugins"])


def pattern(path: str) -> str:
    """A route pattern: numbers and pass/link tokens folded, the query string dropped."""
    path = re.sub(r"/\d+(?=/|$)", "/{n}", path)
    return re.sub(r"/[A-Za-z0-9_-]{16,}(?=/|$)", "/{token}", path)


class Crawl:
    """One role's crawl: pages found by links, each route pattern checked once."""

    def __init__(self, page: Any, server: LiveServer, source: str) -> None:
        self.page, self.server, self.source = page, server, source
        self.seen: set[str] = set()
        self.found: dict[str, list[dict[str, Any]]] = {}

    def check(self, path: str) -> list[str]:
        """Load ``path``, run axe at desktop and phone widths; the links it shows."""
        self.page.set_viewport_size({"width": 1280, "height": 900})
        response = self.page.goto(self.server(path))
        if (
            response is None
            or response.status >= 400
            or "text/html" not in (response.headers.get("content-type", ""))
        ):
            return []
        self.page.evaluate(self.source)
        for width in (1280, 360):
            self.page.set_viewport_size({"width": width, "height": 900})
            problems = self.page.evaluate(RUN_AXE)
            if problems:
                self.found[f"{path} @{width}px"] = problems
        return self.page.evaluate(LINKS)

    def run(self, starts: list[str]) -> None:
        """Breadth-first from ``starts`` up to :data:`PAGES_PER_ROLE` patterns."""
        queue = list(starts)
        while queue and len(self.seen) < PAGES_PER_ROLE:
            path = queue.pop(0)
            if pattern(path) in self.seen or SKIP.search(path):
                continue
            self.seen.add(pattern(path))
            for href in self.check(path):
                target = urlsplit(urljoin(self.server(path), href))
                if target.netloc == urlsplit(self.server.url).netloc and target.path:
                    queue.append(target.path)


def _login(page: Any, server: LiveServer, email: str, password: str) -> None:
    page.goto(server("/auth/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


ROLES = {
    "anonymous": None,
    "exhibitor": (DEMO_EXHIBITOR[0], DEMO_EXHIBITOR[2]),
    "judge": (DEMO_JUDGES[0][1], DEMO_JUDGE_PASSWORD),
    "organizer": (DEMO_ORGANIZER[0], DEMO_ORGANIZER[2]),
    "admin": (DEMO_ADMIN[0], DEMO_ADMIN[2]),
}
STARTS = [
    "/",
    f"/{DEMO_SLUG}/",
    f"/{DEMO_SLUG}/exhibitors/",
    f"/{DEMO_SLUG}/exhibitors/my",
    f"/{DEMO_SLUG}/symposium/",
    f"/{DEMO_SLUG}/symposium/sessions/1",  # the session and speaker pages, early in the crawl
    f"/{DEMO_SLUG}/voting/",
    f"/{DEMO_SLUG}/voting/judge/",
    f"/{DEMO_SLUG}/voting/judge/app/",  # the offline judging app, drawn by its script
    f"/{DEMO_SLUG}/voting/judge/visits",
    f"/{DEMO_SLUG}/registration/",
    f"/{DEMO_SLUG}/manage/",
    f"/{DEMO_SLUG}/voting/manage/",
    f"/{DEMO_SLUG}/voting/manage/visits",
    f"/{DEMO_SLUG}/voting/manage/calibration",
    "/admin/",
    "/account/",
]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("role", list(ROLES))
def test_no_serious_axe_violation(live_server: LiveServer, new_page: Any, role: str) -> None:
    page = new_page(locale="id-ID", bypass_csp=True)
    credentials = ROLES[role]
    if credentials is not None:
        _login(page, live_server, *credentials)
    crawl = Crawl(page, live_server, _axe_source())
    crawl.run(STARTS)
    assert len(crawl.seen) >= 8, crawl.seen  # the crawl really reached the demo's pages
    assert crawl.found == {}, json.dumps(crawl.found, indent=1)

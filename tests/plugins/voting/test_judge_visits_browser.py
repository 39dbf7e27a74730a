"""In Chromium on a 360 px phone: a judge's booth visits, on the route page and in the
offline judging app, with and without a network.

Scenario: the judge signs in on the phone and opens the route page
(``/<event>/voting/judge/visits``): it fits the screen, lists the visits in time order with
booth codes a thumb can tap, linking the floor plan.  The judging app shows the same route
beside the queue.  With no network (the browser offline and the server down, as in
``test_judge_app_browser``) the app, reloaded, still shows the route from the device, and
the route page opens the app on it.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from core.db import get_db
from core.models import Innovation, Organization, User
from core.services import accounts, events, plugin_settings, roles
from plugins.exhibitors.models import Booth
from plugins.voting import assignment, visits
from plugins.voting.models import VotingAssignment
from tests.conftest import skip_or_fail
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by this module
    ARTIFACTS,
    CHROMIUM_ARGS,
    live_app,
    live_database_url,
)
from tests.plugins.voting.test_judge_app_browser import SwitchableServer, wait_until

pytestmark = pytest.mark.browser

SLUG = "route-e2e"
JUDGE = ("juri.rute@e2e.gelar.id", "Juri Rute", "judge-password-2026")
OTHER = ("juri.rute2@e2e.gelar.id", "Juri Rute Dua", "judge-password-2026")
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def seeded(live_app: Flask) -> dict[str, Any]:  # noqa: F811
    """Voting and exhibitors on, two judges, four agencies with a booth each, six innovations
    judged by both, and the visits planned over two days of 09:00-12:00."""
    registry = live_app.extensions["gelar_plugins"]
    with get_db(live_app).transaction() as session:
        for email, name, password in (JUDGE, OTHER):
            accounts.create_user(session, email=email, name=name, password=password, verified=True)
        event = events.create_event(
            session,
            slug=SLUG,
            name="Pameran Rute 2026",
            year=2026,
            venue="Taman Blambangan, Banyuwangi",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["voting", "exhibitors"])
        for email, _name, _password in (JUDGE, OTHER):
            roles.appoint(session, event, email=email, role="judge")
        agencies = [Organization(name=f"Dinas Rute {n}", region="Banyuwangi") for n in range(4)]
        session.add_all(agencies)
        session.flush()
        for n, agency in enumerate(agencies):
            session.add(
                Booth(
                    event_id=event.id,
                    code=f"A-{n + 1}",
                    zone="A",
                    x=4 * n,
                    y=0,
                    width=3,
                    height=3,
                    organization_id=agency.id,
                )
            )
        for n in range(6):
            session.add(
                Innovation(
                    event_id=event.id,
                    organization_id=agencies[n % 4].id,
                    title=f"Inovasi Rute {n + 1}",
                    summary="Layanan keliling.",
                    category="layanan",
                    status="accepted",
                )
            )
        session.flush()
        assignment.auto_assign(session, event, 2, seed=1)
        with live_app.test_request_context():
            report = visits.auto_plan(
                session,
                registry,
                event,
                starts_at=datetime(2026, 12, 10, 2, 0, tzinfo=UTC),  # 09:00 WIB
                ends_at=datetime(2026, 12, 11, 5, 0, tzinfo=UTC),  # 12:00 WIB the next day
                minutes_per_visit=30,
                changeover_minutes=10,
                daily_start=time(9),
                daily_end=time(12),
            )
        assert report["placed"] == 12 and not report["unplaced"]
        judge_id = session.scalar(select(User.id).where(User.email == JUDGE[0]))
        count = len(
            session.scalars(
                select(VotingAssignment.id).where(VotingAssignment.judge_id == judge_id)
            ).all()
        )
    return {"visits": count}


def test_judge_sees_the_route_on_the_phone_and_offline(
    live_app: Flask,  # noqa: F811
    seeded: dict[str, Any],
) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "Playwright is not installed")
    executable = os.environ.get("GELAR_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        skip_or_fail("browser", f"Chromium not found at {executable} (set GELAR_CHROMIUM)")
    server = SwitchableServer(live_app)
    server.up()

    def drive() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                scenario(browser, server, seeded["visits"])
            finally:
                browser.close()

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(drive).result()
    finally:
        server.down()


def fits(page: Any) -> bool:
    """No sideways scroll at 360 px."""
    return int(page.evaluate("document.scrollingElement.scrollWidth")) <= PHONE["width"]


def tappable(locator: Any) -> bool:
    """At least 44 px tall (a thumb's target)."""
    box = locator.bounding_box()
    return box is not None and box["height"] >= 44 - 0.5


def scenario(browser: Any, server: SwitchableServer, count: int) -> None:
    """Every step of the module docstring, in order."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(server("/auth/login"))
        page.fill("input[name=email]", JUDGE[0])
        page.fill("input[name=password]", JUDGE[2])
        page.click("form button[type=submit].primary")
        page.wait_for_url(lambda url: "/auth/login" not in url)

        # -- the route page on the phone --------------------------------------------------
        page.goto(server(f"/{SLUG}/voting/judge/visits"))
        items = page.locator(".visit-route li.visit-item")
        assert items.count() == count
        assert page.locator("h2#visit-route-title").inner_text().strip() == "Kunjungan stan Anda"
        assert fits(page)
        booth = items.first.locator("a.booth-code")
        assert "A-" in booth.inner_text()
        assert "floor-plan?highlight=" in (booth.get_attribute("href") or "")
        assert tappable(booth)
        times = items.locator(".visit-time").all_inner_texts()
        dates = items.locator(".visit-date").all_inner_texts()
        assert len(set(dates)) == 2  # two days of the exhibition
        assert len(times) == count

        # -- the judging app shows the same route, then works offline ---------------------
        app_url = server(f"/{SLUG}/voting/judge/app/")
        page.goto(app_url)
        route = page.locator("[data-role=visits] li.visit-item")
        route.first.wait_for()
        assert route.count() == count
        assert page.locator("[data-role=visits] h3.visit-day").count() == 2
        assert page.locator("[data-role=visits] a.booth-code").first.get_attribute("href")
        assert fits(page)
        page.wait_for_selector("[data-role=ready][data-ready=yes]")
        wait_until(page, "navigator.serviceWorker.controller !== null")
        online = route.all_inner_texts()

        server.down()
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("[data-role=offline-banner]:visible")
        route.first.wait_for()
        assert route.all_inner_texts() == online  # from the device: same route, same order
        # the route page, offline, opens the app on the route
        page.goto(server(f"/{SLUG}/voting/judge/visits"))
        page.wait_for_url(lambda url: url.endswith("/voting/judge/app/#visits"))
        route.first.wait_for()
        assert route.count() == count and page.locator("[data-role=visits]").is_visible()
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        for j, open_page in enumerate(context.pages):
            open_page.screenshot(path=str(ARTIFACTS / f"judge-route-{j}.png"), full_page=True)
        raise
    finally:
        context.close()

"""In Chromium: a judge scores two innovations on a tablet, a visitor votes from a phone,
the organizer publishes and the public results page shows the ranking.

Playwright's sync API allows one instance per thread, and the session-wide ``browser``
fixture of ``tests/e2e`` may be alive in this thread; so this module drives its own
Chromium from a worker thread (the scenario's assertion errors are re-raised here).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from core.db import get_db
from core.models import Innovation, Organization
from core.services import accounts, events, passes, plugin_settings, roles
from plugins.voting import assignment
from tests.conftest import skip_or_fail
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by this module
    ARTIFACTS,
    CHROMIUM_ARGS,
    LiveServer,
    live_app,
    live_database_url,
    live_server,
)

pytestmark = pytest.mark.browser

SLUG = "vote-e2e"
ORGANIZER = ("panitia@e2e.gelar.id", "Panitia", "organizer-password-2026")
JUDGE = ("juri@e2e.gelar.id", "Juri Satu", "judge-password-2026")
OTHER_JUDGE = ("juri2@e2e.gelar.id", "Juri Dua", "judge-password-2026")
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 360, "height": 740}
KEYS = ("cepat", "efektif", "efisien", "transparan", "tanggap", "responsif")


@pytest.fixture(scope="module")
def seeded(live_app: Flask) -> dict[str, Any]:  # noqa: F811
    """An event with the voting plugin, two judges, four innovations, a visitor pass."""
    registry = live_app.extensions["gelar_plugins"]
    with get_db(live_app).transaction() as session:
        for email, name, password in (ORGANIZER, JUDGE, OTHER_JUDGE):
            accounts.create_user(session, email=email, name=name, password=password, verified=True)
        event = events.create_event(
            session,
            slug=SLUG,
            name="Kompetisi Inovasi 2026",
            year=2026,
            venue="Surabaya",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["voting"])
        roles.appoint(session, event, email=ORGANIZER[0], role="organizer")
        for email, _name, _password in (JUDGE, OTHER_JUDGE):
            roles.appoint(session, event, email=email, role="judge")
        agencies = [Organization(name=f"Dinas E2E {n}", region="Surabaya") for n in range(2)]
        session.add_all(agencies)
        session.flush()
        for n in range(4):
            session.add(
                Innovation(
                    event_id=event.id,
                    organization_id=agencies[n % 2].id,
                    title=f"Inovasi Layanan {n + 1}",
                    category="layanan",
                    status="accepted",
                )
            )
        session.flush()
        plugin_settings.update_settings(
            session,
            registry,
            event,
            "voting",
            {"scoring_open": True, "public_voting_opens_at": "2001-01-01T00:00:00+00:00"},
        )
        assignment.auto_assign(session, event, 2, seed=1)
        code = passes.issue_passes(session, event, 1)[0].code
        ids = list(
            session.scalars(
                select(Innovation.id).where(Innovation.event_id == event.id).order_by(Innovation.id)
            )
        )
    return {"code": code, "innovations": ids}


def sign_in(page: Any, server: LiveServer, email: str, password: str) -> None:
    """Sign in through the login form, in English."""
    page.goto(server("/auth/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def run_in_chromium(scenario: Any) -> None:
    """Run ``scenario(new_page)`` with a fresh Chromium in a worker thread."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "Playwright is not installed")
    executable = os.environ.get("GELAR_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        skip_or_fail("browser", f"Chromium not found at {executable} (set GELAR_CHROMIUM)")

    def drive() -> None:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            contexts: list[Any] = []

            def new_page(**options: Any) -> Any:
                context = chromium.new_context(**options)
                context.set_default_timeout(15_000)
                contexts.append(context)
                return context.new_page()

            try:
                scenario(new_page)
            except BaseException:
                ARTIFACTS.mkdir(exist_ok=True)
                for i, context in enumerate(contexts):
                    for j, page in enumerate(context.pages):
                        shot = ARTIFACTS / f"voting-browser-{i}-{j}.png"
                        page.screenshot(path=str(shot), full_page=True)
                raise
            finally:
                chromium.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(drive).result()


def test_judge_scores_visitor_votes_organizer_publishes(
    live_server: LiveServer,  # noqa: F811
    seeded: dict[str, Any],
) -> None:
    run_in_chromium(lambda new_page: scenario(new_page, live_server, seeded))


def scenario(new_page: Any, live_server: LiveServer, seeded: dict[str, Any]) -> None:  # noqa: F811
    """The judge, the visitor, the organizer, then anyone on the public results page."""
    judge = new_page(viewport=TABLET, has_touch=True)
    sign_in(judge, live_server, JUDGE[0], JUDGE[2])
    judge.goto(live_server(f"/{SLUG}/voting/judge/"))
    assert judge.locator("p.progress").get_attribute("data-done") == "0"
    for position, value in ((0, "9"), (1, "6")):
        judge.locator("li[data-status=pending] a").first.click()
        for key in KEYS:
            judge.locator(f"label:has(input[name='score-{key}'][value='{value}'])").click()
        judge.fill("textarea[name=comment]", "Dinilai dari tablet")
        judge.click("button[value=submit]")
        judge.wait_for_url(lambda url: url.endswith("/voting/judge/"))
        assert judge.locator("p.progress").get_attribute("data-done") == str(position + 1)

    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    target = seeded["innovations"][2]
    phone.goto(live_server(f"/{SLUG}/voting/vote/{target}?pass={seeded['code']}"))
    phone.click("form button.primary")
    assert phone.locator("[data-voted=yes]").is_visible()

    organizer = new_page()
    sign_in(organizer, live_server, ORGANIZER[0], ORGANIZER[2])
    organizer.goto(live_server(f"/{SLUG}/voting/manage/results"))
    organizer.click("form button.primary")  # Publish results
    organizer.wait_for_url(lambda url: url.endswith("/voting/manage/results"))

    public = new_page(viewport=PHONE, is_mobile=True)
    response = public.goto(live_server(f"/{SLUG}/voting/results"))
    assert response is not None and response.status == 200
    ranks = public.locator("tr[data-rank]")
    assert ranks.count() == 2
    assert ranks.first.get_attribute("data-rank") == "1"


PANEL_SLUG = "panel-e2e"


@pytest.fixture(scope="module")
def panel_event(live_app: Flask) -> dict[str, Any]:  # noqa: F811
    """A second event (same people) with one stage and two innovations, nothing assigned."""
    registry = live_app.extensions["gelar_plugins"]
    with get_db(live_app).transaction() as session:
        event = events.create_event(
            session,
            slug=PANEL_SLUG,
            name="Panel Juri 2026",
            year=2026,
            venue="Banyuwangi",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["voting"])
        roles.appoint(session, event, email=ORGANIZER[0], role="organizer")
        for email, _name, _password in (JUDGE, OTHER_JUDGE):
            roles.appoint(session, event, email=email, role="judge")
        agency = Organization(name="Dinas Panel", region="Banyuwangi")
        session.add(agency)
        session.flush()
        for n in range(2):
            session.add(
                Innovation(
                    event_id=event.id,
                    organization_id=agency.id,
                    title=f"Inovasi Panel {n + 1}",
                    category="layanan",
                    status="accepted",
                )
            )
        plugin_settings.update_settings(session, registry, event, "voting", {"scoring_open": True})
    return {"slug": PANEL_SLUG}


def test_organizer_picks_a_stage_panel_on_a_phone(
    live_server: LiveServer,  # noqa: F811
    seeded: dict[str, Any],
    panel_event: dict[str, Any],
) -> None:
    run_in_chromium(lambda new_page: panel_scenario(new_page, live_server))


def panel_scenario(new_page: Any, live_server: LiveServer) -> None:  # noqa: F811
    """The organizer limits stage 1 to one judge from a phone; the other judge is told."""
    organizer = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(organizer, live_server, ORGANIZER[0], ORGANIZER[2])
    organizer.goto(live_server(f"/{PANEL_SLUG}/voting/manage/"))
    block = organizer.locator("section.stage-judges").first
    assert block.get_attribute("data-all-judges") == "yes"
    box = block.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    block.locator("summary").click()
    choice = block.locator("label", has_text=JUDGE[1])
    assert choice.bounding_box()["height"] >= 44  # a touch target
    choice.click()
    block.locator("button[type=submit]").click()
    organizer.wait_for_url(lambda url: "/voting/manage/" in url)
    block = organizer.locator("section.stage-judges").first
    assert block.get_attribute("data-all-judges") == "no"
    assert block.locator(".panel-members").inner_text().strip() == JUDGE[1]
    assert organizer.locator(".flash").first.inner_text().strip() != ""
    width = organizer.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width

    other = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(other, live_server, OTHER_JUDGE[0], OTHER_JUDGE[2])
    other.goto(live_server(f"/{PANEL_SLUG}/voting/judge/"))
    assert other.locator("[data-on-panel=no]").is_visible()

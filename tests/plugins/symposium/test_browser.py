"""In Chromium: an organizer's move into a clash is refused; a visitor stars and downloads .ics.

The app runs for real (CSRF on, a live HTTP server), with the live-server fixtures of
``tests/e2e/conftest.py``.  The organizer uses the timetable editor's form (no
drag-and-drop needed); the anonymous visitor's stars live in the browser's localStorage.

Chromium is driven from a thread of its own: Playwright's sync API refuses to start while
another module's session-wide ``browser`` fixture holds the main thread's event loop.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from icalendar import Calendar

from core.db import get_db
from core.services import accounts, events, plugin_settings, roles
from plugins.symposium import services
from tests.conftest import skip_or_fail
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by the tests below
    ARTIFACTS,
    CHROMIUM_ARGS,
    LiveServer,
    live_app,
    live_database_url,
    live_server,
)

pytestmark = pytest.mark.browser

ORGANIZER = ("organizer@sym.gelar.id", "Sari Organizer", "organizer-password-2026")
SLUG = "sym-e2e"
JKT = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> dict[str, int]:  # noqa: F811 - pytest fixture injection
    """Rooms Hall and Studio; a keynote and a talk placed, a panel unscheduled (Ani twice)."""
    registry = live_app.extensions["gelar_plugins"]
    ids: dict[str, int] = {}
    with live_app.test_request_context(), get_db(live_app).transaction() as session:
        email, name, password = ORGANIZER
        accounts.create_user(session, email=email, name=name, password=password, verified=True)
        event = events.create_event(
            session,
            slug=SLUG,
            name="Simposium Inovasi 2026",
            year=2026,
            venue="Banyuwangi",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["symposium"])
        roles.appoint(session, event, email=email, role="organizer")
        hall = services.create_room(session, event, name="Hall", capacity=300)
        studio = services.create_room(session, event, name="Studio", capacity=40)
        ani = [services.SpeakerInput("Ani", "ani@example.id", "Kominfo")]
        for key, title, room, hour, people in (
            ("keynote", "Opening keynote", hall.id, 9, ani),
            ("talk", "Smart villages", studio.id, 11, [services.SpeakerInput("Budi")]),
            ("panel", "Agency panel", None, None, ani),
        ):
            item, _ = services.create_session(
                session,
                event,
                services.SessionInput(title=title, duration_minutes=60),
                people,
                room_id=room,
                starts_at=datetime(2026, 12, 10, hour, tzinfo=JKT) if hour else None,
            )
            ids[key] = item.id
        ids["studio"] = studio.id
    return ids


def in_chromium(scenario: Callable[[Any], None], name: str) -> None:
    """Run ``scenario(new_page)`` with the system Chromium in a thread of its own.

    ``new_page(**context_options)`` opens a page in a fresh context.  A failure leaves
    screenshots in ``test-artifacts/`` and is raised here.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "Playwright is not installed")
    executable = os.environ.get("GELAR_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        skip_or_fail("browser", f"Chromium not found at {executable} (set GELAR_CHROMIUM)")
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=executable, args=CHROMIUM_ARGS
                )
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
                            page.screenshot(path=str(ARTIFACTS / f"{name}-{i}-{j}.png"))
                    raise
                finally:
                    chromium.close()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="symposium-chromium")
    thread.start()
    thread.join(timeout=180)
    assert not thread.is_alive(), "the browser scenario did not finish"
    if "error" in outcome:
        raise outcome["error"]


def sign_in(page: Any, server: LiveServer, email: str, password: str) -> None:
    """Sign in through the login form and wait to be sent on."""
    page.goto(server("/auth/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_move_into_a_clash_is_refused(
    live_server: LiveServer,  # noqa: F811
    seeded: dict[str, int],
) -> None:
    in_chromium(lambda new_page: move_into_clash(new_page, live_server, seeded), "sym-clash")


def move_into_clash(new_page: Any, live_server: LiveServer, seeded: dict[str, int]) -> None:  # noqa: F811
    """The organizer moves the panel onto its speaker's keynote and sees the refusal."""
    page = new_page()
    sign_in(page, live_server, ORGANIZER[0], ORGANIZER[2])
    page.goto(live_server(f"/{SLUG}/symposium/manage/"))
    form = page.locator("#sym-place")
    form.locator("select[name=session_id]").select_option(str(seeded["panel"]))
    form.locator("select[name=room]").select_option(str(seeded["studio"]))
    form.locator("select[name=day]").select_option("2026-12-10")
    form.locator("input[name=time]").fill("09:30")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    refusal = page.locator("#sym-refused")
    assert refusal.is_visible()
    assert refusal.locator("[data-kind=speaker_overlap]").count() == 1
    assert "Opening keynote" in refusal.inner_text()
    # still unscheduled
    assert page.locator(f"li[data-session='{seeded['panel']}']").count() == 1


def test_visitor_stars_two_sessions_and_downloads_the_ics(
    live_server: LiveServer,  # noqa: F811
    seeded: dict[str, int],
) -> None:
    in_chromium(lambda new_page: star_and_download(new_page, live_server, seeded), "sym-stars")


def star_and_download(new_page: Any, live_server: LiveServer, seeded: dict[str, int]) -> None:  # noqa: F811
    """An anonymous visitor on a phone stars two sessions and downloads the personal .ics."""
    page = new_page(viewport={"width": 360, "height": 740}, accept_downloads=True)
    page.goto(live_server(f"/{SLUG}/symposium/?day=all"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    for key in ("keynote", "talk"):
        # the cards (a phone's view) and the grid (a wide screen's) both carry a star
        button = page.locator(f".sym-cards-view #sym-card-{seeded[key]} button.sym-star")
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        grid_star = page.locator(f".sym-grid-view #sg-{seeded[key]} button.sym-star")
        assert grid_star.count() in (0, 1)
        if grid_star.count():
            assert grid_star.get_attribute("aria-pressed") == "true"  # painted together
    page.locator("#sym-my-link").click()
    page.wait_for_url("**/my?s=*")
    cards = page.locator("#sym-my-list li")
    assert cards.count() == 2
    with page.expect_download() as download_info:
        page.locator("#sym-my-ics").click()
    path = download_info.value.path()
    calendar = Calendar.from_ical(open(path, "rb").read())  # noqa: SIM115
    found = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert found == ["Opening keynote", "Smart villages"]
    starts = sorted(e.decoded("DTSTART") for e in calendar.walk("VEVENT"))
    assert starts[0] == datetime(2026, 12, 10, 9, tzinfo=JKT)
    assert str(starts[0].tzinfo) == "Asia/Jakarta"

"""In Chromium: an organizer's move into a clash is refused; a visitor stars and downloads .ics.

The app runs for real (CSRF on, a live HTTP server), with the e2e fixtures of
``tests/e2e/conftest.py``.  The organizer uses the timetable editor's form (no
drag-and-drop needed); the anonymous visitor's stars live in the browser's localStorage.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from icalendar import Calendar

from core.db import get_db
from core.services import accounts, events, plugin_settings, roles
from plugins.symposium import services
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by the tests below
    LiveServer,
    browser,
    live_app,
    live_database_url,
    live_server,
    new_page,
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
        accounts.create_user(session, email=email, name=name, password=password)
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


def sign_in(page: Any, server: LiveServer, email: str, password: str) -> None:
    """Sign in through the login form and wait to be sent on."""
    page.goto(server("/auth/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_move_into_a_clash_is_refused(
    live_server: LiveServer,  # noqa: F811
    new_page: Any,  # noqa: F811
    seeded: dict[str, int],
) -> None:
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
    new_page: Any,  # noqa: F811
    seeded: dict[str, int],
) -> None:
    page = new_page(viewport={"width": 360, "height": 740}, accept_downloads=True)
    page.goto(live_server(f"/{SLUG}/symposium/"))
    for key in ("keynote", "talk"):
        button = page.locator(f"button.sym-star[data-session='{seeded[key]}']")
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
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

"""In Chromium on a phone: an agency registers with two innovations; an organizer approves.

The real app serves over HTTP with CSRF on; the exhibitor walks the four steps on a 360 px
wide screen, then an organizer approves the registration from the console and the
innovations appear among the event's accepted innovations.

Playwright runs in a thread of its own: the session-wide ``browser`` fixture of
``tests/e2e`` cannot be shared with modules outside that folder, and a second sync
Playwright in the same thread refuses to start while the first is alive.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from core.db import get_db
from core.services import accounts, events, plugin_settings, roles
from tests.conftest import skip_or_fail
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by name
    ARTIFACTS,
    CHROMIUM_ARGS,
    LiveServer,
    live_app,
    live_database_url,
    live_server,
)

pytestmark = pytest.mark.browser

ORGANIZER = ("organizer@reg.gelar.id", "Rina Organizer", "organizer-password-2026")
SLUG = "reg-2026"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> None:  # noqa: F811
    """An event with registration open (a window far from today) and its organizer."""
    registry = live_app.extensions["gelar_plugins"]
    with get_db(live_app).transaction() as session:
        email, name, password = ORGANIZER
        accounts.create_user(session, email=email, name=name, password=password, verified=True)
        event = events.create_event(
            session,
            slug=SLUG,
            name="Pameran Inovasi 2026",
            year=2026,
            venue="Taman Blambangan, Banyuwangi",
            starts_on=date(2999, 11, 10),
            ends_on=date(2999, 11, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["registration"])
        plugin_settings.update_settings(
            session,
            registry,
            event,
            "registration",
            {
                "opens_at": "2001-01-01T00:00:00+07:00",
                "closes_at": "2999-01-01T00:00:00+07:00",
                "max_innovations_per_organization": 2,
            },
        )
        roles.appoint(session, event, email=email, role="organizer")


def run_in_browser(scenario: Callable[[Any], None], artifact: str) -> None:
    """Run ``scenario(browser)`` with the system Chromium in a fresh thread.

    A failure leaves a screenshot of every open page in ``test-artifacts/``.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "Playwright is not installed")
    executable = os.environ.get("GELAR_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        skip_or_fail("browser", f"Chromium not found at {executable} (set GELAR_CHROMIUM)")
    failure: list[BaseException] = []

    def _thread() -> None:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                scenario(chromium)
            except BaseException as exc:  # handed to the test's thread below
                failure.append(exc)
                ARTIFACTS.mkdir(exist_ok=True)
                for i, context in enumerate(chromium.contexts):
                    for j, page in enumerate(context.pages):
                        page.screenshot(path=str(ARTIFACTS / f"{artifact}-{i}-{j}.png"))
            finally:
                chromium.close()

    worker = threading.Thread(target=_thread, name="registration-browser")
    worker.start()
    worker.join(timeout=300)
    assert not worker.is_alive(), "the browser scenario did not finish"
    if failure:
        raise failure[0]


def _page(chromium: Any, **options: Any) -> Any:
    context = chromium.new_context(**options)
    context.set_default_timeout(15_000)
    return context.new_page()


def _fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_agency_registers_on_a_phone_and_an_organizer_approves(
    live_server: LiveServer,  # noqa: F811
    live_database_url: str,  # noqa: F811
) -> None:
    backend = "sqlite" if live_database_url.startswith("sqlite") else "postgres"
    run_in_browser(
        lambda chromium: _register_and_approve(chromium, live_server),
        f"registration-{backend}",
    )


def _register_and_approve(chromium: Any, live_server: LiveServer) -> None:  # noqa: F811
    phone = _page(chromium, viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(live_server(f"/{SLUG}/registration/"))
    phone.click(f"a[href='/{SLUG}/registration/register']")

    phone.fill("input[name=name]", "Dinas Kependudukan Banyuwangi")
    phone.select_option("select[name=kind]", "government")
    phone.fill("input[name=region]", "Kabupaten Banyuwangi")
    assert _fits_the_screen(phone)
    phone.click("form button[type=submit].primary")

    phone.wait_for_url("**/contact")
    phone.fill("input[name=name]", "Sri Wahyuni")
    phone.fill("input[name=email]", "sri@dispenduk.example.id")
    phone.fill("input[name=phone]", "0812-3456-7890")
    phone.click("form button[type=submit].primary")

    phone.wait_for_url("**/innovations")
    assert _fits_the_screen(phone)
    for index, (title, category) in enumerate(
        [
            ("Smart Kampung", "Administrasi & Perizinan"),
            ("Lahir Procot Pulang Bawa Akta", "Kesehatan"),
        ]
    ):
        phone.fill(f"input[name='innovation_{index}-title']", title)
        phone.fill(f"textarea[name='innovation_{index}-summary']", f"Ringkasan {title}")
        phone.select_option(f"select[name='innovation_{index}-category']", category)
        phone.fill(f"input[name='innovation_{index}-year_launched']", "2016")
        phone.check(f"input[name='innovation_{index}-cettar'][value=cepat]")
    phone.click("form button[type=submit].primary")

    phone.wait_for_url("**/review")
    assert "Smart Kampung" in phone.content()
    phone.click("form button[type=submit].primary")
    phone.wait_for_url(lambda url: url.endswith("/"))
    assert phone.locator("[data-status=pending]").count() == 1
    assert _fits_the_screen(phone)

    desk = _page(chromium)
    email, _name, password = ORGANIZER
    desk.goto(live_server("/auth/login"))
    desk.fill("input[name=email]", email)
    desk.fill("input[name=password]", password)
    desk.click("form button[type=submit].primary")
    desk.wait_for_url(lambda url: "/auth/login" not in url)
    desk.goto(live_server(f"/{SLUG}/registration/manage/"))
    desk.click("text=Dinas Kependudukan Banyuwangi")
    desk.select_option("select[name=status]", "approved")
    desk.fill("textarea[name=reason]", "Selamat bergabung")
    desk.click("form[action$='/decision'] button[type=submit]")
    desk.wait_for_selector("[data-status=approved]")

    phone.reload()
    assert phone.locator("[data-status=approved]").count() == 1
    phone.goto(live_server(f"/api/v1/events/{SLUG}/innovations"))
    listed = json.loads(phone.inner_text("body"))
    assert sorted(i["title"] for i in listed["items"]) == [
        "Lahir Procot Pulang Bawa Akta",
        "Smart Kampung",
    ]

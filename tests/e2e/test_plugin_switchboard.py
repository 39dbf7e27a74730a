"""In Chromium: an organizer switches a plugin on and off; the event home on a phone.

The app runs for real (CSRF on, a live HTTP server); the browser signs in through the
login form and presses the switchboard's buttons, as an organizer would.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask

from core.db import get_db
from core.services import accounts, events, plugin_settings, roles
from core.services.demo import DEMO_ORGANIZER, DEMO_SLUG, seed_demo
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser

ORGANIZER = ("organizer@e2e.gelar.id", "Rina Organizer", "organizer-password-2026")
SLUG = "jatim-2026"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> None:
    """The demo event, plus an event of our organizer's with only the exhibitors plugin on."""
    registry = live_app.extensions["gelar_plugins"]
    with get_db(live_app).transaction() as session:
        seed_demo(session, registry)
        email, name, password = ORGANIZER
        accounts.create_user(session, email=email, name=name, password=password, verified=True)
        event = events.create_event(
            session,
            slug=SLUG,
            name="Pameran Inovasi Jawa Timur 2026",
            year=2026,
            venue="Grand City, Surabaya",
            starts_on=date(2026, 11, 10),
            ends_on=date(2026, 11, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["exhibitors"])
        roles.appoint(session, event, email=email, role="organizer")


def sign_in(page: Any, server: LiveServer, email: str, password: str) -> None:
    """Sign in through the login form and wait to be sent on."""
    page.goto(server("/auth/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def plugin_nav(page: Any, plugin: str) -> Any:
    """The event navigation's link contributed by ``plugin``."""
    return page.locator(f"nav.event-nav a[data-plugin={plugin}]")


def toggle(page: Any, server: LiveServer, plugin: str, expect_now: str) -> None:
    """Press the switchboard button of ``plugin`` and check its new on/off badge."""
    page.goto(server(f"/{SLUG}/manage/plugins"))
    row = page.locator(f"#plugin-{plugin}")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{SLUG}/manage/plugins")
    badge = page.locator(f"#plugin-{plugin} .badge")
    assert badge.get_attribute("class").split()[-1] == f"badge-{expect_now}"


def test_organizer_enables_and_disables_a_plugin(live_server: LiveServer, new_page: Any) -> None:
    """Turning symposium on adds its nav item and page; turning it off makes its page 404."""
    page = new_page()
    # A visitor sees no symposium on the event yet, and its page does not exist.
    page.goto(live_server(f"/{SLUG}/"))
    assert plugin_nav(page, "exhibitors").count() == 1
    assert plugin_nav(page, "symposium").count() == 0
    response = page.goto(live_server(f"/{SLUG}/symposium/"))
    assert response is not None and response.status == 404

    sign_in(page, live_server, ORGANIZER[0], ORGANIZER[2])
    page.goto(live_server(f"/{SLUG}/"))
    page.locator("nav.event-nav a.manage").click()
    page.wait_for_url(f"**/{SLUG}/manage/")
    page.locator(f"a[href='/{SLUG}/manage/plugins']").first.click()
    page.wait_for_url(f"**/{SLUG}/manage/plugins")
    assert page.locator("#plugin-symposium .badge-off").count() == 1

    toggle(page, live_server, "symposium", expect_now="on")
    page.goto(live_server(f"/{SLUG}/"))
    nav = plugin_nav(page, "symposium")
    assert nav.count() == 1 and nav.is_visible()
    nav.click()
    page.wait_for_url(f"**/{SLUG}/symposium/")
    assert page.locator("main h1").count() == 1
    assert page.locator("nav.event-nav a[aria-current=page]").get_attribute("data-plugin") == (
        "symposium"
    )

    toggle(page, live_server, "symposium", expect_now="off")
    response = page.goto(live_server(f"/{SLUG}/symposium/"))
    assert response is not None and response.status == 404
    page.goto(live_server(f"/{SLUG}/"))
    assert plugin_nav(page, "symposium").count() == 0
    assert plugin_nav(page, "exhibitors").count() == 1


def test_switchboard_refuses_a_visitor(live_server: LiveServer, new_page: Any) -> None:
    """Without signing in the switchboard sends the visitor to the login form."""
    page = new_page()
    page.goto(live_server(f"/{SLUG}/manage/plugins"))
    assert "/auth/login" in page.url
    assert page.locator("input[name=password]").count() == 1


def no_sideways_scroll(page: Any) -> int:
    """The page's scroll width (it must fit the 360 px viewport)."""
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def test_event_home_fits_a_phone(live_server: LiveServer, new_page: Any) -> None:
    """On a 360 px phone the public pages and the organizer console need no sideways scroll."""
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    for path in (f"/{DEMO_SLUG}/", f"/{DEMO_SLUG}/exhibitors/", "/"):
        page.goto(live_server(path))
        assert no_sideways_scroll(page) <= PHONE["width"], path
    sign_in(page, live_server, DEMO_ORGANIZER[0], DEMO_ORGANIZER[2])
    for tail in ("", "manage/", "manage/plugins", "manage/people", "manage/passes"):
        path = f"/{DEMO_SLUG}/{tail}"
        page.goto(live_server(path))
        assert no_sideways_scroll(page) <= PHONE["width"], path


def test_language_switcher_flips_the_interface(live_server: LiveServer, new_page: Any) -> None:
    """The switcher turns the UI from Indonesian (the default) to English and back."""
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(live_server(f"/{DEMO_SLUG}/"))
    html = page.locator("html")
    switch = page.locator("form.lang-switch button")
    assert html.get_attribute("lang") == "id"
    assert switch.inner_text().strip() == "EN"
    indonesian_sign_in = page.locator("nav.account a[href*='/auth/login']").inner_text().strip()

    switch.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{DEMO_SLUG}/")
    assert html.get_attribute("lang") == "en"
    assert switch.inner_text().strip() == "ID"
    english_sign_in = page.locator("nav.account a[href*='/auth/login']").inner_text().strip()
    assert english_sign_in == "Sign in"
    assert indonesian_sign_in != english_sign_in
    assert no_sideways_scroll(page) <= PHONE["width"]

    # The choice sticks across pages, and switching back restores Indonesian.
    page.goto(live_server("/"))
    assert html.get_attribute("lang") == "en"
    switch.click()
    page.wait_for_load_state()
    assert html.get_attribute("lang") == "id"
    assert page.locator("nav.account a[href*='/auth/login']").inner_text().strip() == (
        indonesian_sign_in
    )

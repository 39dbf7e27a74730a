"""In Chromium on a 360 px phone: each role lands on "Beranda saya" and reaches its work in
one tap; the vote page filters as one types; anonymous stars follow the visitor into the account.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from core.db import get_db
from core.services import accounts
from core.services.demo import (
    DEMO_EXHIBITOR,
    DEMO_JUDGE_PASSWORD,
    DEMO_ORGANIZER,
    DEMO_SLUG,
    seed_demo,
)
from core.services.demo_data import DEMO_JUDGES
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
VISITOR = ("tamu@e2e.gelar.id", "Tamu Pameran", "visitor-password-2026")


@pytest.fixture(scope="module", autouse=True)
def seeded(live_app: Flask) -> None:
    """The demo (scoring and the public vote open) and a visitor account."""
    with get_db(live_app).transaction() as session:
        seed_demo(session, live_app.extensions["gelar_plugins"])
        email, name, password = VISITOR
        accounts.create_user(session, email=email, name=name, password=password, verified=True)


def phone(new_page: Any) -> Any:
    """A fresh phone-sized page."""
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True)


def sign_in(page: Any, server: LiveServer, email: str, password: str, path: str = "/") -> None:
    """Sign in from the header's link on ``path``, as a person would."""
    page.goto(server(path))
    page.locator("nav.account a[href*='/auth/login']").click()
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def fits(page: Any) -> bool:
    """No sideways scroll at 360 px."""
    return int(page.evaluate("document.scrollingElement.scrollWidth")) <= PHONE["width"]


def tappable(locator: Any) -> bool:
    """At least 44 px tall (a thumb's target)."""
    box = locator.bounding_box()
    return box is not None and box["height"] >= 44 - 0.5


def test_organizer_lands_on_my_home_and_opens_the_console(
    live_server: LiveServer, new_page: Any
) -> None:
    page = phone(new_page)
    sign_in(page, live_server, DEMO_ORGANIZER[0], DEMO_ORGANIZER[2])
    assert page.url.endswith("/me")
    assert page.locator("h1").inner_text().strip() == "Beranda saya"
    assert page.locator("nav.account a").first.get_attribute("href") == "/me"
    assert fits(page)
    event = page.locator(f'.my-event[data-event="{DEMO_SLUG}"]')
    for plugin in ("registration", "exhibitors", "symposium", "voting"):
        assert event.locator(f'.my-panel[data-plugin="{plugin}"]').count() >= 1, plugin
    console = event.locator("a[data-action=console]")
    assert tappable(console)
    console.click()
    page.wait_for_url(f"**/{DEMO_SLUG}/manage/")


def test_exhibitor_reaches_the_booth_in_one_tap(live_server: LiveServer, new_page: Any) -> None:
    page = phone(new_page)
    sign_in(page, live_server, DEMO_EXHIBITOR[0], DEMO_EXHIBITOR[2], path=f"/{DEMO_SLUG}/")
    # signing in from the event's page returns there; the header takes them home
    assert page.url.endswith(f"/{DEMO_SLUG}/")
    page.locator("nav.account a.my-home-link").click()
    page.wait_for_url("**/me")
    # the 2019 edition's panel (the demo's live edition has one too)
    booth = page.locator(
        f'.my-panel[data-plugin="exhibitors"] a[href$="/{DEMO_SLUG}/exhibitors/my"]'
    ).first
    assert fits(page) and tappable(booth)
    booth.click()
    page.wait_for_url(f"**/{DEMO_SLUG}/exhibitors/my")


def test_judge_scores_next_from_home_and_filters_the_queue(
    live_server: LiveServer, new_page: Any
) -> None:
    page = phone(new_page)
    sign_in(page, live_server, DEMO_JUDGES[0][1], DEMO_JUDGE_PASSWORD)
    scoring = page.locator('.my-panel[data-plugin="voting"]').first
    assert "dari" in scoring.locator("[data-count=scored]").inner_text()
    following = scoring.locator("a[data-action=next-score]")
    assert tappable(following)
    following.click()
    page.wait_for_url(lambda url: "/voting/judge/" in url and not url.endswith("/judge/"))
    assert fits(page)
    page.goto(live_server(f"/{DEMO_SLUG}/voting/judge/"))
    assert page.locator("table").count() == 0 and fits(page)
    todo = page.locator("nav.queue-filter a[data-show=todo]")
    assert tappable(todo)
    todo.click()
    page.wait_for_url("**show=todo")
    statuses = set(
        page.locator("li.judge-card").evaluate_all("els => els.map(e => e.dataset.status)")
    )
    assert statuses <= {"pending"}


def test_vote_page_filters_as_one_types(live_server: LiveServer, new_page: Any) -> None:
    page = phone(new_page)
    page.goto(live_server(f"/{DEMO_SLUG}/voting/"))
    entries = page.locator("#vote-list li")
    total = entries.count()
    assert total > 20
    first_title = entries.first.locator("a").inner_text().strip()
    page.fill("#vote-q", first_title)
    visible = page.locator("#vote-list li:not([hidden])")
    assert 1 <= visible.count() < total
    assert first_title in visible.first.inner_text()
    assert fits(page)
    page.fill("#vote-q", "")
    category = page.locator("#vote-category option").nth(1).get_attribute("value")
    page.select_option("#vote-category", category)
    shown = page.locator("#vote-list li:not([hidden])")
    assert 1 <= shown.count() < total
    assert set(shown.evaluate_all("els => els.map(e => e.dataset.category)")) == {category}


def test_anonymous_stars_are_kept_and_merged_on_sign_in(
    live_server: LiveServer, new_page: Any
) -> None:
    page = phone(new_page)
    page.goto(live_server(f"/{DEMO_SLUG}/symposium/"))
    link = page.locator("[id^='sym-card-'] a[href*='/symposium/sessions/']").first
    session_url = link.get_attribute("href")
    session_id = session_url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(live_server(session_url))
    star = page.locator(f"button.sym-star[data-session='{session_id}']")
    star.click()
    assert star.get_attribute("aria-pressed") == "true"  # kept on the device, no reload
    assert page.url.endswith(session_url)
    sign_in(page, live_server, VISITOR[0], VISITOR[2], path=session_url)
    # merged, then the page reloads with the star drawn by the server (no eval: strict CSP)
    page.wait_for_selector(f"button.sym-star[data-session='{session_id}'][aria-pressed='true']")
    page.wait_for_load_state()
    assert page.evaluate(f"localStorage.getItem('gelar-stars-{DEMO_SLUG}')") is None
    page.goto(live_server("/me"))
    assert (
        page.locator('.my-panel[data-plugin="symposium"] [data-count=starred]').inner_text() == "1"
    )

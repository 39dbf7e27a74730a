"""In Chromium: a judge scores a booth row with no network, restarts the browser, syncs.

"No network" is both sides of it: the browser context is offline (``set_offline``) and the
server stops listening, because Chromium's offline switch does not reach a service worker's
own requests.  The server speaks HTTP/1.0 (no kept-alive connection outlives it).  The
judge's browser is a persistent profile, closed and launched again to restart it.

Scenario: load the app online; offline, score three innovations; reload and restart the
browser while offline; back online the first send is lost on its way back (the server
applied it) and "Sync now" sends it again: the server holds exactly those three sheets,
once each.  Then a sheet changed on another device while this one was offline comes back
as a conflict, shown side by side and resolved; and scoring closed while offline is
explained, the sheet kept on the device.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from core.db import get_db
from core.models import Event, Innovation, Organization, User
from core.services import accounts, events, plugin_settings, roles
from plugins.voting import assignment, bulk_scores, syncs
from plugins.voting.models import VotingAssignment, VotingScore, VotingScoreRequest
from plugins.voting.settings import VotingSettings
from tests.conftest import skip_or_fail
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by this module
    ARTIFACTS,
    CHROMIUM_ARGS,
    live_app,
    live_database_url,
)

pytestmark = pytest.mark.browser

SLUG = "offline-e2e"
JUDGE = ("juri.lapangan@e2e.gelar.id", "Juri Lapangan", "judge-password-2026")
OTHER = ("juri.lain@e2e.gelar.id", "Juri Lain", "judge-password-2026")
TABLET = {"width": 768, "height": 1024}
KEYS = ("cepat", "efektif", "efisien", "transparan", "tanggap", "responsif")
SCORED = {0: "9", 1: "7", 2: "5"}  # position in the judge's list -> value of every criterion


class Http10Handler(WSGIRequestHandler):
    """One request per connection, so a stopped server answers nothing at all."""

    protocol_version = "HTTP/1.0"


class SwitchableServer:
    """The live app on a fixed local port that can stop listening and start again."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def __call__(self, path: str) -> str:
        """The absolute URL of ``path``."""
        return self.url + path

    def up(self) -> None:
        """Listen again."""
        self._server = make_server(
            "127.0.0.1", self.port, self.app, threaded=True, request_handler=Http10Handler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def down(self) -> None:
        """Stop listening: connections are refused."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join(timeout=10)
            self._server = None


@pytest.fixture(scope="module")
def seeded(live_app: Flask) -> dict[str, Any]:  # noqa: F811
    """An event with voting, two judges, five innovations each judged by both."""
    registry = live_app.extensions["gelar_plugins"]
    with get_db(live_app).transaction() as session:
        for email, name, password in (JUDGE, OTHER):
            accounts.create_user(session, email=email, name=name, password=password, verified=True)
        event = events.create_event(
            session,
            slug=SLUG,
            name="Pameran Inovasi 2026",
            year=2026,
            venue="Taman Blambangan, Banyuwangi",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            status="published",
        )
        plugin_settings.set_enabled_plugins(session, registry, event, ["voting"])
        for email, _name, _password in (JUDGE, OTHER):
            roles.appoint(session, event, email=email, role="judge")
        agencies = [Organization(name=f"Dinas Lapangan {n}", region="Banyuwangi") for n in (1, 2)]
        session.add_all(agencies)
        session.flush()
        for n in range(5):
            session.add(
                Innovation(
                    event_id=event.id,
                    organization_id=agencies[n % 2].id,
                    title=f"Inovasi Booth {n + 1}",
                    summary=f"Layanan nomor {n + 1} di booth baris A.",
                    category="layanan",
                    status="accepted",
                )
            )
        session.flush()
        plugin_settings.update_settings(session, registry, event, "voting", {"scoring_open": True})
        assignment.auto_assign(session, event, 2, seed=1)
        judge_id = session.scalar(select(User.id).where(User.email == JUDGE[0]))
    return {"judge_id": judge_id}


def sheets_on_server(app: Flask, judge_id: int) -> dict[str, Any]:
    """The judge's sheets as stored: title -> (submitted, version, {key: value})."""
    found: dict[str, Any] = {}
    with get_db(app).transaction() as session:
        for row, title in session.execute(
            select(VotingAssignment, Innovation.title)
            .join(Innovation, Innovation.id == VotingAssignment.innovation_id)
            .where(VotingAssignment.judge_id == judge_id)
        ):
            values = {s.criterion_key: s.value for s in row.scores}
            if values:
                found[title] = (row.submitted, row.version, values)
        found["_requests"] = session.scalar(
            select(func.count(VotingScoreRequest.id)).where(VotingScoreRequest.judge_id == judge_id)
        )
    return found


def test_judge_scores_offline_restarts_and_syncs(
    live_app: Flask,  # noqa: F811
    seeded: dict[str, Any],
    tmp_path: Path,
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
            scenario(playwright, executable, server, live_app, seeded, tmp_path / "profile")

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(drive).result()
    finally:
        server.down()


def launch(playwright: Any, executable: str, profile: Path) -> Any:
    """The judge's browser: a persistent profile (service worker, cache, IndexedDB kept)."""
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        args=CHROMIUM_ARGS,
        viewport=TABLET,
        has_touch=True,
        locale="id-ID",
    )
    context.set_default_timeout(15_000)
    return context


def wait_until(page: Any, expression: str, timeout: float = 15.0) -> None:
    """Poll ``expression`` in the page until true (``wait_for_function`` would need eval,
    which the strict CSP forbids; ``evaluate`` does not)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout}s: {expression}"
        time.sleep(0.1)


def wait_app(page: Any, cards: int = 5) -> None:
    """The queue is drawn from the device: ``cards`` innovations listed."""
    from playwright.sync_api import expect

    expect(page.locator("[data-role=list] li")).to_have_count(cards)


def card(page: Any, title: str) -> Any:
    return page.locator("[data-role=list] li", has_text=title)


def score_all(page: Any, value: str) -> None:
    for key in KEYS:
        page.locator(f"label:has(input[name='score-{key}'][value='{value}'])").click()


def scenario(
    playwright: Any,
    executable: str,
    server: SwitchableServer,
    app: Flask,
    seeded: dict[str, Any],
    profile: Path,
) -> None:
    """Every step of the module docstring, in order."""
    app_url = server(f"/{SLUG}/voting/judge/app/")
    context = launch(playwright, executable, profile)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(server("/auth/login"))
        page.fill("input[name=email]", JUDGE[0])
        page.fill("input[name=password]", JUDGE[2])
        # "Keep me signed in": the tablet's browser is closed and opened again before sending.
        page.check("input[name=remember]")
        page.click("form button[type=submit].primary")
        page.wait_for_url(lambda url: "/auth/login" not in url)
        page.goto(app_url)
        wait_app(page)
        page.wait_for_selector("[data-role=ready][data-ready=yes]")
        wait_until(page, "navigator.serviceWorker.controller !== null")
        titles = [t.strip() for t in page.locator("[data-role=list] li h2").all_inner_texts()]
        assert titles == [f"Inovasi Booth {n}" for n in range(1, 6)]
        # Indonesian first: the app's texts come translated from the server.
        assert (
            "Semua yang ada di perangkat ini sudah terkirim"
            in page.locator("[data-role=sync-status]").inner_text()
        )

        # -- offline: score three innovations -------------------------------------------
        server.down()
        context.set_offline(True)
        page.wait_for_selector("[data-role=offline-banner]:visible")
        for position, value in SCORED.items():
            page.locator("[data-role=list] li a").nth(position).click()
            page.wait_for_selector("[data-role=sheet]:visible")
            assert page.locator("[data-role=sheet-summary]").inner_text().startswith("Layanan")
            score_all(page, value)
            page.click("[data-action=submit]")
            page.wait_for_selector("[data-role=queue]:visible")
        for position in SCORED:
            assert card(page, titles[position]).get_attribute("data-state") == "device"
        assert page.locator("[data-role=sync-status]").get_attribute("data-waiting") == "3"

        # -- reload, then restart the browser, still offline ------------------------------
        page.reload()
        wait_app(page)
        assert page.locator("[data-role=sync-status]").get_attribute("data-waiting") == "3"
    finally:
        context.close()
    context = launch(playwright, executable, profile)
    try:
        context.set_offline(True)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(app_url)
        wait_app(page)
        assert page.locator("[data-role=offline-banner]").is_visible()
        for position in SCORED:
            assert card(page, titles[position]).get_attribute("data-state") == "device"
        assert sheets_on_server(app, seeded["judge_id"]) == {"_requests": 0}
        # The judge's server pages open the app offline too (the queue, and one sheet).
        page.goto(server(f"/{SLUG}/voting/judge/"))
        wait_app(page)
        assert page.url == app_url
        page.locator("[data-role=list] li a").nth(0).click()
        sheet_url = page.url.split("#/")[1]
        page.goto(server(f"/{SLUG}/voting/judge/{sheet_url}"))
        page.wait_for_selector("[data-role=sheet]:visible")
        assert page.locator("input[name='score-cepat'][value='9']").is_checked()
        page.click("[data-action=back]")
        wait_app(page)

        # -- back online; the first answer is lost after the server applied it -------------
        server.up()
        lost: list[int] = []

        def lose_answer(route: Any) -> None:
            if route.request.method == "PUT" and not lost:
                route.fetch()  # the server receives and applies the sheets ...
                lost.append(1)
                route.abort("connectionreset")  # ... but the tablet never hears back
            else:
                route.continue_()

        page.route("**/api/v1/events/*/scores", lose_answer)
        context.set_offline(False)
        wait_until(page, "document.querySelector('[data-role=offline-banner]').hidden")
        deadline = time.monotonic() + 15
        while not lost:  # the "online" event starts a sync by itself
            assert time.monotonic() < deadline, "no automatic sync after going online"
            page.wait_for_timeout(100)
        wait_until(
            page,
            "document.querySelector('[data-role=sync-status]').textContent.indexOf('…') === -1",
        )
        assert page.locator("[data-role=sync-status]").get_attribute("data-waiting") == "3"
        page.unroute("**/api/v1/events/*/scores")
        page.click("[data-action=sync]")
        page.wait_for_selector("[data-role=sync-status][data-waiting='0']")
        for position in SCORED:
            assert card(page, titles[position]).get_attribute("data-state") == "submitted"
        stored = sheets_on_server(app, seeded["judge_id"])
        assert stored.pop("_requests") == 3  # each client id applied once
        assert stored == {
            titles[p]: (True, 1, {k: float(v) for k in KEYS}) for p, v in SCORED.items()
        }

        # -- a conflict: changed on another device while this one was offline --------------
        server.down()
        context.set_offline(True)
        page.locator("[data-role=list] li a").nth(0).click()
        page.locator("label:has(input[name='score-cepat'][value='3'])").click()
        page.fill("#app-comment", "Dari tablet")
        page.click("[data-action=back]")
        with get_db(app).transaction() as session:
            event = session.scalar(select(Event).where(Event.slug == SLUG))
            judge = session.get(User, seeded["judge_id"])
            innovation = session.scalar(select(Innovation.id).where(Innovation.title == titles[0]))
            other_device = bulk_scores.SheetIn(
                innovation, {k: 8 for k in KEYS}, comment="Dari laptop", submit=True, based_on=1
            )
            bulk_scores.save_sheets(
                session, event, judge, [other_device], settings=VotingSettings(scoring_open=True)
            )
        server.up()
        context.set_offline(False)
        page.wait_for_selector(f"[data-role=list] li[data-state=conflict]:has-text('{titles[0]}')")
        card(page, titles[0]).locator("a").click()
        conflict = page.locator("[data-role=sheet-conflict]")
        assert conflict.is_visible()
        mine, theirs = conflict.locator(".conflict-columns > div").all()
        assert mine.locator("tr[data-key=cepat] td").inner_text() == "3"
        assert theirs.locator("tr[data-key=cepat] td").inner_text() == "8"
        assert "Dari laptop" in theirs.inner_text() and "Dari tablet" in mine.inner_text()
        assert sheets_on_server(app, seeded["judge_id"])[titles[0]][2]["cepat"] == 8.0
        page.click("[data-action=keep-mine]")
        page.wait_for_selector("[data-role=sheet-state][data-state=sent]")
        submitted, version, values = sheets_on_server(app, seeded["judge_id"])[titles[0]]
        assert (submitted, version, values["cepat"]) == (False, 3, 3.0)

        # -- scoring closed while offline: explained, kept on the device -------------------
        page.click("[data-action=back]")
        server.down()
        context.set_offline(True)
        page.locator("[data-role=list] li a").nth(3).click()
        score_all(page, "6")
        page.click("[data-action=back]")
        with get_db(app).transaction() as session:
            event = session.scalar(select(Event).where(Event.slug == SLUG))
            plugin_settings.update_settings(
                session, app.extensions["gelar_plugins"], event, "voting", {"scoring_open": False}
            )
        server.up()
        context.set_offline(False)
        page.wait_for_selector(f"[data-role=list] li[data-state=closed]:has-text('{titles[3]}')")
        status = page.locator("[data-role=sync-status]").inner_text()
        assert "Penilaian ditutup" in status, status
        assert titles[3] not in sheets_on_server(app, seeded["judge_id"])
        card(page, titles[3]).locator("a").click()
        assert page.locator("[data-role=sheet-messages]").inner_text().strip() != ""
        assert page.locator("input[name='score-cepat'][value='6']").is_checked()

        # The organizer's console reads each judge's last sync.
        with get_db(app).transaction() as session:
            event = session.scalar(select(Event).where(Event.slug == SLUG))
            assert seeded["judge_id"] in syncs.last_syncs(session, event.id)
            assert session.scalar(select(func.count(VotingScore.id))) >= 18
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        for j, open_page in enumerate(context.pages):
            open_page.screenshot(path=str(ARTIFACTS / f"judge-app-offline-{j}.png"), full_page=True)
        raise
    finally:
        context.close()

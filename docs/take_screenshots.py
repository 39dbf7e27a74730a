"""Take the README's screenshots of a running Gelar seeded with ``gelar demo``.

Usage (a throwaway instance folder keeps your own database out of it)::

    export GELAR_INSTANCE_PATH=$(mktemp -d)
    .venv/bin/gelar db upgrade && .venv/bin/gelar demo
    .venv/bin/gelar run --port 5050 &
    .venv/bin/python docs/take_screenshots.py http://127.0.0.1:5050

Chromium is the system one (``GELAR_CHROMIUM``, default ``/usr/bin/chromium``).

The script changes the demo as an organizer would, through the pages and the JSON API: it
prints visitor passes for 2019; in the upcoming edition it enlarges the hall to a national
scale one (zones C-E, over 300 booths, so the floor plan is shown zone by zone), gives the
exhibitors their booths and plans the judges' booth visits with the grid's form (so the grid
and a judge's route are not empty). Running it again keeps what is there.
PNGs over 300 KB are re-encoded as 256-colour PNGs with Pillow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
SLUG = "jatim-2019"
ORGANIZER = ("panitia@demo.gelar.id", "gelar-panitia-2019")
JUDGE = ("sri.wahyuni@demo.gelar.id", "gelar-juri-2019")
#: The demo's award winner, entered again in the upcoming edition and replicated there.
HISTORY_QUERY = "e-Samsat Jatim"
#: A cut-off where the 2019 demo's intervals overlap it (close calls are visible).
RESULTS_TOP = 45
#: Added to the upcoming edition's hall: (zone, first x, first y, columns, rows), 4 m pitch.
EXTRA_ZONES = (("C", 61, 1, 7, 14), ("D", 89, 1, 7, 14), ("E", 1, 33, 14, 6))
ZONED_FROM = 300  # plugins.exhibitors.views: from this many booths, zone by zone
HALL = {"floor_width": 120, "floor_depth": 60}
PITCH, BOOTH = 4, 3
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1200, "height": 800}
MAX_BYTES = 300_000
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def shot(
    page: Any,
    name: str,
    *,
    full_page: bool = False,
    top: str | None = None,
    height: int | None = None,
) -> None:
    """Screenshot ``page`` into ``docs/screenshots/<name>.png``, shrunk when too big.

    ``top`` scrolls the first element matching that selector to the top of the viewport;
    ``height`` takes the page from its top down to that many pixels (past the viewport).
    """
    path = OUT / f"{name}.png"
    if top is not None:
        box = page.locator(top).first.evaluate("el => el.getBoundingClientRect().top + scrollY")
        page.evaluate(f"window.scrollTo(0, {max(int(box) - 12, 0)})")
    if height is not None:
        width = page.viewport_size["width"]
        full = page.evaluate("document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, full)}
        page.screenshot(path=str(path), full_page=True, clip=clip)
    else:
        page.screenshot(path=str(path), full_page=full_page)
    shrink(path)


def context(browser: Any, *, phone: bool = False) -> Any:
    """A browser context as an Indonesian user's: phone (360 px, touch) or desktop."""
    size = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {}
    return browser.new_context(
        **(size or {"viewport": DESKTOP}), locale="id-ID", timezone_id="Asia/Jakarta"
    )


def shrink(path: Path) -> None:
    """Re-encode a PNG over :data:`MAX_BYTES` with a 256-colour palette (Pillow)."""
    if path.stat().st_size <= MAX_BYTES:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def sign_in(page: Any, base: str, account: tuple[str, str] = ORGANIZER) -> None:
    """Sign in through the login form (the demo organizer unless told otherwise)."""
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", account[0])
    page.fill("input[name=password]", account[1])
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def upcoming_slug(page: Any, base: str) -> str:
    """The upcoming demo edition's slug (``jatim-<year>``), read from the public API."""
    events = page.request.get(f"{base}/api/v1/events").json()["items"]
    later = [e for e in events if e["slug"] != SLUG and e["slug"].startswith("jatim-")]
    return str(max(later, key=lambda e: e["starts_on"])["slug"])


def innovation_id(page: Any, base: str, slug: str, query: str) -> int:
    """The id of the first innovation of ``slug`` the public API finds for ``query``."""
    found = page.request.get(f"{base}/api/v1/events/{slug}/innovations", params={"q": query})
    return int(found.json()["items"][0]["id"])


def agency_id(page: Any, base: str, slug: str, innovation: int) -> int:
    """The id of the agency showing ``innovation`` (public API)."""
    found = page.request.get(f"{base}/api/v1/events/{slug}/innovations/{innovation}")
    return int(found.json()["organization"]["id"])


def api_token(page: Any, base: str, account: tuple[str, str] = ORGANIZER) -> dict[str, str]:
    """Bearer headers for ``account`` (``POST /api/v1/auth/token``)."""
    answer = page.request.post(
        f"{base}/api/v1/auth/token", data={"email": account[0], "password": account[1]}
    )
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def national_hall(page: Any, base: str, slug: str) -> None:
    """Enlarge ``slug``'s hall past 300 booths in zones C-E and give exhibitors booths (API)."""
    api = f"{base}/api/v1/events/{slug}"
    headers = api_token(page, base)
    booths = page.request.get(f"{api}/booths", headers=headers).json()["total"]
    if booths < ZONED_FROM:
        page.request.put(f"{api}/plugins/exhibitors/settings", headers=headers, data=HALL)
        items = [
            {
                "code": f"{zone}{row * columns + column + 1:02d}",
                "zone": zone,
                "x": x + column * PITCH,
                "y": y + row * PITCH,
                "width": BOOTH,
                "height": BOOTH,
            }
            for zone, x, y, columns, rows in EXTRA_ZONES
            for row in range(rows)
            for column in range(columns)
        ]
        answer = page.request.post(f"{api}/booths/import", headers=headers, data={"items": items})
        assert answer.ok, answer.text()[:300]
    page.request.post(f"{api}/booths/assign", headers=headers, data={"strategy": "auto"})


def plan_visits(page: Any, base: str, slug: str) -> None:
    """Plan the judges' booth visits with the grid's form, keeping a plan already made."""
    page.goto(f"{base}/{slug}/voting/manage/visits")
    if page.locator("[id^=visit-]").count() == 0:
        page.click("form.visit-plan-form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/{slug}/voting/manage/visits")  # without the planner's messages


def public_pages(browser: Any, base: str, upcoming: str) -> None:
    """What anyone sees: event homes, the vote, the catalogue, floor plans, histories."""
    phone = context(browser, phone=True)
    page = phone.new_page()
    page.goto(f"{base}/{SLUG}/")
    shot(page, "event-home-phone")
    page.goto(f"{base}/{SLUG}/exhibitors/")
    first = page.locator("a[href*='/exhibitors/innovations/']").first.get_attribute("href")
    voted = (first or "").rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{base}/{SLUG}/voting/vote/{voted}")
    shot(page, "vote-phone")
    winner = innovation_id(page, base, SLUG, HISTORY_QUERY)
    page.goto(f"{base}/{SLUG}/exhibitors/innovations/{winner}")
    shot(page, "innovation-history-phone", top="section[aria-labelledby=history-heading]")
    page.goto(f"{base}/{SLUG}/symposium/")
    shot(page, "programme-phone", top="nav.tabs")
    page.goto(f"{base}/{upcoming}/exhibitors/floor-plan")
    shot(page, "floor-plan-zones-phone", top="h1")
    phone.close()

    desktop = context(browser)
    page = desktop.new_page()
    page.goto(f"{base}/{SLUG}/exhibitors/")
    shot(page, "catalogue-desktop")
    page.goto(f"{base}/{SLUG}/exhibitors/floor-plan?highlight=samsat")
    shot(page, "floor-plan-desktop")
    page.goto(f"{base}/{upcoming}/exhibitors/floor-plan")
    shot(page, "floor-plan-zones-desktop", height=1100)
    page.goto(f"{base}/{upcoming}/exhibitors/floor-plan?highlight=samsat")
    shot(page, "floor-plan-zone-desktop", height=1000)
    page.goto(f"{base}/{SLUG}/")
    shot(page, "event-awards-desktop", full_page=True)
    page.goto(f"{base}/{SLUG}/exhibitors/agencies/{agency_id(page, base, SLUG, winner)}")
    shot(page, "agency-desktop", height=620)
    page.goto(f"{base}/{SLUG}/symposium/")
    shot(page, "programme-desktop", top="nav.tabs")
    desktop.close()


def organizer_pages(browser: Any, base: str, upcoming: str) -> None:
    """The organizer's console: switchboard, judging, results, calibration, visits, passes."""
    phone = context(browser, phone=True)
    page = phone.new_page()
    sign_in(page, base)  # lands on Beranda saya
    page.goto(f"{base}/me")
    shot(page, "my-home-phone", full_page=True)
    phone.close()

    desktop = context(browser)
    page = desktop.new_page()
    sign_in(page, base)
    page.goto(f"{base}/{SLUG}/manage/plugins")
    shot(page, "plugin-switchboard", full_page=True)
    page.goto(f"{base}/{SLUG}/voting/manage/")
    shot(page, "voting-manage-desktop")
    page.goto(f"{base}/{SLUG}/voting/manage/results?top={RESULTS_TOP}")
    shot(page, "results-confidence-desktop", top="#cutoff-title")
    page.goto(f"{base}/{SLUG}/voting/manage/calibration")
    shot(page, "calibration-desktop", full_page=True)
    page.goto(f"{base}/{SLUG}/manage/awards")
    shot(page, "awards-console-desktop", height=1000)
    plan_visits(page, base, upcoming)
    shot(page, "visits-grid-desktop", top="h2:has(+ .visit-grid)")
    page.goto(f"{base}/{SLUG}/manage/passes")
    if page.locator("a[href$='/manage/passes/print']").count() == 0:
        page.fill("input[name=count]", "12")
        page.click("form.inline-form button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{base}/{SLUG}/manage/passes/print?limit=12")
    page.set_viewport_size({"width": 820, "height": 1160})
    shot(page, "passes-sheet", full_page=True)
    desktop.close()


def judge_pages(browser: Any, base: str, upcoming: str) -> None:
    """A demo judge on a phone: the booth-visit route and the offline judging app."""
    phone = context(browser, phone=True)
    page = phone.new_page()
    sign_in(page, base, JUDGE)
    page.goto(f"{base}/{upcoming}/voting/judge/visits")
    shot(page, "judge-visits-phone", top="main")
    page.goto(f"{base}/{upcoming}/voting/judge/app/")
    page.wait_for_selector("[data-role=list] li")
    page.wait_for_selector("[data-role=ready][data-ready=yes]", timeout=15_000)
    shot(page, "judge-app-phone", top="#judge-app")
    page.locator("[data-role=list] li[data-state=draft] a, [data-role=list] li a").first.click()
    page.wait_for_selector("[data-role=sheet]:not([hidden])")
    shot(page, "judge-app-sheet-phone", top="[data-role=sheet]")
    phone.close()


def take(base: str) -> None:
    """Write the PNGs into ``docs/screenshots/``."""
    OUT.mkdir(exist_ok=True)
    executable = os.environ.get("GELAR_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        probe = browser.new_page()
        upcoming = upcoming_slug(probe, base)
        national_hall(probe, base, upcoming)  # before the floor plans and the visits
        probe.close()
        public_pages(browser, base, upcoming)
        organizer_pages(browser, base, upcoming)  # plans the visits the judge's pages show
        judge_pages(browser, base, upcoming)
        browser.close()


if __name__ == "__main__":
    take(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:5000")

"""Take the README's screenshots of a running Gelar seeded with ``gelar demo``.

Usage (a throwaway instance folder keeps your own database out of it)::

    export GELAR_INSTANCE_PATH=$(mktemp -d)
    .venv/bin/gelar db upgrade && .venv/bin/gelar demo
    .venv/bin/gelar run --port 5050 &
    .venv/bin/python docs/take_screenshots.py http://127.0.0.1:5050

Chromium is the system one (``GELAR_CHROMIUM``, default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
SLUG = "jatim-2019"
ORGANIZER = ("panitia@demo.gelar.id", "gelar-panitia-2019")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1200, "height": 800}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sign_in(page: Any, base: str) -> None:
    """Sign in as the demo organizer through the login form."""
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def take(base: str) -> None:
    """Write the PNGs into ``docs/screenshots/``."""
    OUT.mkdir(exist_ok=True)
    executable = os.environ.get("GELAR_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)

        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.goto(f"{base}/{SLUG}/")
        page.screenshot(path=str(OUT / "event-home-phone.png"))
        page.goto(f"{base}/{SLUG}/exhibitors/")
        first = page.locator("a[href*='/exhibitors/innovations/']").first.get_attribute("href")
        innovation_id = (first or "").rstrip("/").rsplit("/", 1)[-1]
        page.goto(f"{base}/{SLUG}/voting/vote/{innovation_id}")
        page.screenshot(path=str(OUT / "vote-phone.png"))
        sign_in(page, base)  # lands on Beranda saya
        page.goto(f"{base}/me")
        page.screenshot(path=str(OUT / "my-home-phone.png"), full_page=True)
        phone.close()

        desktop = browser.new_context(viewport=DESKTOP)
        page = desktop.new_page()
        page.goto(f"{base}/{SLUG}/exhibitors/")
        page.screenshot(path=str(OUT / "catalogue-desktop.png"))
        page.goto(f"{base}/{SLUG}/exhibitors/floor-plan?highlight=samsat")
        page.screenshot(path=str(OUT / "floor-plan-desktop.png"))
        sign_in(page, base)
        page.goto(f"{base}/{SLUG}/manage/plugins")
        page.screenshot(path=str(OUT / "plugin-switchboard.png"), full_page=True)
        page.goto(f"{base}/{SLUG}/voting/manage/")
        page.screenshot(path=str(OUT / "voting-manage-desktop.png"))
        page.goto(f"{base}/{SLUG}/manage/passes")
        if page.locator("a[href$='/manage/passes/print']").count() == 0:
            page.fill("input[name=count]", "12")
            page.click("form.inline-form button[type=submit]")
            page.wait_for_load_state()
        page.goto(f"{base}/{SLUG}/manage/passes/print?limit=12")
        page.set_viewport_size({"width": 820, "height": 1160})
        page.screenshot(path=str(OUT / "passes-sheet.png"), full_page=True)
        desktop.close()
        browser.close()


if __name__ == "__main__":
    take(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:5000")

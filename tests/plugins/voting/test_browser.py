"""In Chromium: a judge scores two innovations on a tablet, a visitor votes from a phone,
the organizer publishes and the public results page shows the ranking."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from core.db import get_db
from core.models import Innovation, Organization
from core.services import accounts, events, passes, plugin_settings, roles
from plugins.voting import assignment
from tests.e2e.conftest import (  # noqa: F401 - fixtures used by this module
    LiveServer,
    browser,
    live_app,
    live_database_url,
    live_server,
    new_page,
)

pytestmark = pytest.mark.browser

SLUG = "vote-e2e"
ORGANIZER = ("panitia@e2e.gelar.id", "Panitia", "organizer-password-2026")
JUDGE = ("juri@e2e.gelar.id", "Juri Satu", "judge-password-2026")
OTHER_JUDGE = ("juri2@e2e.gelar.id", "Juri Dua", "judge-password-2026")
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 360, "height": 740}
KEYS = ("cepat", "efektif", "tanggap", "transparan", "responsif")


@pytest.fixture(scope="module")
def seeded(live_app: Flask) -> dict[str, Any]:  # noqa: F811
    """An event with the voting plugin, two judges, four innovations, a visitor pass."""
    registry = live_app.extensions["gelar_plugins"]
    with get_db(live_app).transaction() as session:
        for email, name, password in (ORGANIZER, JUDGE, OTHER_JUDGE):
            accounts.create_user(session, email=email, name=name, password=password)
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


def test_judge_scores_visitor_votes_organizer_publishes(
    live_server: LiveServer,  # noqa: F811
    new_page: Any,  # noqa: F811
    seeded: dict[str, Any],
) -> None:
    judge = new_page(viewport=TABLET, has_touch=True)
    sign_in(judge, live_server, JUDGE[0], JUDGE[2])
    judge.goto(live_server(f"/{SLUG}/voting/judge/"))
    assert judge.locator("p.progress").get_attribute("data-done") == "0"
    for position, value in ((0, "9"), (1, "6")):
        judge.locator("tr[data-status=pending] a").first.click()
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

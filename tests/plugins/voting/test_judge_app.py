"""The offline judging app's server side: the judge's bundle, the app's page, manifest and
service worker, device time in the audit log and each judge's last sync."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.models import AuditEntry
from core.services import plugin_settings
from plugins.voting import assignment, bulk_scores, offline, syncs
from plugins.voting.models import VotingAssignment, VotingJudgeSync, VotingStage
from plugins.voting.settings import VotingSettings
from tests.conftest import PASSWORD
from tests.plugins.voting.conftest import JUDGES, ORGANIZER, World, set_voting

API = "/api/v1/events"
FULL = {"cepat": 8, "efektif": 7, "efisien": 6.5, "transparan": 9, "tanggap": 6, "responsif": 7.5}
OPEN = VotingSettings(scoring_open=True)


@pytest.fixture
def assigned(app: Any, world: World, db: Any) -> dict[int, list[int]]:
    """Two judges per innovation, scoring open. Returns judge id -> innovation ids."""
    assignment.auto_assign(db, db.merge(world.event), 2, seed=5)
    db.commit()
    set_voting(app, db, world.event, scoring_open=True)
    found: dict[int, list[int]] = {}
    for row in db.scalars(select(VotingAssignment).order_by(VotingAssignment.innovation_id)):
        found.setdefault(row.judge_id, []).append(row.innovation_id)
    db.commit()
    return found


def app_urls(slug: str) -> dict[str, str]:
    base = f"/{slug}/voting/judge/"
    return {
        "page": base + "app/",
        "data": base + "app/data.json",
        "manifest": base + "manifest.webmanifest",
        "worker": base + "sw.js",
    }


# -- service level --------------------------------------------------------------------------


def test_bundle_lists_own_sheets_with_rubric_and_versions(
    world: World, assigned: Any, db: Any
) -> None:
    judge = db.merge(world.judges[2])
    event = db.merge(world.event)
    mine = assigned[judge.id]
    bulk_scores.save_sheets(
        db, event, judge, [bulk_scores.SheetIn(mine[0], {"cepat": 5})], settings=OPEN
    )
    db.commit()
    bundle = offline.judge_bundle(db, event, judge, settings=OPEN, locale="en", now=utcnow())
    assert [s["innovation"] for s in bundle["sheets"]] == sorted(
        mine, key=lambda i: next(x.title for x in world.innovations if x.id == i)
    )
    first = next(s for s in bundle["sheets"] if s["innovation"] == mine[0])
    assert first["scores"] == {"cepat": 5.0} and first["version"] == 1
    assert first["summary"].startswith("About ")
    assert bundle["stage"]["state"] == "open" and bundle["on_panel"] is True
    cepat = bundle["criteria"][0]
    assert cepat["key"] == "cepat" and cepat["label"] == "Fast"
    assert cepat["steps"] == list(range(1, 11))
    indonesian = offline.judge_bundle(db, event, judge, settings=OPEN, locale="id", now=utcnow())
    assert indonesian["criteria"][0]["label"] == "Cepat"
    closed = offline.judge_bundle(
        db, event, judge, settings=VotingSettings(scoring_open=False), locale="en", now=utcnow()
    )
    assert closed["stage"]["state"] == "closed"
    db.commit()


def test_bundle_leaves_out_conflicted_and_other_judges_sheets(
    world: World, assigned: Any, db: Any
) -> None:
    event = db.merge(world.event)
    # judge2 declared a conflict with agency 1: none of its innovations, even if assigned.
    conflicted = world.innovations[1]
    judge2 = db.merge(world.judges[1])
    stage = db.scalar(select(VotingStage).where(VotingStage.event_id == event.id))
    db.add(VotingAssignment(stage_id=stage.id, judge_id=judge2.id, innovation_id=conflicted.id))
    db.commit()
    bundle = offline.judge_bundle(db, event, judge2, settings=OPEN, locale="en", now=utcnow())
    ids = {s["innovation"] for s in bundle["sheets"]}
    assert conflicted.id not in ids
    assert ids == set(assigned[judge2.id]) - {conflicted.id}
    db.commit()


def test_device_time_and_received_time_are_audited_and_last_sync_kept(
    world: World, assigned: Any, db: Any
) -> None:
    judge = db.merge(world.judges[2])
    event = db.merge(world.event)
    mine = assigned[judge.id]
    # A sheet scored on the tablet two hours before it reached the server.
    edited = (utcnow() - timedelta(hours=2)).replace(microsecond=0).astimezone(UTC)
    rows = [
        bulk_scores.SheetIn(i, FULL, submit=True, client_id=f"c-{i}", based_on=0, edited_at=edited)
        for i in mine[:2]
    ]
    first = bulk_scores.save_sheets(db, event, judge, rows, settings=OPEN)
    db.commit()
    assert [r.status for r in first] == ["submitted", "submitted"]
    entry = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "voting.scores_saved_in_bulk")
    ).one()
    sheets = entry.detail["sheets"]
    assert [s["innovation"] for s in sheets] == mine[:2]
    assert all(s["edited_at"] == edited.isoformat() for s in sheets)
    received = datetime.fromisoformat(sheets[0]["received_at"])
    assert received > edited and abs(received - utcnow()) < timedelta(minutes=1)
    assert sheets[0]["client_id"] == f"c-{mine[0]}"
    last = syncs.last_syncs(db, event.id)[judge.id]
    assert last.edited_at == edited and last.sheets == 2 and last.conflicts == 0

    # The same rows again (a retry) are applied once; a stale based_on is a conflict; the
    # sync row is updated, not duplicated.
    again = bulk_scores.save_sheets(db, event, judge, rows, settings=OPEN)
    stale = bulk_scores.save_sheets(
        db,
        event,
        judge,
        [bulk_scores.SheetIn(mine[0], FULL, client_id="late", based_on=0, edited_at=edited)],
        settings=OPEN,
    )
    db.commit()
    assert [r.as_dict() for r in again] == [r.as_dict() for r in first]
    assert stale[0].status == "conflict"
    assert db.scalars(select(VotingJudgeSync)).one().conflicts == 1
    versions = db.scalars(
        select(VotingAssignment.version).where(VotingAssignment.judge_id == judge.id)
    ).all()
    assert sorted(versions)[-2:] == [1, 1]
    db.commit()


# -- HTTP -----------------------------------------------------------------------------------


def test_app_page_bundle_manifest_and_worker(client: Any, auth: Any, world: World, assigned: Any):
    urls = app_urls(world.slug)
    assert auth.login(JUDGES[2]).status_code == 302
    client.post("/lang/en")
    page = client.get(urls["page"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r'<link rel="manifest" href="[^"]*/judge/manifest.webmanifest"', html)
    assert 'src="/vote-2026/voting/assets/judge_app.js"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    strings = json.loads(re.search(r"data-strings='([^']*)'", html).group(1))
    assert strings["progress"] == "{done} of {total} scored"
    assert "offline" in strings["offline"]

    data = client.get(urls["data"])
    assert data.status_code == 200 and data.headers["Cache-Control"] == "no-store"
    bundle = data.get_json()
    assert bundle["csrf_token"] and len(bundle["sheets"]) == len(assigned[world.judges[2].id])

    manifest = client.get(urls["manifest"])
    assert manifest.mimetype == "application/manifest+json"
    body = json.loads(manifest.get_data(as_text=True))
    assert body["start_url"] == urls["page"] and body["scope"] == f"/{world.slug}/voting/judge/"
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        assert client.get(icon["src"]).mimetype == "image/png"

    worker = client.get(urls["worker"])
    assert worker.mimetype == "text/javascript" and worker.headers["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in worker.get_data(as_text=True)


def test_who_gets_the_app(client: Any, auth: Any, world: World, assigned: Any) -> None:
    urls = app_urls(world.slug)
    anonymous_page = client.get(urls["page"])
    assert anonymous_page.status_code == 302 and "/auth/login" in anonymous_page.location
    response = client.get(urls["data"])
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    # The manifest and the worker are code and names: browsers fetch a manifest without cookies.
    assert client.get(urls["manifest"]).status_code == 200
    assert auth.login(ORGANIZER).status_code == 302
    assert client.get(urls["page"]).status_code == 403
    assert client.get(urls["data"]).status_code == 403


def test_plugin_off_hides_the_app(
    app: Any, client: Any, auth: Any, world: World, assigned: Any, db: Any
) -> None:
    plugin_settings.set_enabled_plugins(
        db, app.extensions["gelar_plugins"], db.merge(world.event), []
    )
    db.commit()
    assert auth.login(JUDGES[2]).status_code == 302
    for url in app_urls(world.slug).values():
        assert client.get(url).status_code == 404, url


def test_console_shows_each_judges_last_sync(
    client: Any, auth: Any, world: World, assigned: Any, headers: dict[str, Any]
) -> None:
    mine = assigned[world.judges[2].id]
    response = client.put(
        f"{API}/{world.slug}/scores",
        json={
            "items": [
                {
                    "innovation": mine[0],
                    "scores": FULL,
                    "submit": True,
                    "client_id": "tablet-1",
                    "based_on": 0,
                    "edited_at": "2026-12-10T09:15:00+07:00",
                }
            ]
        },
        headers=headers["judge3"],
    )
    assert response.status_code == 200, response.get_json()
    assert auth.login(ORGANIZER).status_code == 302
    client.post("/lang/en")
    page = client.get(f"/{world.slug}/voting/manage/").get_data(as_text=True)
    synced = re.search(
        rf'<li data-judge="{world.judges[2].id}">.*?data-last-sync="([^"]*)">([^<]*)</span>',
        page,
        re.S,
    )
    assert synced and synced.group(1) and "last sync" in synced.group(2)
    other = re.search(
        rf'<li data-judge="{world.judges[3].id}">.*?data-last-sync="([^"]*)">([^<]*)</span>',
        page,
        re.S,
    )
    assert other and other.group(1) == "" and "no sync yet" in other.group(2)


def test_edited_at_must_be_a_time_with_offset(
    client: Any, world: World, assigned: Any, headers: dict[str, Any], db: Any
) -> None:
    mine = assigned[world.judges[2].id]
    for bad in ("yesterday", "2026-12-10T09:15:00", 12):
        response = client.put(
            f"{API}/{world.slug}/scores",
            json={"items": [{"innovation": mine[0], "scores": FULL, "edited_at": bad}]},
            headers=headers["judge3"],
        )
        assert response.status_code == 422, bad
        assert "items.0.edited_at" in response.get_json()["error"]["fields"]
    assert db.scalars(select(VotingJudgeSync)).first() is None
    db.commit()


class TestSessionAndCsrf:
    """The app sends with the browser session and the CSRF token from its bundle."""

    @pytest.fixture
    def app_config(self, app_config: dict[str, Any]) -> dict[str, Any]:
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_session_send_needs_the_bundles_token(
        self, client: Any, world: World, assigned: Any, db: Any
    ) -> None:
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        signed = client.post(
            "/auth/login", data={"email": JUDGES[2], "password": PASSWORD, "csrf_token": token}
        )
        assert signed.status_code in (302, 303)
        mine = assigned[world.judges[2].id]
        body = {"items": [{"innovation": mine[0], "scores": FULL, "client_id": "s-1"}]}
        url = f"{API}/{world.slug}/scores"
        refused = client.put(url, json=body)
        assert refused.status_code == 400
        assert refused.get_json()["error"]["code"] == "csrf_failed"
        csrf = client.get(app_urls(world.slug)["data"]).get_json()["csrf_token"]
        sent = client.put(url, json=body, headers={"X-CSRFToken": csrf})
        assert sent.status_code == 200, sent.get_json()
        assert sent.get_json()["items"] == [
            {"innovation": mine[0], "status": "saved", "version": 1}
        ]

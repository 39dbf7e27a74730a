"""The programme built once per content stamp (issue 22): stamps, cache, 304, gzip, workers."""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from core.app import create_app
from core.db import get_db
from core.models import Event
from core.services import plugin_settings
from plugins.symposium import engagement, stamps
from plugins.symposium.page_cache import Built, MemoryStore, PageCache, hole
from tests.conftest import skip_or_fail
from tests.plugins.symposium.helpers import API, DAY1, DAY2, ORGANIZER, SLUG, at, session_body

BASE = f"/{SLUG}/symposium"
REDIS_URL = os.environ.get("GELAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TOKEN_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@pytest.fixture
def programme(api: Callable[..., Any], rooms: dict[str, int]) -> dict[str, int]:
    """A track, a keynote (Hall, day 1 09:00), a talk (Studio, day 2 13:00), an unplaced panel."""
    api("post", "/tracks", json={"name": "Digital", "color": "#123456"})
    keynote = api(
        "post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00"))
    ).get_json()["id"]
    talk = api(
        "post",
        "/sessions",
        json=session_body(
            "Data talk",
            room="Studio",
            starts_at=at(DAY2, "13:00"),
            track="Digital",
            speakers=[{"name": "Budi", "email": "budi@example.id"}],
        ),
    ).get_json()["id"]
    panel = api(
        "post",
        "/sessions",
        json=session_body("Panel", speakers=[{"name": "Citra", "email": "citra@example.id"}]),
    ).get_json()["id"]
    return {"keynote": keynote, "talk": talk, "panel": panel, **rooms}


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app runs inside the block."""
    seen: list[str] = []
    engine = get_db(app).engine

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)


def _without_tokens(html: str) -> str:
    return re.sub(r'(name="csrf_token" value|name="csrf-token" content|nonce)="[^"]+"', "", html)


# -- services: the built answer and the stamp ---------------------------------------------


def test_built_answer_joins_compressed_parts_with_the_visitors_values() -> None:
    text = f"<head>{hole('csrf')}</head>" + "<li>card</li>" * 500 + hole("account") + "end"
    built = Built.from_text(text)
    assert built.holes == ["csrf", "account"]
    values = {"csrf": "tok-en", "account": "<nav>Ani</nav>"}
    raw = built.body(values)
    assert raw.startswith(b"<head>tok-en</head>") and raw.endswith(b"<nav>Ani</nav>end")
    assert gzip.decompress(built.gzip_body(values)) == raw
    assert len(built.gzip_body(values)) < len(raw) / 10
    again = Built.loads(built.dumps())
    assert gzip.decompress(again.gzip_body({})) == again.body({}) == built.body({})


def test_memory_store_keeps_the_most_recent_entries() -> None:
    store = MemoryStore(size=2)
    cache = PageCache()
    cache.memory = store
    made = [cache.get_or_build(str(n), lambda: Built.from_text("x")) for n in range(3)]
    assert len(made) == 3 and cache.builds == 3
    assert store.get("0") is None and store.get("2") is not None
    cache.get_or_build("2", lambda: Built.from_text("never"))
    assert cache.builds == 3
    small = MemoryStore(size=100, budget=3000)
    for n in range(5):
        small.put(str(n), Built.from_text("x" * 1000), 60)
    assert small.bytes <= 3000 and small.get("4") is not None and small.get("0") is None


def test_stamp_rises_with_programme_changes_not_with_stars(
    app: Flask,
    db: Session,
    event: Event,
    api: Callable[..., Any],
    programme: dict[str, int],
    make: Any,
) -> None:
    def now() -> int:
        db.rollback()
        counter = stamps.read(db, event.id).counter
        db.rollback()  # (a write session: do not keep SQLite's lock)
        return counter

    start = now()
    assert start > 0  # creating the event, the rooms and the sessions raised it
    api("patch", f"/sessions/{programme['keynote']}", json={"title": "Keynote, renamed"})
    assert now() == start + 1
    assert api("post", "/schedule/publish", json={"comment": "v1"}).status_code in (200, 201)
    assert now() == start + 2
    target = db.get(Event, event.id)
    plugin_settings.update_settings(
        db, app.extensions["gelar_plugins"], target, "symposium", {"day_ends": "18:00"}
    )
    db.commit()
    assert now() == start + 3
    visitor = make.user("star@example.id", "Star")
    engagement.set_star(db, db.get(Event, event.id), visitor, programme["keynote"], True)
    db.commit()
    assert now() == start + 3  # a star is personal: the shared pages stay
    failed = api("patch", f"/sessions/{programme['talk']}", json={"duration_minutes": -5})
    assert failed.status_code == 422
    assert now() == start + 3  # nothing stored, nothing raised


# -- HTTP: built once, 304, gzip, light pages ---------------------------------------------


def test_agenda_is_built_once_and_a_hit_costs_a_constant_few_statements(
    app: Flask, client: FlaskClient, api: Callable[..., Any], programme: dict[str, int]
) -> None:
    from plugins.symposium.serving import page_cache

    assert client.get(f"{BASE}/").status_code == 200
    with app.app_context():
        cache = page_cache()
    built = cache.builds
    with statements(app) as few:
        assert client.get(f"{BASE}/").status_code == 200
    assert cache.builds == built  # served from the cache
    for n in range(25):  # 25 more quarter-hour sessions in the Hall on day 2
        minutes = 8 * 60 + 15 * n
        starts = at(DAY2, f"{minutes // 60:02d}:{minutes % 60:02d}")
        body = session_body(f"Extra {n}", speakers=[], duration_minutes=15)
        created = api("post", "/sessions", json={**body, "room": "Hall", "starts_at": starts})
        assert created.status_code == 201, created.get_json()
    client.get(f"{BASE}/?day=all")
    with statements(app) as many:
        assert client.get(f"{BASE}/?day=all").status_code == 200
    assert len(many) == len(few) <= 4, many


def test_etag_and_gzip_and_304(client: FlaskClient, programme: dict[str, int]) -> None:
    first = client.get(f"{BASE}/", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first.headers["Vary"]
    html = gzip.decompress(first.get_data()).decode()
    assert "Opening keynote" in html
    plain = client.get(f"{BASE}/").get_data(as_text=True)
    assert _without_tokens(plain) == _without_tokens(html)
    etag = first.headers["ETag"]
    again = client.get(f"{BASE}/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    # the nonce of a 304's policy is the one of the page the browser kept
    nonce = re.search(r'<style nonce="([^"]+)"', html)
    assert (
        nonce is not None
        and f"'nonce-{nonce.group(1)}'" in again.headers["Content-Security-Policy"]
    )
    for url in (f"{API}/schedule", f"{BASE}/schedule.ics"):
        shared = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert shared.status_code == 200 and shared.headers["Content-Encoding"] == "gzip"
        assert "Last-Modified" in shared.headers and "public" in shared.headers["Cache-Control"]
        tag = {"If-None-Match": shared.headers["ETag"]}
        assert client.get(url, headers=tag).status_code == 304
        since = {"If-Modified-Since": shared.headers["Last-Modified"]}
        assert client.get(url, headers=since).status_code == 304
    body = client.get(f"{API}/schedule").get_json()
    assert [i["title"] for i in body["items"]] == ["Opening keynote", "Data talk"]


def test_shared_page_holds_nothing_of_the_visitor(
    app: Flask, client: FlaskClient, auth: Any, programme: dict[str, int]
) -> None:
    from plugins.symposium.serving import page_cache

    auth.login(ORGANIZER)
    mine = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Organizer" in mine and 'class="manage"' in mine  # the holes: name and Manage
    assert len(TOKEN_META.findall(mine)) == 1
    with app.app_context():
        entries = list(page_cache().memory._entries.values())
    assert entries
    for built in entries:
        raw = built.body({}).decode()
        assert "Organizer" not in raw and 'class="manage"' not in raw
        assert 'name="csrf_token" value=""' not in raw or "csrf" in built.holes
    other = app.test_client().get(f"{BASE}/").get_data(as_text=True)
    assert "Organizer" not in other and 'class="manage"' not in other


def test_the_programme_opens_on_one_day_with_light_cards(
    client: FlaskClient, programme: dict[str, int]
) -> None:
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Opening keynote" in html and "Data talk" not in html  # day 1 only
    assert f'href="{BASE}/?day={DAY2}"' in html and f'href="{BASE}/?day=all"' in html
    cards = re.findall(r'<li class="card[^"]*" id="sym-card-.*?</button></li>', html, flags=re.S)
    assert cards
    for card in cards:
        assert len(card.encode()) < 400, card
    everything = client.get(f"{BASE}/?day=all").get_data(as_text=True)
    assert "Opening keynote" in everything and "Data talk" in everything


def test_star_endpoint_json(
    client: FlaskClient, auth: Any, db: Session, event: Event, programme: dict[str, int]
) -> None:
    url = f"{BASE}/sessions/{programme['keynote']}/star"
    anonymous = client.post(url, json={"on": True})
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["code"]
    auth.login("visitor@example.id")
    for bad in ({"on": "yes"}, {}, [True]):
        refused = client.post(url, json=bad)
        assert refused.status_code == 422
        assert set(refused.get_json()["error"]) == {"code", "message", "fields"}
    unknown = client.post(f"{BASE}/sessions/999999/star", json={"on": True})
    assert unknown.status_code == 404
    assert client.post(url, json={"on": True}).get_json() == {
        "id": programme["keynote"],
        "starred": True,
    }
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert f'<meta name="gelar-stars" content="{programme["keynote"]}">' in page
    assert client.post(url, json={"on": False}).get_json()["starred"] is False
    db.rollback()
    from sqlalchemy import select

    from core.models import User

    visitor = db.scalar(select(User).where(User.email == "visitor@example.id"))
    assert engagement.starred_ids(db, db.get(Event, event.id), visitor) == set()


def test_star_endpoint_needs_the_csrf_token(
    app_config: dict[str, Any], programme: dict[str, int]
) -> None:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    try:
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token is not None
        data = {"email": "visitor@example.id", "password": "", "csrf_token": token.group(1)}
        from tests.conftest import PASSWORD

        data["password"] = PASSWORD
        assert client.post("/auth/login", data=data).status_code == 302
        url = f"{BASE}/sessions/{programme['keynote']}/star"
        assert client.post(url, json={"on": True}).status_code == 400  # no token
        agenda = client.get(f"{BASE}/").get_data(as_text=True)
        (meta,) = TOKEN_META.findall(agenda)  # one token per page
        done = client.post(url, json={"on": True}, headers={"X-CSRFToken": meta})
        assert done.status_code == 200 and done.get_json()["starred"] is True
    finally:
        get_db(app).dispose()


def test_programme_urls_are_404_with_the_plugin_off(
    client: FlaskClient, make: Any, event: Event, programme: dict[str, int]
) -> None:
    urls = [
        f"{BASE}/",
        f"{BASE}/sessions/{programme['keynote']}",
        f"{BASE}/schedule.ics",
        f"{API}/schedule",
    ]
    assert all(client.get(u).status_code == 200 for u in urls)
    target = make.session.get(Event, event.id)
    registry = make.app.extensions["gelar_plugins"]
    plugin_settings.set_plugin_enabled(make.session, registry, target, "symposium", False)
    make.session.commit()
    assert [client.get(u).status_code for u in urls] == [404] * len(urls)


def test_unknown_filters_and_ids_never_fail(client: FlaskClient, programme: dict[str, int]) -> None:
    for query in ("day=1999-01-01", "room=abc", "track=-1", "q=" + "x" * 5000, "day=all&room=9"):
        assert client.get(f"{BASE}/?{query}").status_code == 200, query
    assert client.get(f"{BASE}/schedule.ics?room=999999").status_code == 404
    assert client.get(f"{BASE}/schedule.ics?room=abc").status_code == 404
    assert client.get(f"{BASE}/sessions/{programme['panel']}").status_code == 404  # unplaced


def test_speaker_before_publication_only_for_organizers(
    client: FlaskClient, auth: Any, api: Callable[..., Any], programme: dict[str, int]
) -> None:
    panel = api("get", f"/sessions/{programme['panel']}").get_json()
    speaker = panel["speakers"][0]["id"]
    assert client.get(f"{BASE}/speakers/{speaker}").status_code == 404
    auth.login(ORGANIZER)
    assert client.get(f"{BASE}/speakers/{speaker}").status_code == 200
    auth.logout()
    assert client.get(f"{BASE}/speakers/{speaker}").status_code == 404


# -- another worker sees a new version on its very next request ---------------------------


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        skip_or_fail("redis", f"Redis is not reachable at {REDIS_URL}: {exc}")


@pytest.mark.parametrize("shared", ["memory", "redis"])
def test_new_version_is_served_by_another_worker_at_once(
    app_config: dict[str, Any],
    api: Callable[..., Any],
    programme: dict[str, int],
    shared: str,
) -> None:
    config = dict(app_config)
    if shared == "redis":
        _redis_or_skip()
        config["REDIS_URL"] = REDIS_URL
    workers = [create_app(config), create_app(config)]  # two processes' apps, one database
    try:
        first, second = (w.test_client() for w in workers)
        assert api("post", "/schedule/publish", json={"comment": "v1"}).status_code in (200, 201)
        for client in (first, second):
            page = client.get(f"{BASE}/?day=all").get_data(as_text=True)
            assert "Versi 1" in page and "09:00\u201310:00" in page
            assert client.get(f"{API}/schedule").get_json()["version"] == 1
            assert "Opening keynote" in client.get(f"{BASE}/schedule.ics").get_data(as_text=True)
        moved = api(
            "patch", f"/sessions/{programme['keynote']}", json={"starts_at": at(DAY1, "10:30")}
        )
        assert moved.status_code == 200
        assert api("post", "/schedule/publish", json={"comment": "v2"}).status_code in (200, 201)
        page = second.get(f"{BASE}/?day=all").get_data(as_text=True)
        assert "Versi 2" in page and "10:30\u201311:30" in page and "09:00\u201310:00" not in page
        assert second.get(f"{API}/schedule").get_json()["version"] == 2
        ics = second.get(f"{BASE}/schedule.ics").get_data(as_text=True)
        assert "T103000" in ics and "T090000" not in ics
        session = second.get(f"{BASE}/sessions/{programme['keynote']}").get_data(as_text=True)
        assert "10:30" in session
    finally:
        for worker in workers:
            get_db(worker).dispose()

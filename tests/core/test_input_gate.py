"""The input gate: unstorable text is refused in one place, on both databases, never a 500.

Covers the predicate, the fuzzer's reproductions of issue 11 (NUL bytes in query strings
and forms, a lone surrogate in the token request with Redis), invalid UTF-8, headers used
as keys, file names, duplicate JSON keys, full-width digits as ids and LIKE wildcards.
"""

from __future__ import annotations

import io
import os
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import create_app
from core.db import get_db
from core.input_gate import decode_pairs, unstorable, unstorable_fields
from core.models import Event, Innovation, Organization, User
from core.services import innovations, text_search
from tests.conftest import PASSWORD, skip_or_fail

SLUG = "jatim-2026"
ALL_PLUGINS = ["registration", "exhibitors", "symposium", "voting"]
REDIS_URL = os.environ.get("GELAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("", False),
        ("Inovasi pelayanan publik", False),
        ("tab\there", False),
        ("two\nlines\r\n", False),
        ("ĉafé 日本 🎉", False),
        ("\u007f", False),  # DEL is storable
        ("a\x00b", True),
        ("\x01", True),
        ("bell\x07", True),
        ("\x0b", True),
        ("\x0c", True),
        ("\x1b[31m", True),
        ("\x1f", True),
        ("\ud800", True),
        ("x\udfffy", True),
    ],
)
def test_the_predicate(text: str, refused: bool) -> None:
    assert unstorable(text) is refused
    assert bool(unstorable_fields({"field": text})) is refused
    assert bool(unstorable_fields({text or "k": "v"})) is refused


def test_invalid_utf8_becomes_refusable() -> None:
    assert decode_pairs(b"q=caf%C3%A9") == [("q", "café")]
    for raw in (b"q=%FF", b"q=\xff", b"%C3=1", b"q=%ED%A0%80"):  # the last is a surrogate
        assert any(unstorable(part) for pair in decode_pairs(raw) for part in pair), raw


def test_nested_json_paths_are_named() -> None:
    problems = unstorable_fields({"a": [{"b": "ok"}, {"b": "x\x02"}], "c": "fine"})
    assert set(problems) == {"a.1.b"}


@pytest.fixture
def world(make: Any) -> dict[str, Any]:
    """A published event with every plugin on, an organizer and an admin."""
    organizer = make.user("panitia@example.id", "Panitia")
    admin = make.user("admin@example.id", "Admin", admin=True)
    event = make.event(SLUG, plugins=ALL_PLUGINS, organizer=organizer)
    return {"organizer": organizer, "admin": admin, "event": event}


def _counts(db: Session) -> tuple[int, ...]:
    db.expire_all()
    counts = tuple(
        db.scalar(select(func.count()).select_from(model)) or 0
        for model in (User, Event, Organization, Innovation)
    )
    db.rollback()  # no read transaction left open (SQLite writers would wait for it)
    return counts


def _post_form(client: FlaskClient, path: str, form: dict[str, str]) -> Any:
    """POST ``form`` url-encoded; lone surrogates are sent as their (invalid) UTF-8 bytes."""
    body = urlencode(form, encoding="utf-8", errors="surrogatepass")
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded")


def _assert_refused_page(response: Any, name: str) -> None:
    assert response.status_code == 400, response.status_code
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"“{name}”" in page
    assert "error-page" in page  # the styled error page


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"/{SLUG}/exhibitors/?q=a%00b", "q"),
        (f"/{SLUG}/exhibitors/floor-plan?highlight=%00", "highlight"),
        (f"/{SLUG}/exhibitors/?q=%FF", "q"),  # not UTF-8
        (f"/{SLUG}/exhibitors/?q=\x1b", "q"),
        (f"/{SLUG}/symposium/?day=%01", "day"),
        (f"/{SLUG}/registration/manage/?q=%00", "q"),
        ("/admin/users?q=%ED%A0%80", "q"),  # an encoded lone surrogate
        ("/?x%00y=1", "x\ufffdy"),  # the name, shown with its bad character replaced
    ],
)
def test_query_strings_are_gated(
    client: FlaskClient, world: dict[str, Any], path: str, name: str
) -> None:
    _assert_refused_page(client.get(path), name)


def test_storable_query_strings_pass(client: FlaskClient, world: dict[str, Any]) -> None:
    for path in (f"/{SLUG}/exhibitors/?q=a%09b", f"/{SLUG}/exhibitors/?q=caf%C3%A9%0A"):
        assert client.get(path).status_code == 200


def test_a_nul_in_the_path_is_refused(client: FlaskClient, world: dict[str, Any]) -> None:
    assert client.get("/jatim%002026/exhibitors/").status_code == 400
    response = client.get("/api/v1/events/a%00b")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_request"


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/auth/signup", {"name": "Ani\x00", "email": "ani@example.id", "password": PASSWORD}),
        ("/auth/signup", {"name": "Ani", "email": "ani\ud800@example.id", "password": "x" * 12}),
        ("/auth/login", {"email": "admin@example.id\x00", "password": PASSWORD}),
        (f"/{SLUG}/registration/visit", {"name": "Tamu\x00", "email": "tamu@example.id"}),
        (f"/{SLUG}/registration/register", {"organization_name": "Dinas\x00"}),
    ],
)
def test_anonymous_forms_are_gated(
    client: FlaskClient, db: Session, world: dict[str, Any], path: str, form: dict[str, str]
) -> None:
    before = _counts(db)
    bad = next(name for name, value in form.items() if unstorable(value))
    _assert_refused_page(_post_form(client, path, form), bad)
    assert _counts(db) == before


@pytest.mark.parametrize(
    ("path", "form"),
    [
        (f"/{SLUG}/manage/settings", {"name": "Pameran\x00", "venue": "Surabaya"}),
        (f"/{SLUG}/manage/people", {"email": "juri@example.id", "role": "judge\x1f"}),
        (f"/{SLUG}/exhibitors/manage/zones", {"name": "Hall \x00A"}),
        (f"/{SLUG}/exhibitors/manage/booths", {"code": "A1", "zone": "\ud800"}),
        (f"/{SLUG}/symposium/manage/rooms", {"name": "Ruang\x00"}),
        (f"/{SLUG}/symposium/manage/tracks", {"name": "Trek", "color": "#123456\x00"}),
        (f"/{SLUG}/voting/manage/rubric", {"criteria": "Dampak\x08"}),
    ],
)
def test_console_forms_are_gated(
    client: FlaskClient,
    auth: Any,
    db: Session,
    world: dict[str, Any],
    path: str,
    form: dict[str, str],
) -> None:
    auth.login("panitia@example.id")
    before = _counts(db)
    bad = next(name for name, value in form.items() if unstorable(value))
    _assert_refused_page(_post_form(client, path, form), bad)
    assert _counts(db) == before


def test_invalid_utf8_in_a_form_body_is_refused(client: FlaskClient, world: dict[str, Any]) -> None:
    body = b"name=%FF&email=ani%40example.id&password=" + PASSWORD.encode()
    response = client.post(
        "/auth/signup", data=body, content_type="application/x-www-form-urlencoded"
    )
    _assert_refused_page(response, "name")


def test_multipart_file_names_are_text_but_contents_are_not(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    auth.login("panitia@example.id")
    url = f"/{SLUG}/exhibitors/manage/booths/import"
    named = {"csv-file": (io.BytesIO(b"code,zone\nA1,Hall\n"), "booths\x00.csv")}
    response = client.post(url, data=named, content_type="multipart/form-data")
    _assert_refused_page(response, "csv-file")
    binary = {"csv-file": (io.BytesIO(b"\x00\x01\xff binary"), "booths.csv")}
    response = client.post(url, data=binary, content_type="multipart/form-data")
    assert response.status_code == 422  # reached the view, which refuses it as a CSV
    field = {"csv-file": (io.BytesIO(b""), "b.csv"), "note": "\x00"}
    response = client.post(url, data=field, content_type="multipart/form-data")
    _assert_refused_page(response, "note")


def test_api_query_strings_name_the_parameter(client: FlaskClient, world: dict[str, Any]) -> None:
    response = client.get(f"/api/v1/events/{SLUG}/innovations?q=%01")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "malformed_request"
    assert list(error["fields"]) == ["q"]
    response = client.get(f"/api/v1/events/{SLUG}/innovations?q=%C0%AF")  # overlong UTF-8
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        '{"email": "\\ud800", "password": "x"}',
        '{"email": "a@example.id", "password": "\\u0001"}',
        '{"email": "a@example.id", "password": "x", "\\u0000": 1}',
    ],
)
def test_api_bodies_are_gated(client: FlaskClient, world: dict[str, Any], body: str) -> None:
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"


def test_a_lone_surrogate_with_redis_rate_limits_is_a_422(app_config: dict[str, Any]) -> None:
    import redis

    probe = redis.Redis.from_url(REDIS_URL)
    try:
        probe.ping()
    except redis.RedisError as exc:
        skip_or_fail("redis", f"Redis is not reachable at {REDIS_URL}: {exc}")
    finally:
        probe.close()
    app = create_app({**app_config, "REDIS_URL": REDIS_URL})
    try:
        body = '{"email": "\\ud800", "password": "x"}'
        response = app.test_client().post(
            "/api/v1/auth/token", data=body, content_type="application/json"
        )
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {
            "email": [response.get_json()["error"]["fields"]["email"][0]]
        }
    finally:
        get_db(app).dispose()


@pytest.mark.parametrize(
    "body",
    [
        '{"email": "a@example.id", "email": "b@example.id", "password": "x"}',
        '{"email": "a@example.id", "password": "x", "extra": {"k": 1, "k": 2}}',
    ],
)
def test_duplicate_json_keys_are_malformed(
    client: FlaskClient, world: dict[str, Any], body: str
) -> None:
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_duplicate_keys_never_issue_passes(
    client: FlaskClient, db: Session, world: dict[str, Any], api_token: Any
) -> None:
    headers = api_token("panitia@example.id")
    response = client.post(
        f"/api/v1/events/{SLUG}/passes",
        data='{"count": 1, "count": 2000}',
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize(
    ("header", "value"), [("X-Forwarded-For", "10.0.0.1\x01"), ("Authorization", "Bearer a\x00")]
)
def test_headers_used_as_keys_are_gated(
    client: FlaskClient, world: dict[str, Any], header: str, value: str
) -> None:
    assert client.get("/", headers={header: value}).status_code == 400
    response = client.get("/api/v1/events", headers={header: value})
    assert response.status_code == 400
    assert header in response.get_json()["error"]["fields"]


# full-width, Arabic-Indic and Devanagari digits
@pytest.mark.parametrize("digits", ["\uff11", "\u0663", "\u0967\u0968"])
def test_ids_in_urls_are_ascii_digits(
    client: FlaskClient, world: dict[str, Any], digits: str
) -> None:
    assert client.get(f"/{SLUG}/exhibitors/innovations/{digits}").status_code == 404
    assert client.get(f"/api/v1/events/{SLUG}/innovations/{digits}").status_code == 404
    assert client.post(f"/{SLUG}/symposium/sessions/{digits}/star").status_code == 404


# --- LIKE wildcards -------------------------------------------------------------------


def test_escape_like() -> None:
    assert text_search.escape_like("100%_\\") == "100\\%\\_\\\\"
    assert text_search.like_pattern("a_b") == "%a\\_b%"


def _innovation(db: Session, event: Event, title: str) -> None:
    organization = Organization(name=f"Dinas {title}", kind="opd", region="Surabaya")
    db.add(organization)
    db.flush()
    db.add(
        Innovation(
            event_id=event.id,
            organization_id=organization.id,
            title=title,
            summary="-",
            category="Kesehatan",
            status="accepted",
        )
    )
    db.commit()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("%", ["Diskon 50% PBB"]),
        ("_", ["Layanan_Satu"]),
        ("\\", ["Garis\\Miring"]),
        ("50%", ["Diskon 50% PBB"]),
        ("l_yanan", []),
        ("%%", []),
        ("layanan", ["Layanan_Satu"]),
    ],
)
def test_like_wildcards_are_literal_in_innovation_search(
    app: Flask, db: Session, world: dict[str, Any], q: str, expected: list[str]
) -> None:
    event = world["event"]
    for title in ("Diskon 50% PBB", "Layanan_Satu", "Garis\\Miring", "Sekolah Ramah"):
        _innovation(db, event, title)
    with app.test_request_context():
        found, total = innovations.search_accepted(db, event, q=q)
    assert sorted(i.title for i in found) == expected
    assert total == len(expected)


def test_percent_does_not_match_every_user(
    client: FlaskClient, auth: Any, make: Any, world: dict[str, Any]
) -> None:
    make.user("ani@example.id", "Ani 100%")
    auth.login("admin@example.id")
    page = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "Ani 100%" in page and "Panitia" not in page
    page = client.get("/admin/users?q=_").get_data(as_text=True)
    assert "Panitia" not in page


def test_json_sent_to_a_page_is_gated_too(client: FlaskClient, world: dict[str, Any]) -> None:
    response = client.post(
        "/auth/login", data='{"email": "\\u0000"}', content_type="application/json"
    )
    _assert_refused_page(response, "email")


def test_a_long_field_name_is_shortened_in_the_message(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    name = "x" * 5000
    response = _post_form(client, "/auth/signup", {name: "\x00"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "x" * 59 + "…" in page and "x" * 61 not in page

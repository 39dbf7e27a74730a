"""Property tests (Hypothesis) for the input gate: any text, any JSON, every POST route.

For any generated text the predicate agrees with an independent definition; over HTTP,
for every HTML form route and every API body route of the app (on the demo event), the
gate refuses exactly the requests that carry unstorable text, nothing answers 5xx (in
testing mode an unhandled error fails the test), and afterwards no text column of any
table holds a NUL, another refused control character or a lone surrogate.  Examples are
bounded and derandomized so each test runs in seconds.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import gettext
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from core.db import get_db
from core.input_gate import decode_pairs, unstorable, unstorable_fields
from core.services.demo import DEMO_ORGANIZER, DEMO_SLUG, seed_demo

SPECIAL = [chr(i) for i in range(32)] + ["\x7f", "\ud800", "\udbff", "\udc00", "\udfff", "\ufffd"]
CHAR = st.one_of(st.characters(), st.sampled_from(SPECIAL))
TEXT = st.text(alphabet=CHAR, max_size=12)
FIELD_NAMES = [
    "name",
    "email",
    "password",
    "title",
    "summary",
    "venue",
    "description",
    "q",
    "code",
    "zone",
    "color",
    "role",
    "reason",
    "notes",
    "count",
    "status",
    "organization_name",
    "contact_name",
    "criteria",
    "comment",
]
FIELD = st.one_of(st.sampled_from(FIELD_NAMES), TEXT.filter(bool))
FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None)
# Leave the session signed in and the event as it is: these would end the run's premise.
SKIP_ENDPOINTS = {"auth.logout", "public.switch_language", "console.clone", "console.set_status"}
ARGUMENTS = {
    "event": DEMO_SLUG,
    "code": "A01",
    "token": "not-a-token",
    "name": "voting",
    "step": "contact",
    "fmt": "csv",
}


def expected_unstorable(text: str) -> bool:
    """The gate's rule, written independently of its regular expression."""
    return any((ord(c) < 0x20 and c not in "\t\n\r") or 0xD800 <= ord(c) <= 0xDFFF for c in text)


@FAST
@given(TEXT)
def test_predicate_matches_its_definition(text: str) -> None:
    assert unstorable(text) is expected_unstorable(text)
    if not unstorable(text):
        assert "\x00" not in text
        text.encode("utf-8")  # storable text always encodes (PostgreSQL, Redis keys, logs)


@FAST
@given(st.dictionaries(TEXT, TEXT, max_size=4))
def test_form_encoding_round_trips_and_flags(form: dict[str, str]) -> None:
    raw = urlencode(form, encoding="utf-8", errors="surrogatepass").encode("ascii")
    pairs = decode_pairs(raw)
    bad = any(unstorable(k) or unstorable(v) for k, v in form.items())
    assert any(unstorable(k) or unstorable(v) for k, v in pairs) is bad
    if not bad:
        assert dict(pairs) == form


@FAST
@given(st.binary(max_size=16))
def test_any_bytes_are_text_or_refused(raw: bytes) -> None:
    for name, value in decode_pairs(b"q=" + raw):
        for part in (name, value):
            if not unstorable(part):
                part.encode("utf-8")


JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(FIELD, inner, max_size=3)),
    max_leaves=8,
)
JSON_BODY = st.dictionaries(FIELD, JSON_VALUE, max_size=4)


def _json_has_unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return expected_unstorable(value)
    if isinstance(value, list):
        return any(_json_has_unstorable(v) for v in value)
    if isinstance(value, dict):
        return any(expected_unstorable(k) or _json_has_unstorable(v) for k, v in value.items())
    return False


@FAST
@given(JSON_VALUE)
def test_json_fields_agree_with_the_predicate(value: Any) -> None:
    assert bool(unstorable_fields(value)) is _json_has_unstorable(value)


# --- over HTTP, on the demo event -------------------------------------------------------


@pytest.fixture
def demo(app: Flask, db: Session, client: FlaskClient, auth: Any) -> None:
    """The demo event; ``client`` signed in as its organizer."""
    seed_demo(db, app.extensions["gelar_plugins"])
    db.commit()
    assert auth.login(DEMO_ORGANIZER[0], DEMO_ORGANIZER[2]).status_code == 302


def _routes(app: Flask, *, api: bool) -> list[tuple[str, str]]:
    """``(method, url)`` for every write route, arguments filled in from the demo."""
    adapter = app.url_map.bind("gelar.test")
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") is not api or rule.endpoint in SKIP_ENDPOINTS:
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            values = {name: ARGUMENTS.get(name, 1) for name in rule.arguments}
            routes.append((method, adapter.build(rule.endpoint, values, method=method)))
    return sorted(set(routes))


def _multipart(fields: dict[str, str], files: dict[str, str]) -> tuple[bytes, str]:
    """A multipart body (lone surrogates sent as their invalid UTF-8 bytes)."""
    boundary = uuid.uuid4().hex
    parts = []

    def quoted(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "")

    for name, value in fields.items():
        head = f'Content-Disposition: form-data; name="{quoted(name)}"'
        parts.append(f"--{boundary}\r\n{head}\r\n\r\n{value}\r\n")
    for name, filename in files.items():
        head = (
            f'Content-Disposition: form-data; name="{quoted(name)}"; '
            f'filename="{quoted(filename)}"\r\nContent-Type: application/octet-stream'
        )
        parts.append(f"--{boundary}\r\n{head}\r\n\r\n\x00\x01binary\r\n")
    parts.append(f"--{boundary}--\r\n")
    body = "".join(parts).encode("utf-8", "surrogatepass")
    return body, f"multipart/form-data; boundary={boundary}"


def _gate_refusal(app: Flask, name: str) -> str:
    """The gate's message for a form field as a page shows it (default language, escaped)."""
    from core.input_gate import printable

    with app.test_request_context():
        return escape(
            gettext(
                "The field “%(name)s” contains characters that cannot be stored (such as control"
                " characters). Remove them and try again.",
                name=printable(name),
            )
        )


def assert_nothing_unstorable_stored(app: Flask) -> None:
    """No text (or JSON string) in any table holds what the gate refuses."""
    engine = get_db(app).engine
    metadata = MetaData()
    metadata.reflect(bind=engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for column, value in zip(table.columns, row, strict=True):
                    if isinstance(value, str):
                        assert not unstorable(value), (table.name, column.name, value)
                    elif isinstance(value, dict | list):
                        assert not unstorable_fields(value), (table.name, column.name)


def test_every_html_form_route(app: Flask, client: FlaskClient, demo: None) -> None:
    routes = _routes(app, api=False)
    assert len(routes) > 40

    @FAST
    @given(
        st.sampled_from(routes),
        st.dictionaries(FIELD, TEXT, min_size=1, max_size=4),
        st.one_of(st.none(), st.dictionaries(FIELD, TEXT, min_size=1, max_size=2)),
    )
    def post(route: tuple[str, str], form: dict[str, str], files: dict[str, str] | None) -> None:
        method, url = route
        if files is None:
            body = urlencode(form, encoding="utf-8", errors="surrogatepass").encode("ascii")
            content_type = "application/x-www-form-urlencoded"
            pairs = list(form.items())
        else:
            body, content_type = _multipart(form, files)
            pairs = list(form.items()) + list(files.items())
        response = client.open(url, method=method, data=body, content_type=content_type)
        assert response.status_code < 500
        bad = [name for name, value in pairs if unstorable(name) or unstorable(value)]
        page = response.get_data(as_text=True)
        if bad:
            assert response.status_code == 400, (url, form, files)
            if files is None:  # multipart names that are not UTF-8 get a generic message
                assert _gate_refusal(app, bad[0]) in page
        else:
            refused = [_gate_refusal(app, name) for name, _value in pairs]
            assert not any(message in page for message in refused), (url, form)

    post()
    assert_nothing_unstorable_stored(app)


def test_every_api_body_route(app: Flask, client: FlaskClient, demo: None, api_token: Any) -> None:
    headers = api_token(DEMO_ORGANIZER[0], DEMO_ORGANIZER[2])
    routes = _routes(app, api=True)
    assert len(routes) > 15

    @FAST
    @given(st.sampled_from(routes), JSON_BODY)
    def send(route: tuple[str, str], body: dict[str, Any]) -> None:
        method, url = route
        raw = json.dumps(body)  # ensure_ascii: lone surrogates travel as \\ud800 escapes
        response = client.open(
            url, method=method, data=raw, content_type="application/json", headers=headers
        )
        assert response.status_code < 500, (url, raw)
        error = (response.get_json(silent=True) or {}).get("error", {})
        if _json_has_unstorable(body):
            assert response.status_code == 422, (url, raw)
            assert error["code"] == "validation_failed"
            assert error["fields"]
        else:
            assert response.status_code != 500

    send()
    assert_nothing_unstorable_stored(app)

"""The API's error shape for every kind of refusal, and never a 500 for bad input."""

from __future__ import annotations

import io
import json

from tests.core.api.helpers import API, assert_error, snapshot

EVENT = f"{API}/events/jatim-2026"
NEW_EVENT = {
    "slug": "jatim-2027",
    "name": "Pameran 2027",
    "year": 2027,
    "starts_on": "2027-04-24",
    "ends_on": "2027-04-25",
}
MALFORMED = [
    ("{", "application/json"),
    ('{"name": }', "application/json"),
    ("[1, 2]", "application/json"),
    ('"text"', "application/json"),
    ("42", "application/json"),
    ("null", "application/json"),
    ('{"count": NaN}', "application/json"),
    ('{"count": Infinity}', "application/json"),
    ("[" * 100_000 + "]" * 100_000, "application/json"),
    ('{"name": "x"}', "text/plain"),
    ("name=x", "application/x-www-form-urlencoded"),
    (b"\xff\xfe{}", "application/json"),
]
# Every Core endpoint that takes a body, with a valid body.
WRITES = [
    ("post", f"{API}/auth/token", {"email": "organizer@example.id", "password": "x"}),
    ("post", f"{API}/events", NEW_EVENT),
    ("patch", EVENT, {"name": "Renamed"}),
    ("put", f"{EVENT}/plugins", {"enabled": ["voting"]}),
    ("put", f"{EVENT}/plugins/voting/settings", {"method": "raw"}),
    ("post", f"{EVENT}/clone", {**NEW_EVENT, "slug": "jatim-2028"}),
    ("post", f"{EVENT}/roles", {"email": "j@example.id", "role": "judge"}),
    ("post", f"{EVENT}/passes", {"count": 2}),
]


def test_unknown_api_route_is_json_404(client):
    for url in (f"{API}/nope", f"{API}/events/jatim-2026/nope", "/api/v2/events"):
        error = assert_error(client.get(url), 404, "not_found")
        assert error["fields"] == {}


def test_non_api_404_stays_html(client):
    response = client.get("/no-such-page/at/all")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_wrong_method_is_json_405_with_allow(client, cast):
    for method, url in (
        ("delete", f"{API}/events"),
        ("put", f"{API}/me"),
        ("post", EVENT),
        ("delete", f"{EVENT}/innovations"),
    ):
        response = getattr(client, method)(url)
        assert_error(response, 405, "method_not_allowed")
        assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


def test_unknown_event_is_404_for_every_endpoint(client, cast, headers):
    for method, url, body in WRITES[2:]:
        response = getattr(client, method)(
            url.replace("jatim-2026", "nope"), json=body, headers=headers["admin"]
        )
        assert_error(response, 404, "not_found")
    for path in (
        "",
        "/innovations",
        "/innovations/1",
        "/organizations",
        "/plugins/voting/settings",
    ):
        response = client.get(f"{API}/events/nope{path}", headers=headers["admin"])
        assert_error(response, 404, "not_found")


def test_malformed_bodies_answer_400_and_change_nothing(client, cast, headers, app):
    before = snapshot(app)
    for raw, content_type in MALFORMED:
        for method, url, _body in WRITES:
            response = getattr(client, method)(
                url, data=raw, content_type=content_type, headers=headers["admin"]
            )
            assert_error(response, 400)
    assert snapshot(app) == before


def test_no_credentials_is_401_and_wrong_role_is_403(client, cast, headers, app):
    before = snapshot(app)
    for method, url, body in WRITES[1:]:
        assert_error(getattr(client, method)(url, json=body), 401, "unauthorized")
        assert_error(
            getattr(client, method)(url, json=body, headers=headers["outsider"]), 403, "forbidden"
        )
    assert snapshot(app) == before


def test_a_bad_token_is_401_even_on_public_endpoints(client, cast):
    response = client.get(f"{API}/events", headers={"Authorization": "Bearer glr_forged"})
    assert_error(response, 401, "invalid_token")


def test_body_over_the_json_limit_is_413(client, cast, headers, app):
    app.config["API_MAX_JSON_BYTES"] = 2000
    before = snapshot(app)
    padding = "x" * 3000
    for method, url, body in WRITES:
        response = getattr(client, method)(
            url, json={**body, "pad": padding}, headers=headers["admin"]
        )
        assert_error(response, 413, "too_large")
    # Also when the client sends no Content-Length (a chunked stream).
    stream = io.BytesIO(json.dumps({"count": 1, "pad": padding}).encode())
    response = client.post(
        f"{EVENT}/passes",
        input_stream=stream,
        content_type="application/json",
        headers={**headers["admin"], "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn does for chunked bodies
    )
    assert_error(response, 413)
    assert snapshot(app) == before
    # Under the limit, the same endpoint works.
    response = client.post(f"{EVENT}/passes", json={"count": 1}, headers=headers["admin"])
    assert response.status_code == 201


def test_body_over_the_app_limit_is_413(client, cast, headers, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post(
        f"{EVENT}/passes", json={"count": 1, "pad": "x" * 2000}, headers=headers["admin"]
    )
    assert_error(response, 413)


def test_unstorable_characters_never_cause_a_500(client, cast, headers, app):
    before = snapshot(app)
    for url in (
        f"{API}/events/bad%00slug",
        f"{API}/events?limit=5%00",
        f"{EVENT}/innovations?q=a%00b",
        f"{EVENT}/innovations?category=%00",
        f"{EVENT}/innovations?%00=1",
    ):
        assert_error(client.get(url, headers=headers["organizer"]), 400, "malformed_request")
    for body in (
        {"email": "a\x00@example.id", "role": "judge"},
        {"email": "a@example.id", "role": "judge", "name": "\ud800"},
    ):
        response = client.post(f"{EVENT}/roles", json=body, headers=headers["organizer"])
        error = assert_error(response, 422, "validation_failed")
        assert set(error["fields"]) & {"email", "name"}
    response = client.post(f"{API}/auth/token", json={"email": "\x00", "password": "\x00"})
    assert_error(response, 422)
    response = client.put(
        f"{EVENT}/plugins", json={"enabled": ["voting\x00"]}, headers=headers["organizer"]
    )
    assert "enabled.0" in assert_error(response, 422)["fields"]
    response = client.patch(EVENT, json={"name\x00": "x"}, headers=headers["organizer"])
    assert_error(response, 422)
    assert snapshot(app) == before


GARBAGE = [None, True, 0, -1, 10**40, 1.5, "", "x" * 10_000, [], {}, [None], {"a": {"b": []}}]


def test_garbage_values_in_every_field_never_cause_a_500(client, cast, headers):
    for method, url, body in WRITES:
        for key, value in ((key, value) for key in body for value in GARBAGE):
            response = getattr(client, method)(
                url, json={**body, key: value}, headers=headers["admin"]
            )
            assert response.status_code < 500
            if response.status_code >= 400:
                assert_error(response, response.status_code)


def test_ids_beyond_32_bits_never_reach_the_database(app, client, cast, headers):
    """Every route with an ``<int:…>`` part: a 41-bit id is a 404 for every method, so it
    never reaches a query (PostgreSQL would refuse it with a 500)."""
    import re

    huge = str(2**40)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        url = re.sub(r"<int:[^>]+>", huge, rule.rule)
        url = re.sub(r"<(?:string:)?event>", "jatim-2026", url)
        url = re.sub(r"<[^>]+>", "x", url)
        method = "get" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0].lower()
        response = getattr(client, method)(url, json={}, headers=headers["admin"])
        assert response.status_code == 404, (rule.rule, method, response.status_code)
        checked += 1
    assert checked >= 20

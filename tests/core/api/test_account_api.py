"""Accounts and sessions over the API: revoking tokens, listing them, changing the password."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from core.db import utcnow
from core.models import ApiToken, UserSession
from core.services import accounts
from tests.conftest import PASSWORD
from tests.core.api.helpers import API, assert_error, reading

NEW_PASSWORD = "a-brand-new-password"


def bearer(db: Any, user: Any) -> dict[str, str]:
    """Headers with a fresh API token of ``user``."""
    raw, _expires = accounts.issue_api_token(db, user, ttl_hours=1)
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def token_ids(app: Any, user: Any) -> list[int]:
    """The ids of ``user``'s tokens, oldest first."""
    with reading(app) as session:
        return list(
            session.scalars(
                select(ApiToken.id).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
            )
        )


def works(client: Any, headers: dict[str, str]) -> bool:
    """Whether the bearer headers are accepted."""
    status = client.get(f"{API}/me", headers=headers).status_code
    assert status in {200, 401}
    return status == 200


# --- DELETE /auth/token -----------------------------------------------------------------------


def test_delete_auth_token_revokes_only_the_token_in_use(client, db, cast, headers):
    spare = bearer(db, cast.organizer)
    response = client.delete(f"{API}/auth/token", headers=headers["organizer"])
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(client.get(f"{API}/me", headers=headers["organizer"]), 401, "invalid_token")
    assert works(client, spare)
    assert works(client, headers["admin"])
    assert_error(client.delete(f"{API}/auth/token", headers=headers["organizer"]), 401)


def test_delete_auth_token_needs_a_bearer_token(client, auth, cast):
    assert_error(client.delete(f"{API}/auth/token"), 401)
    auth.login("organizer@example.id")
    assert client.get(f"{API}/me").status_code == 200  # signed in by the browser session
    assert_error(client.delete(f"{API}/auth/token"), 401, "unauthorized")
    assert client.get(f"{API}/me").status_code == 200  # and it still is


def test_token_from_the_sign_in_endpoint_can_be_revoked(client, make):
    make.user("ani@example.id", "Ani")
    raw = client.post(
        f"{API}/auth/token", json={"email": "ani@example.id", "password": PASSWORD}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {raw}"}
    assert works(client, headers)
    assert client.delete(f"{API}/auth/token", headers=headers).status_code == 204
    assert not works(client, headers)


# --- GET /me/tokens and DELETE /me/tokens/{id} -----------------------------------------------


def test_list_my_tokens_marks_the_current_one_and_shows_no_secrets(app, client, db, cast, headers):
    other_headers = bearer(db, cast.organizer)
    expired_raw, _e = accounts.issue_api_token(db, cast.organizer, ttl_hours=1)
    db.commit()
    db.execute(
        update(ApiToken)
        .where(ApiToken.id == max(token_ids(app, cast.organizer)))
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.commit()
    response = client.get(f"{API}/me/tokens", headers=headers["organizer"])
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "total"}
    assert body["total"] == len(body["items"]) == 2  # the expired one is not listed
    for item in body["items"]:
        assert set(item) == {"id", "created_at", "expires_at", "last_used_at", "current"}
    first, second = token_ids(app, cast.organizer)[:2]
    assert [i["id"] for i in body["items"]] == [second, first]  # newest first
    assert [i["current"] for i in body["items"]] == [False, True]
    text = response.get_data(as_text=True)
    for secret in (headers["organizer"], other_headers, {"Authorization": expired_raw}):
        assert secret["Authorization"].split()[-1] not in text
    with reading(app) as session:
        for digest in session.scalars(select(ApiToken.token_hash)):
            assert digest not in text


def test_list_my_tokens_is_paginated(client, db, cast, headers):
    for _ in range(2):
        bearer(db, cast.organizer)
    body = client.get(f"{API}/me/tokens?limit=2&offset=1", headers=headers["organizer"]).get_json()
    assert body["total"] == 3 and len(body["items"]) == 2
    assert body["items"][-1]["current"]  # the oldest, on the last page
    assert_error(client.get(f"{API}/me/tokens?limit=0", headers=headers["organizer"]), 422)


def test_list_my_tokens_by_browser_session_has_no_current(client, auth, db, cast, headers):
    auth.login("organizer@example.id")
    items = client.get(f"{API}/me/tokens").get_json()["items"]
    assert [i["current"] for i in items] == [False]
    assert_error(client.get(f"{API}/me/tokens", headers={"Authorization": "Bearer nope"}), 401)


def test_list_my_tokens_needs_a_caller(client):
    assert_error(client.get(f"{API}/me/tokens"), 401)


def test_revoke_one_token_leaves_the_others(app, client, db, cast, headers):
    second = bearer(db, cast.organizer)
    first_id = token_ids(app, cast.organizer)[0]
    response = client.delete(f"{API}/me/tokens/{first_id}", headers=second)
    assert response.status_code == 204
    assert not works(client, headers["organizer"])
    assert works(client, second)
    assert_error(client.delete(f"{API}/me/tokens/{first_id}", headers=second), 404, "not_found")


def test_another_person_cannot_revoke_my_token(app, client, db, cast, headers):
    [organizer_token] = token_ids(app, cast.organizer)
    assert_error(
        client.delete(f"{API}/me/tokens/{organizer_token}", headers=headers["outsider"]),
        404,
        "not_found",
    )
    assert_error(  # not even a site admin, through this endpoint
        client.delete(f"{API}/me/tokens/{organizer_token}", headers=headers["admin"]), 404
    )
    assert works(client, headers["organizer"])
    ids = [
        i["id"]
        for i in client.get(f"{API}/me/tokens", headers=headers["outsider"]).get_json()["items"]
    ]
    assert organizer_token not in ids


def test_revoke_token_with_odd_ids(client, cast, headers):
    assert_error(client.delete(f"{API}/me/tokens/{2**31}", headers=headers["organizer"]), 404)
    assert client.delete(f"{API}/me/tokens/abc", headers=headers["organizer"]).status_code == 404
    assert_error(client.delete(f"{API}/me/tokens/1"), 401)


def test_bearer_use_marks_last_used_at_at_most_once_a_minute(app, client, db, cast, headers):
    [token_id] = token_ids(app, cast.organizer)

    def last_used() -> Any:
        with reading(app) as session:
            return session.get(ApiToken, token_id).last_used_at

    assert last_used() is None
    client.get(f"{API}/me", headers=headers["organizer"])
    first = last_used()
    assert first is not None
    client.get(f"{API}/me", headers=headers["organizer"])
    assert last_used() == first  # throttled
    long_ago = utcnow() - timedelta(minutes=5)
    db.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=long_ago))
    db.commit()
    client.post(  # a writing request records it with its own commit
        f"{API}/events/jatim-2026/passes", json={"count": 1}, headers=headers["organizer"]
    )
    assert last_used() > long_ago + timedelta(minutes=4)
    item = client.get(f"{API}/me/tokens", headers=headers["organizer"]).get_json()["items"][0]
    assert item["last_used_at"] is not None


# --- POST /me/password ---------------------------------------------------------------------


def test_change_password_ends_every_other_session_and_token(app, client, db, cast, headers):
    other_token = bearer(db, cast.organizer)
    browser = app.test_client()
    browser.post(
        "/auth/login",
        data={"email": "organizer@example.id", "password": PASSWORD, "remember": "y"},
    )
    assert browser.get(f"{API}/me").status_code == 200
    response = client.post(
        f"{API}/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers["organizer"],
    )
    assert response.status_code == 200
    assert response.get_json() == {"sessions_ended": 1, "tokens_revoked": 1}
    assert works(client, headers["organizer"])  # the token in use stays
    assert not works(client, other_token)
    assert browser.get(f"{API}/me").status_code == 401
    assert works(client, headers["outsider"])  # nobody else's
    with reading(app) as session:
        user = accounts.find_user(session, "organizer@example.id")
        assert accounts.verify_password(user, NEW_PASSWORD)
        assert session.scalars(select(UserSession)).all() == []


def test_change_password_by_browser_session_keeps_that_session(
    app, client, auth, db, cast, headers
):
    auth.login("organizer@example.id")
    response = client.post(
        f"{API}/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert response.get_json() == {"sessions_ended": 0, "tokens_revoked": 1}
    assert client.get(f"{API}/me").status_code == 200
    assert not works(client, headers["organizer"])


def test_change_password_with_a_wrong_current_password_is_403(app, client, db, cast, headers):
    spare = bearer(db, cast.organizer)
    error = assert_error(
        client.post(
            f"{API}/me/password",
            json={"current_password": "not-it", "new_password": NEW_PASSWORD},
            headers=headers["organizer"],
        ),
        403,
        "wrong_password",
    )
    assert set(error["fields"]) == {"current_password"}
    assert error["message"] == "Kata sandi saat ini tidak benar."  # Bahasa Indonesia first
    assert works(client, spare)
    with reading(app) as session:
        assert accounts.authenticate(session, "organizer@example.id", PASSWORD) is not None


def test_change_password_validation(client, cast, headers):
    organizer = headers["organizer"]
    error = assert_error(
        client.post(
            f"{API}/me/password",
            json={"current_password": PASSWORD, "new_password": "short"},
            headers=organizer,
        ),
        422,
        "validation_failed",
    )
    assert set(error["fields"]) == {"new_password"}
    error = assert_error(
        client.post(f"{API}/me/password", json={"new_password": NEW_PASSWORD}, headers=organizer),
        422,
    )
    assert "current_password" in error["fields"]
    error = assert_error(
        client.post(
            f"{API}/me/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "x": 1},
            headers=organizer,
        ),
        422,
    )
    assert "x" in error["fields"]
    assert_error(
        client.post(
            f"{API}/me/password", data="{", content_type="application/json", headers=organizer
        ),
        400,
    )
    assert_error(
        client.post(
            f"{API}/me/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        ),
        401,
    )
    assert works(client, organizer)


def test_wrong_current_passwords_are_rate_limited(app, client, cast, headers):
    app.config["SIGNIN_RATE_LIMIT"] = "3 per 15 minutes"
    body = {"current_password": "not-it", "new_password": NEW_PASSWORD}
    for _ in range(3):
        response = client.post(f"{API}/me/password", json=body, headers=headers["organizer"])
        assert response.status_code == 403
    response = client.post(f"{API}/me/password", json=body, headers=headers["organizer"])
    assert_error(response, 429)


def test_password_reset_link_ends_api_tokens(app, client, db, cast, headers):
    token = accounts.make_password_token(app.config["SECRET_KEY"], cast.organizer, "reset")
    db.commit()  # minting stores the link's nonce
    response = client.post(
        f"/auth/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not works(client, headers["organizer"])
    assert works(client, headers["outsider"])


def test_sign_out_everywhere_ends_api_tokens(client, auth, cast, headers):
    auth.login("organizer@example.id")
    assert client.post("/account/sign-out-everywhere").status_code == 302
    assert not works(client, headers["organizer"])
    assert client.get(f"{API}/me").status_code == 401


# --- the OpenAPI document --------------------------------------------------------------------

ACCOUNT_ENDPOINTS = [
    ("DELETE", "/api/v1/auth/token", "204"),
    ("GET", "/api/v1/me/tokens", "200"),
    ("DELETE", "/api/v1/me/tokens/{id}", "204"),
    ("POST", "/api/v1/me/password", "200"),
]


def test_openapi_describes_the_account_endpoints(client):
    document = client.get(f"{API}/openapi.json").get_json()
    paths, schemas = document["paths"], document["components"]["schemas"]
    for method, path, success in ACCOUNT_ENDPOINTS:
        operation = paths[path][method.lower()]
        assert operation["summary"] and operation["tags"] == ["Core"]
        assert success in operation["responses"], (method, path)
        assert "401" in operation["responses"]
    assert "404" in paths["/api/v1/me/tokens/{id}"]["delete"]["responses"]
    password = paths["/api/v1/me/password"]["post"]
    assert {"403", "422", "429"} <= set(password["responses"])
    assert "wrong_password" in password["description"]
    assert set(schemas["PasswordChange"]["properties"]) == {"current_password", "new_password"}
    assert set(schemas["TokenList"]["properties"]) == {"items", "total"}
    assert set(schemas["TokenInfo"]["properties"]) == {
        "id",
        "created_at",
        "expires_at",
        "last_used_at",
        "current",
    }

"""POST /api/v1/auth/token, bearer tokens and GET /api/v1/me."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from core.db import get_db, utcnow
from core.models import ApiToken, User
from core.services import accounts
from tests.conftest import PASSWORD
from tests.core.api.helpers import (
    API,
    add_member,
    add_organization,
    assert_error,
    reading,
    snapshot,
)


def _tokens(app) -> int:
    with reading(app) as session:
        return session.scalar(select(func.count()).select_from(ApiToken)) or 0


def test_token_is_issued_for_good_credentials(client, make, app):
    make.user("ani@example.id", "Ani")
    response = client.post(
        f"{API}/auth/token", json={"email": "ANI@example.id", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert expires_at.utcoffset() is not None
    assert expires_at - utcnow() > timedelta(hours=app.config["API_TOKEN_TTL_HOURS"] - 1)
    with reading(app) as session:
        stored = session.scalars(select(ApiToken.token_hash)).all()
    assert len(stored) == 1 and body["token"] not in stored  # kept hashed only


def test_bad_credentials_answer_401_and_store_nothing(client, make, app):
    make.user("ani@example.id", "Ani")
    before = snapshot(app)
    for payload in (
        {"email": "ani@example.id", "password": "wrong-password"},
        {"email": "nobody@example.id", "password": PASSWORD},
    ):
        response = client.post(f"{API}/auth/token", json=payload)
        assert_error(response, 401, "invalid_credentials")
    assert snapshot(app) == before


def test_token_request_validation(client, make):
    make.user("ani@example.id", "Ani")
    error = assert_error(client.post(f"{API}/auth/token", json={"email": "ani@example.id"}), 422)
    assert "password" in error["fields"]
    error = assert_error(
        client.post(f"{API}/auth/token", json={"email": "a@b.id", "password": "x", "extra": 1}),
        422,
    )
    assert "extra" in error["fields"]
    assert_error(client.post(f"{API}/auth/token", data="{", content_type="application/json"), 400)


def test_failed_attempts_are_rate_limited_but_successes_are_not(client, make, app):
    make.user("ani@example.id", "Ani")
    make.user("budi@example.id", "Budi")
    app.config["SIGNIN_RATE_LIMIT"] = "3 per 15 minutes"
    for _ in range(5):  # successes never count
        assert (
            client.post(
                f"{API}/auth/token", json={"email": "budi@example.id", "password": PASSWORD}
            ).status_code
            == 200
        )
    for _ in range(3):
        response = client.post(
            f"{API}/auth/token", json={"email": "ani@example.id", "password": "wrong-password"}
        )
        assert response.status_code == 401
    tokens = _tokens(app)
    assert_error(
        client.post(f"{API}/auth/token", json={"email": "ani@example.id", "password": PASSWORD}),
        429,
        "rate_limited",
    )
    assert _tokens(app) == tokens  # even the right password gets no token now
    # Other e-mails from the same address are unaffected.
    assert (
        client.post(
            f"{API}/auth/token", json={"email": "budi@example.id", "password": PASSWORD}
        ).status_code
        == 200
    )


def test_validation_errors_do_not_count_towards_the_limit(client, make, app):
    make.user("ani@example.id", "Ani")
    app.config["SIGNIN_RATE_LIMIT"] = "2 per 15 minutes"
    for _ in range(4):
        assert client.post(f"{API}/auth/token", json={"email": "ani@example.id"}).status_code == 422
    assert (
        client.post(
            f"{API}/auth/token", json={"email": "ani@example.id", "password": PASSWORD}
        ).status_code
        == 200
    )


def test_me_with_bearer_token(client, make, api_token, db):
    user = make.user("ani@example.id", "Ani")
    event = make.event("jatim-2026", organizer=user)
    organization = add_organization(db, "Dinas Kesehatan Kota Surabaya")
    add_member(db, user, organization)
    response = client.get(f"{API}/me", headers=api_token("ani@example.id"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == user.id
    assert body["email"] == "ani@example.id"
    assert body["name"] == "Ani"
    assert body["roles"] == [{"event": event.slug, "role": "organizer"}]
    assert body["organizations"] == [
        {
            "id": organization.id,
            "name": organization.name,
            "kind": "government",
            "region": "Surabaya",
        }
    ]


def test_me_with_browser_session(client, make, auth):
    make.user("ani@example.id", "Ani")
    auth.login("ani@example.id")
    response = client.get(f"{API}/me")
    assert response.status_code == 200
    assert response.get_json()["email"] == "ani@example.id"


def test_me_needs_credentials(client, make):
    response = client.get(f"{API}/me")
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    for header in ("Bearer", "Basic abc", "Bearer not-a-token", "Bearer " + "x" * 500):
        assert_error(client.get(f"{API}/me", headers={"Authorization": header}), 401)


def test_expired_token_is_refused(client, make, app, api_token):
    make.user("ani@example.id", "Ani")
    headers = api_token("ani@example.id")
    assert client.get(f"{API}/me", headers=headers).status_code == 200
    with get_db(app).transaction() as session:
        session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert_error(client.get(f"{API}/me", headers=headers), 401, "invalid_token")


def test_deactivated_user_token_is_refused(client, make, app, api_token):
    make.user("ani@example.id", "Ani")
    headers = api_token("ani@example.id")
    with get_db(app).transaction() as session:
        session.execute(update(User).values(is_active=False))
    assert_error(client.get(f"{API}/me", headers=headers), 401, "invalid_token")


def test_token_service_expiry(app, make, db):
    user = make.user("ani@example.id", "Ani")
    raw, expires_at = accounts.issue_api_token(db, user, ttl_hours=2)
    db.commit()
    assert accounts.user_for_api_token(db, raw).id == user.id
    assert accounts.user_for_api_token(db, raw + "x") is None
    expired, _ = accounts.issue_api_token(db, user, ttl_hours=0)
    db.commit()
    assert accounts.user_for_api_token(db, expired) is None
    assert expires_at > utcnow()
    db.rollback()

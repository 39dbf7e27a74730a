"""No enumeration, no spraying: failed sign-ins per account and per address, mail-sending
actions per target and per address (memory storage; Redis in tests/core/test_redis_limits.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.config import DEFAULTS, environment_overrides
from tests.conftest import PASSWORD
from tests.core.web.conftest import mails


def _login(client: Any, email: str, password: str = "wrong-password") -> int:
    return client.post("/auth/login", data={"email": email, "password": password}).status_code


def _token(client: Any, email: str, password: str = "wrong-password") -> int:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    return response.status_code


def test_spraying_25_emails_from_one_address_is_stopped_on_the_web(client: Any, make: Any) -> None:
    make.user("real@example.id", "Real")
    statuses = [_login(client, f"user{i}@example.id") for i in range(25)]
    assert statuses[:20] == [200] * 20  # SIGNIN_ADDRESS_RATE_LIMIT: 20 per 15 minutes
    assert set(statuses[20:]) == {429}
    # Even a real account's right password waits now, from this address only.
    assert _login(client, "real@example.id", PASSWORD) == 429
    elsewhere = client.application.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert _login(elsewhere, "real@example.id", PASSWORD) == 302


def test_spraying_25_emails_from_one_address_is_stopped_on_the_api(client: Any, make: Any) -> None:
    statuses = [_token(client, f"user{i}@example.id") for i in range(25)]
    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}
    response = client.post(
        "/api/v1/auth/token", json={"email": "x@example.id", "password": "wrong-password"}
    )
    assert response.get_json()["error"]["code"] == "rate_limited"


def test_one_account_from_many_addresses_is_limited(client: Any, make: Any) -> None:
    make.user()
    for i in range(10):  # SIGNIN_RATE_LIMIT: 10 per 15 minutes, whatever the address
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{i + 1}"
        assert _token(client, "user@example.id") == 401
    client.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    assert _token(client, "USER@example.id", PASSWORD) == 429
    assert _login(client, "user@example.id", PASSWORD) == 429  # web and API share it
    make.user("other@example.id", "Other")
    assert _token(client, "other@example.id", PASSWORD) == 200


def test_limits_come_from_config(app: Any, client: Any, make: Any) -> None:
    app.config["SIGNIN_ADDRESS_RATE_LIMIT"] = "2 per minute"
    assert [_token(client, f"u{i}@example.id") for i in range(3)] == [401, 401, 429]
    for key in (
        "SIGNIN_RATE_LIMIT",
        "SIGNIN_ADDRESS_RATE_LIMIT",
        "MAIL_TARGET_RATE_LIMIT",
        "MAIL_ADDRESS_RATE_LIMIT",
        "VISITOR_ADDRESS_RATE_LIMIT",
    ):
        assert DEFAULTS[key]
        assert environment_overrides({f"GELAR_{key}": "1 per day"}) == {key: "1 per day"}


def test_forgot_answers_identically_for_known_and_unknown(
    client: Any, make: Any, db: Session
) -> None:
    make.user("known@example.id", "Known")
    known = client.post("/auth/forgot", data={"email": "known@example.id"})
    unknown = client.post("/auth/forgot", data={"email": "unknown@example.id"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert known.get_data() == unknown.get_data()
    assert [m.recipient for m in mails(db)] == ["known@example.id"]


def test_forgot_is_limited_per_email_and_per_address(
    app: Any, client: Any, make: Any, db: Session
) -> None:
    app.config["MAIL_ADDRESS_RATE_LIMIT"] = "9 per hour"
    make.user("known@example.id", "Known")
    statuses = [
        client.post("/auth/forgot", data={"email": "Known@example.id"}).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]  # MAIL_TARGET_RATE_LIMIT: 3 per 15 minutes
    assert len(mails(db, "known@example.id")) == 3
    # Unknown addresses count the same way, so the limit tells nothing either.
    unknown = [
        client.post("/auth/forgot", data={"email": "nobody@example.id"}).status_code
        for _ in range(4)
    ]
    assert unknown == statuses
    # Eight requests from this address so far (refused ones count too).
    assert client.post("/auth/forgot", data={"email": "a@example.id"}).status_code == 302
    assert client.post("/auth/forgot", data={"email": "b@example.id"}).status_code == 429


def test_sign_up_is_limited_per_email_and_per_address(app: Any, client: Any) -> None:
    app.config["MAIL_ADDRESS_RATE_LIMIT"] = "5 per hour"
    form = {"name": "Ani", "password": PASSWORD, "confirm": PASSWORD}
    statuses = [
        client.post("/auth/signup", data={**form, "email": "ani@example.id"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    more = [
        client.post("/auth/signup", data={**form, "email": f"n{i}@example.id"}).status_code
        for i in range(2)
    ]
    assert more == [200, 429]


def test_resend_verification_is_limited(client: Any) -> None:
    statuses = [
        client.post("/auth/verify", data={"email": "ani@example.id"}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_the_429_page_is_translated(app: Any, client: Any) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    app.config["MAIL_TARGET_RATE_LIMIT"] = "1 per hour"
    client.post("/auth/forgot", data={"email": "ani@example.id"})
    blocked = client.post("/auth/forgot", data={"email": "ani@example.id"})
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.get_data(as_text=True)


def test_successful_sign_ins_do_not_count(client: Any, make: Any) -> None:
    make.user()
    for _ in range(25):
        assert _token(client, "user@example.id", PASSWORD) == 200
    assert _login(client, "user@example.id", PASSWORD) == 302


def test_limits_can_be_switched_off(app: Any, client: Any) -> None:
    app.config["RATELIMIT_ENABLED"] = False
    assert {_token(client, f"u{i}@example.id") for i in range(25)} == {401}

"""Issue 10, points 2, 3, 5: links belong to their owner, e-mail verification, no
enumeration, limits against spraying (service level and through HTTP, both databases)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.extensions import limit_key
from core.models import Membership, Organization, User
from core.services import accounts, mail, roles
from core.services.errors import ValidationFailed
from tests.conftest import PASSWORD, TEST_SECRET
from tests.core.web.conftest import link_path, mails, page_without, reload

SQUATTER_PASSWORD = "squatter-password-1"
OWNER_PASSWORD = "owner-password-123"


def _signed_in(client: Any) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def _sign_up(client: Any, email: str, password: str = PASSWORD, name: str = "Ani") -> Any:
    return client.post(
        "/auth/signup",
        data={"name": name, "email": email, "password": password, "confirm": password},
    )


def _set_password(client: Any, path: str, password: str) -> Any:
    return client.post(path, data={"password": password, "confirm": password})


# --- service level -------------------------------------------------------------------------


def test_created_users_are_verified_only_when_told(db: Session) -> None:
    admin_made = accounts.create_user(
        db, email="a@example.id", name="A", password=PASSWORD, verified=True
    )
    signed_up = accounts.create_user(
        db, email="b@example.id", name="B", password=PASSWORD, verified=False
    )
    invited, created = accounts.get_or_invite_user(db, "c@example.id")
    assert accounts.is_verified(admin_made) and admin_made.email_verified_at is not None
    assert not accounts.is_verified(signed_up) and signed_up.email_verified_at is None
    assert created and not accounts.is_verified(invited)
    assert not accounts.is_verified(None)


def test_sign_up_service_reports_what_it_found(db: Session) -> None:
    first = accounts.sign_up(db, email="Ani@Example.id", name="Ani", password=PASSWORD)
    assert first.outcome == "created" and not accounts.is_verified(first.user)
    again = accounts.sign_up(db, email="ani@example.id", name="Other", password="another-pass")
    assert again.outcome == "exists_unverified" and again.user is first.user
    assert accounts.verify_password(first.user, PASSWORD)  # a second sign-up changes nothing
    accounts.mark_verified(first.user)
    assert accounts.sign_up(db, email="ANI@example.id", name="X", password=PASSWORD).outcome == (
        "exists_verified"
    )
    first.user.is_active = False
    assert accounts.sign_up(db, email="ani@example.id", name="X", password=PASSWORD).outcome == (
        "inactive"
    )
    with pytest.raises(ValidationFailed):
        accounts.sign_up(db, email="not-an-email", name="X", password=PASSWORD)
    with pytest.raises(ValidationFailed):
        accounts.sign_up(db, email="new@example.id", name="X", password="short")
    assert db.scalar(select(func.count()).select_from(User)) == 1


def test_authenticate_refuses_unverified_accounts_only_with_the_right_password(
    db: Session,
) -> None:
    user = accounts.create_user(
        db, email="ani@example.id", name="Ani", password=PASSWORD, verified=False
    )
    with pytest.raises(accounts.EmailNotVerified) as caught:
        accounts.authenticate(db, "ani@example.id", PASSWORD)
    assert caught.value.user is user and user.last_login_at is None
    assert accounts.authenticate(db, "ani@example.id", "wrong-password") is None


@pytest.mark.parametrize("email", ["ani\x00@example.id", "\ud800@example.id", "", "x" * 400])
def test_unusable_emails_never_reach_the_database(db: Session, email: str) -> None:
    accounts.create_user(db, email="ani@example.id", name="Ani", password=PASSWORD, verified=True)
    assert accounts.authenticate(db, email, PASSWORD) is None
    assert accounts.clean_email_or_none(email) is None
    assert len(limit_key(email)) == 32  # any input makes a storage key


def test_links_die_when_superseded_used_or_expired(db: Session) -> None:
    user = accounts.create_user(
        db, email="ani@example.id", name="Ani", password=PASSWORD, verified=True
    )
    db.flush()
    first = accounts.make_password_token(TEST_SECRET, user, "invite")
    assert accounts.read_password_token(db, TEST_SECRET, first, 3600, "invite") is user
    assert accounts.read_password_token(db, TEST_SECRET, first, -1, "invite") is None  # expired
    assert accounts.read_password_token(db, TEST_SECRET, first, 3600, "reset") is None
    second = accounts.make_password_token(TEST_SECRET, user, "reset")
    assert accounts.read_password_token(db, TEST_SECRET, first, 3600, "invite") is None
    assert accounts.read_password_token(db, TEST_SECRET, second, 3600, "reset") is user
    accounts.set_password_from_link(user, "a-brand-new-password")
    assert accounts.read_password_token(db, TEST_SECRET, second, 3600, "reset") is None
    third = accounts.make_password_token(TEST_SECRET, user, "reset")
    user.is_active = False
    assert accounts.read_password_token(db, TEST_SECRET, third, 3600, "reset") is None
    with pytest.raises(ValueError):
        accounts.make_password_token(TEST_SECRET, user, "anything")


def test_setting_a_password_from_a_link_verifies(db: Session) -> None:
    user = accounts.create_user(
        db, email="ani@example.id", name="Ani", password=SQUATTER_PASSWORD, verified=False
    )
    accounts.set_password_from_link(user, OWNER_PASSWORD)
    assert accounts.is_verified(user)
    assert not accounts.verify_password(user, SQUATTER_PASSWORD)


def test_verification_needs_the_sign_up_password(db: Session) -> None:
    user = accounts.create_user(
        db, email="ani@example.id", name="Ani", password=PASSWORD, verified=False
    )
    db.flush()
    token = accounts.make_password_token(TEST_SECRET, user, "verify")
    assert not accounts.verify_with_password(user, "not-the-password")
    assert not accounts.is_verified(user)
    assert accounts.verify_with_password(user, PASSWORD)
    assert accounts.is_verified(user)
    assert accounts.read_password_token(db, TEST_SECRET, token, 3600, "verify") is None


def test_unverified_accounts_hold_no_roles_or_memberships(db: Session, make: Any) -> None:
    event = make.event("jatim-2026")
    user = accounts.create_user(
        db, email="ani@example.id", name="Ani", password=PASSWORD, verified=False
    )
    org = Organization(name="Dinas X", region="Surabaya")
    db.add(org)
    db.flush()
    db.add(Membership(user_id=user.id, organization_id=org.id))
    roles.appoint(db, event, email="ani@example.id", role="judge")
    roles.appoint(db, event, email="ani@example.id", role="organizer")
    db.flush()
    assert not roles.has_role(db, user, event, "judge")
    assert not roles.is_organizer(db, user, event)
    assert roles.user_organizations(db, user) == []
    assert roles.judge_conflict_organization_ids(db, event, user) == set()
    accounts.mark_verified(user)
    assert roles.has_role(db, user, event, "judge") and roles.is_organizer(db, user, event)
    assert [o.id for o in roles.user_organizations(db, user)] == [org.id]
    assert roles.judge_conflict_organization_ids(db, event, user) == {org.id}


def test_redaction_hides_every_link_and_token() -> None:
    body = (
        "Open https://gelar.test/auth/invitation/abc.def-ghi now\n"
        "or http://x.test/jatim/registration/r/TOKEN/ and www.gelar.test/pass/K7PD-3XQ9-MR\n"
        "token glr_abcDEF123-_x"
    )
    redacted = mail.redact(body, "[hidden]")
    assert "http" not in redacted and "www." not in redacted and "glr_" not in redacted
    assert "abc.def" not in redacted and "TOKEN" not in redacted and "K7PD" not in redacted
    assert redacted.count("[hidden]") == 4
    assert mail.redact(None, "[hidden]") == ""


# --- sign-up -------------------------------------------------------------------------------


def test_sign_up_answers_identically_for_known_and_unknown(
    client: Any, make: Any, db: Session
) -> None:
    make.user("verified@example.id", "Vera")
    accounts.create_user(
        db, email="waiting@example.id", name="Wati", password=PASSWORD, verified=False
    )
    db.commit()
    pages = []
    for email in ("verified@example.id", "waiting@example.id", "new@example.id"):
        response = _sign_up(client, email)
        assert response.status_code == 200
        pages.append(page_without(response, email))
    assert pages[0] == pages[1] == pages[2]
    assert not _signed_in(client)
    # ... and each address was told by mail what happened.
    [to_verified] = mails(db, "verified@example.id")
    assert "you already have one" in to_verified.body_text
    assert link_path(to_verified.body_text) == "/auth/login"
    assert "/auth/reset/" in to_verified.body_text
    [to_waiting] = mails(db, "waiting@example.id")
    assert "perhaps somebody else typed your address" in to_waiting.body_text
    assert link_path(to_waiting.body_text).startswith("/auth/reset/")
    [to_new] = mails(db, "new@example.id")
    assert link_path(to_new.body_text).startswith("/auth/verify/")


def test_verification_link_asks_for_the_sign_up_password(
    app: Any, client: Any, db: Session
) -> None:
    _sign_up(client, "ani@example.id")
    path = link_path(mails(db, "ani@example.id")[0].body_text)
    scanner = app.test_client()
    page = scanner.get(path)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and 'type="password"' in page.get_data(as_text=True)
    assert not accounts.is_verified(accounts.find_user(db, "ani@example.id"))
    db.commit()
    wrong = client.post(path, data={"password": "not-the-password"})
    assert wrong.status_code == 422
    assert "not the password chosen when signing up" in wrong.get_data(as_text=True)
    assert not _signed_in(client)
    right = client.post(path, data={"password": PASSWORD})
    assert right.status_code == 302 and _signed_in(client)
    user = accounts.find_user(db, "ani@example.id")
    assert accounts.is_verified(user)
    db.commit()
    assert app.test_client().post(path, data={"password": PASSWORD}).status_code == 400  # used


def test_verification_link_expires(app: Any, client: Any, db: Session) -> None:
    _sign_up(client, "ani@example.id")
    path = link_path(mails(db, "ani@example.id")[0].body_text)
    app.config["EMAIL_VERIFICATION_MAX_AGE"] = -1
    assert client.post(path, data={"password": PASSWORD}).status_code == 400
    assert client.get("/auth/verify/not-a-token").status_code == 400


def test_wrong_passwords_on_the_verification_page_are_rate_limited(
    app: Any, client: Any, db: Session
) -> None:
    app.config["SIGNIN_RATE_LIMIT"] = "2 per 15 minutes"
    _sign_up(client, "ani@example.id")
    path = link_path(mails(db, "ani@example.id")[0].body_text)
    for _ in range(2):
        assert client.post(path, data={"password": "guess-guess"}).status_code == 422
    assert client.post(path, data={"password": PASSWORD}).status_code == 429
    assert not accounts.is_verified(accounts.find_user(db, "ani@example.id"))


def test_unverified_account_cannot_sign_in_and_gets_a_new_link(
    app: Any, client: Any, auth: Any, db: Session
) -> None:
    app.config["MAIL_TARGET_RATE_LIMIT"] = "2 per 15 minutes"
    _sign_up(client, "ani@example.id")
    wrong = auth.login("ani@example.id", "wrong-password")
    assert "Wrong e-mail or password." in wrong.get_data(as_text=True)
    assert "Confirm your e-mail" not in wrong.get_data(as_text=True)
    assert len(mails(db, "ani@example.id")) == 1  # a wrong password sends nothing
    right = auth.login("ani@example.id", PASSWORD)
    assert right.status_code == 200 and not _signed_in(client)
    assert "Confirm your e-mail first: we sent a new link" in right.get_data(as_text=True)
    sent = mails(db, "ani@example.id")
    assert len(sent) == 2 and link_path(sent[1].body_text).startswith("/auth/verify/")
    # The first link was superseded by the second.
    assert client.post(link_path(sent[0].body_text), data={"password": PASSWORD}).status_code == 400
    auth.login("ani@example.id", PASSWORD)
    again = auth.login("ani@example.id", PASSWORD)
    assert "we sent a link to ani@example.id recently" in again.get_data(as_text=True)
    assert len(mails(db, "ani@example.id")) == 3  # no more than the budget allows


def test_resend_verification_answers_alike_and_mails_only_unverified(
    client: Any, make: Any, db: Session
) -> None:
    make.user("verified@example.id", "Vera")
    accounts.create_user(
        db, email="waiting@example.id", name="Wati", password=PASSWORD, verified=False
    )
    db.commit()
    pages = []
    for email in ("verified@example.id", "waiting@example.id", "nobody@example.id"):
        response = client.post("/auth/verify", data={"email": email})
        assert response.status_code == 200
        pages.append(page_without(response, email))
    assert pages[0] == pages[1] == pages[2]
    assert [m.recipient for m in mails(db)] == ["waiting@example.id"]


# --- the squatter --------------------------------------------------------------------------


def test_the_owner_takes_back_an_address_somebody_else_signed_up_with(
    app: Any, client: Any, auth: Any, db: Session
) -> None:
    squatter = app.test_client()
    _sign_up(squatter, "owner@example.id", SQUATTER_PASSWORD, name="Squatter")
    assert "Confirm your e-mail" in squatter.post(
        "/auth/login", data={"email": "owner@example.id", "password": SQUATTER_PASSWORD}
    ).get_data(as_text=True)
    # The owner signs up too: the same page, and a mail with a link to choose a password.
    _sign_up(client, "owner@example.id", OWNER_PASSWORD, name="Owner")
    link = link_path(mails(db, "owner@example.id")[-1].body_text)
    assert link.startswith("/auth/reset/")
    assert _set_password(client, link, OWNER_PASSWORD).status_code == 302
    assert _signed_in(client)
    user = accounts.find_user(db, "owner@example.id")
    assert accounts.is_verified(user)
    db.commit()
    fresh = app.test_client()
    refused = fresh.post(
        "/auth/login", data={"email": "owner@example.id", "password": SQUATTER_PASSWORD}
    )
    assert "Wrong e-mail or password." in refused.get_data(as_text=True)
    assert auth.logout().status_code == 302
    assert auth.login("owner@example.id", OWNER_PASSWORD).status_code == 302


def test_forgot_password_also_verifies(client: Any, db: Session) -> None:
    accounts.create_user(
        db, email="owner@example.id", name="X", password=SQUATTER_PASSWORD, verified=False
    )
    db.commit()
    client.post("/auth/forgot", data={"email": "owner@example.id"})
    path = link_path(mails(db, "owner@example.id")[0].body_text)
    assert _set_password(client, path, OWNER_PASSWORD).status_code == 302
    assert accounts.is_verified(accounts.find_user(db, "owner@example.id"))


# --- the API -------------------------------------------------------------------------------


def test_api_token_refuses_an_unverified_account(client: Any, db: Session) -> None:
    accounts.create_user(db, email="ani@example.id", name="Ani", password=PASSWORD, verified=False)
    db.commit()
    wrong = client.post("/api/v1/auth/token", json={"email": "ani@example.id", "password": "x"})
    assert wrong.status_code == 401
    assert wrong.get_json()["error"]["code"] == "invalid_credentials"
    assert mails(db) == []
    right = client.post(
        "/api/v1/auth/token", json={"email": "ani@example.id", "password": PASSWORD}
    )
    assert right.status_code == 401
    assert right.get_json()["error"]["code"] == "email_unverified"
    assert "token" not in right.get_json()
    [sent] = mails(db, "ani@example.id")
    assert link_path(sent.body_text).startswith("/auth/verify/")


def test_bearer_token_of_an_account_that_lost_verification_stops_working(
    client: Any, make: Any, api_token: Any, db: Session
) -> None:
    user = make.user()
    headers = api_token("user@example.id")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    reload(db, User, user.id).email_verified_at = None
    db.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize(
    "email", ["ani\u0000@example.id", "\ud800ani@example.id", "ani@exa\udfffmple.id"]
)
def test_odd_emails_on_the_token_endpoint_never_break_the_limiter(
    client: Any, make: Any, email: str
) -> None:
    make.user("ani@example.id", "Ani")
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code in (401, 422)
    assert response.get_json()["error"]["code"] in ("invalid_credentials", "validation_failed")

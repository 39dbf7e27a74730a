"""Accounts: sign up, sign in/out, password reset by signed link, rate limits, locale."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import User
from core.services import accounts
from core.services.errors import Conflict, ValidationFailed
from tests.conftest import PASSWORD, TEST_SECRET
from tests.core.web.conftest import link_path, mails, page_without, reload

# --- service level -------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id(db: Session) -> None:
    user = accounts.create_user(
        db, email="Ani@Example.ID", name="Ani", password=PASSWORD, verified=True
    )
    assert user.email == "ani@example.id"
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert accounts.verify_password(user, PASSWORD)
    assert not accounts.verify_password(user, PASSWORD + "x")


def test_duplicate_email_is_a_conflict_whatever_its_case(db: Session) -> None:
    accounts.create_user(db, email="ani@example.id", name="Ani", password=PASSWORD, verified=True)
    db.commit()
    with pytest.raises(Conflict) as caught:
        accounts.create_user(
            db, email="ANI@example.id", name="Other", password=PASSWORD, verified=True
        )
    assert "email" in caught.value.fields
    assert db.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("email", "name", "password", "field"),
    [
        ("not-an-email", "Ani", PASSWORD, "email"),
        ("ani@example.id", "  ", PASSWORD, "name"),
        ("ani@example.id", "Ani", "short", "password"),
    ],
)
def test_invalid_accounts_are_refused(
    db: Session, email: str, name: str, password: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        accounts.create_user(db, email=email, name=name, password=password, verified=True)
    assert field in caught.value.fields


def test_authenticate_checks_password_and_active_flag(db: Session) -> None:
    user = accounts.create_user(
        db, email="ani@example.id", name="Ani", password=PASSWORD, verified=True
    )
    assert accounts.authenticate(db, "ANI@example.id", PASSWORD) is user
    assert user.last_login_at is not None
    assert accounts.authenticate(db, "ani@example.id", "wrong-password") is None
    assert accounts.authenticate(db, "nobody@example.id", PASSWORD) is None
    user.is_active = False
    assert accounts.authenticate(db, "ani@example.id", PASSWORD) is None


def test_invited_user_without_password_cannot_sign_in(db: Session) -> None:
    user, created = accounts.get_or_invite_user(db, "new@example.id", "New Person")
    assert created and user.password_hash is None
    assert accounts.authenticate(db, "new@example.id", "") is None
    again, created_again = accounts.get_or_invite_user(db, "NEW@example.id")
    assert again is user and not created_again


def test_password_token_works_once_and_only_for_its_purpose(db: Session) -> None:
    user = accounts.create_user(
        db, email="ani@example.id", name="Ani", password=PASSWORD, verified=True
    )
    db.flush()
    token = accounts.make_password_token(TEST_SECRET, user, "reset")
    assert accounts.read_password_token(db, TEST_SECRET, token, 3600, "reset") is user
    assert accounts.read_password_token(db, TEST_SECRET, token, 3600, "invite") is None
    assert accounts.read_password_token(db, "another-secret-key", token, 3600, "reset") is None
    assert accounts.read_password_token(db, TEST_SECRET, token + "x", 3600, "reset") is None
    assert accounts.read_password_token(db, TEST_SECRET, token, -1, "reset") is None  # expired
    accounts.set_password(user, "a-brand-new-password")
    assert accounts.read_password_token(db, TEST_SECRET, token, 3600, "reset") is None


# --- HTTP ----------------------------------------------------------------------------------


def _signed_in(client: Any) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def test_sign_up_creates_an_unverified_account_and_does_not_sign_in(
    client: Any, db: Session
) -> None:
    response = client.post(
        "/auth/signup",
        data={"name": "Ani", "email": "ani@example.id", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    assert not _signed_in(client)
    user = accounts.find_user(db, "ani@example.id")
    assert user is not None and user.password_hash.startswith("$argon2id$")
    assert user.email_verified_at is None and not accounts.is_verified(user)
    [message] = mails(db, "ani@example.id")
    assert link_path(message.body_text).startswith("/auth/verify/")


def test_sign_up_with_a_known_email_answers_like_a_new_one(
    client: Any, make: Any, db: Session
) -> None:
    make.user("ani@example.id", "Ani")
    form = {"name": "Imposter", "password": PASSWORD, "confirm": PASSWORD}
    known = client.post("/auth/signup", data={**form, "email": "ANI@example.id"})
    new = client.post("/auth/signup", data={**form, "email": "budi@example.id"})
    assert known.status_code == new.status_code == 200
    assert page_without(known, "ani@example.id") == page_without(new, "budi@example.id")
    assert "An account with this e-mail exists." not in known.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(User)) == 2  # ani and budi
    assert accounts.find_user(db, "ani@example.id").name == "Ani"  # untouched
    assert not _signed_in(client)


def test_sign_up_with_mismatched_passwords_is_refused(client: Any, db: Session) -> None:
    response = client.post(
        "/auth/signup",
        data={
            "name": "Ani",
            "email": "ani@example.id",
            "password": PASSWORD,
            "confirm": "other-password",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Passwords do not match." in page
    assert 'value="ani@example.id"' in page  # what was typed is kept
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_sign_in_and_sign_out(client: Any, auth: Any, make: Any) -> None:
    make.user()
    assert auth.login().status_code == 302
    assert _signed_in(client)
    assert client.get("/auth/logout").status_code == 405  # a link cannot sign anyone out
    assert _signed_in(client)
    assert auth.logout().status_code == 302
    assert not _signed_in(client)


def test_wrong_password_shows_an_error(client: Any, auth: Any, make: Any) -> None:
    make.user()
    response = auth.login(password="wrong-password")
    assert response.status_code == 200
    assert "Wrong e-mail or password." in response.get_data(as_text=True)
    assert not _signed_in(client)


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:alert(1)"],
)
def test_sign_in_never_redirects_off_site(client: Any, make: Any, target: str) -> None:
    make.user()
    response = client.post(
        "/auth/login", data={"email": "user@example.id", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/me", "http://gelar.test/me")  # Beranda saya


def test_sign_in_follows_a_local_next(client: Any, make: Any) -> None:
    make.user()
    response = client.post(
        "/auth/login", data={"email": "user@example.id", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.headers["Location"].endswith("/admin/")


def test_failed_sign_ins_are_rate_limited_and_successes_do_not_count(
    client: Any, auth: Any, make: Any
) -> None:
    make.user()
    for _ in range(9):
        assert auth.login(password="wrong-password").status_code == 200
    for _ in range(3):
        assert auth.login().status_code == 302
        auth.logout()
    assert auth.login(password="wrong-password").status_code == 200  # the 10th failure
    blocked = auth.login(password="wrong-password")
    assert blocked.status_code == 429
    assert auth.login().status_code == 429  # even the right password waits now
    assert not _signed_in(client)
    # Another e-mail from the same address has its own budget.
    make.user("other@example.id", "Other")
    assert auth.login("other@example.id").status_code == 302


def test_password_reset_by_mailed_link_works_once(
    client: Any, auth: Any, make: Any, db: Session
) -> None:
    make.user()
    response = client.post("/auth/forgot", data={"email": "user@example.id"})
    assert response.status_code == 302
    [message] = mails(db, "user@example.id")
    assert message.status == "logged"  # no SMTP server in tests
    path = link_path(message.body_text)
    assert path.startswith("/auth/reset/")
    assert client.get(path).status_code == 200
    new_password = "a-brand-new-password"
    response = client.post(path, data={"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert _signed_in(client)
    auth.logout()
    assert auth.login(password=PASSWORD).status_code == 200  # the old one is gone
    assert auth.login(password=new_password).status_code == 302
    auth.logout()
    used = client.post(
        path, data={"password": "yet-another-password", "confirm": "yet-another-password"}
    )
    assert used.status_code == 400
    assert "no longer valid" in used.get_data(as_text=True)
    assert auth.login(password=new_password).status_code == 302


def test_password_reset_link_expires(client: Any, app: Any, make: Any, db: Session) -> None:
    make.user()
    client.post("/auth/forgot", data={"email": "user@example.id"})
    path = link_path(mails(db)[0].body_text)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.post(
        path, data={"password": "a-brand-new-password", "confirm": "a-brand-new-password"}
    )
    assert response.status_code == 400
    assert not _signed_in(client)


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(
    client: Any, db: Session
) -> None:
    response = client.post(
        "/auth/forgot", data={"email": "nobody@example.id"}, follow_redirects=True
    )
    assert "If an account uses that e-mail" in response.get_data(as_text=True)
    assert mails(db) == []


def test_reset_link_with_a_bad_token_is_refused(client: Any) -> None:
    assert client.get("/auth/reset/not-a-token").status_code == 400
    assert client.get("/auth/invitation/not-a-token").status_code == 400


def test_chosen_language_is_kept_on_the_account(
    app: Any, client: Any, auth: Any, make: Any, db: Session
) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    user = make.user()
    auth.login()
    assert 'lang="id"' in client.get("/").get_data(as_text=True)
    client.post("/lang/en", data={"next": "/"})
    assert reload(db, User, user.id).locale == "en"
    auth.logout()
    fresh = client.application.test_client()
    fresh.post("/auth/login", data={"email": "user@example.id", "password": PASSWORD})
    assert 'lang="en"' in fresh.get("/").get_data(as_text=True)


def test_sign_up_keeps_the_language_chosen_before(client: Any, db: Session) -> None:
    client.post("/lang/id", data={"next": "/"})
    client.post(
        "/auth/signup",
        data={"name": "Ani", "email": "ani@example.id", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert accounts.find_user(db, "ani@example.id").locale == "id"


def test_unknown_language_is_404(client: Any) -> None:
    assert client.post("/lang/xx").status_code == 404

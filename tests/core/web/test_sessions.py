"""Server-side sessions: sign-out ends copied cookies; password changes and resets end the rest.

Also the account page (``/account/``): profile, password, sessions, tokens, sign out
everywhere.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import ApiToken, User, UserSession
from core.services import accounts
from core.services import sessions as session_service
from tests.conftest import PASSWORD
from tests.core.web.conftest import link_path, mails, reload

DOMAIN = "gelar.test"
NEW_PASSWORD = "a-brand-new-password"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/131.0 Mobile Safari/537.36"
)


def signed_in(client: FlaskClient) -> bool:
    """Whether the client's cookies sign it in (the account page opens)."""
    return client.get("/account/").status_code == 200


def cookie(client: FlaskClient, name: str) -> str:
    """The value of one of the client's cookies (it must be there)."""
    found = client.get_cookie(name, domain=DOMAIN)
    assert found is not None, name
    return found.value


def copy_of(app: Flask, client: FlaskClient, *names: str) -> FlaskClient:
    """A second browser holding copies of ``client``'s cookies ``names`` only."""
    other = app.test_client()
    for name in names:
        other.set_cookie(name, cookie(client, name), domain=DOMAIN)
    return other


def sign_in(client: FlaskClient, email: str = "user@example.id", **extra: Any) -> None:
    """Sign in through the real form (optionally ``remember="y"``)."""
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)


def session_rows(db: Session, user: User | None = None) -> list[UserSession]:
    """Session rows (of one user or all), fresh from the database."""
    db.expire_all()
    query = select(UserSession).order_by(UserSession.id)
    if user is not None:
        query = query.where(UserSession.user_id == user.id)
    rows = list(db.scalars(query))
    db.commit()
    return rows


def token_count(db: Session, user: User) -> int:
    """How many API tokens ``user`` has."""
    db.expire_all()
    count = db.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id))
    db.commit()
    return int(count or 0)


def bearer(db: Session, user: User) -> dict[str, str]:
    """Headers with a fresh API token of ``user``."""
    raw, _expires = accounts.issue_api_token(db, user, ttl_hours=1)
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


# --- service level --------------------------------------------------------------------------


def test_sessions_store_only_a_digest_and_resolve_their_key(db: Session, make: Any) -> None:
    user = make.user()
    row, raw_key = session_service.start_session(db, user, user_agent="x" * 1000, ip="10.0.0.1")
    db.commit()
    assert row.key_hash == session_service.key_digest(raw_key) != raw_key
    assert len(row.user_agent) == session_service.USER_AGENT_LENGTH
    assert user.get_id() == f"{user.id}:{raw_key}"
    week, year = timedelta(days=7), timedelta(days=365)
    found = session_service.find_live_session(
        db, f"{user.id}:{raw_key}", idle=week, remembered=year
    )
    assert found is not None and found[0].id == row.id and found[1].id == user.id
    for bad in (
        str(user.id),  # a cookie from before server-side sessions
        f"{user.id}:wrong-key",
        f"{user.id + 1}:{raw_key}",  # someone else's id with this key
        f"x:{raw_key}",
        "",
        f"{2**40}:{raw_key}",
    ):
        assert session_service.find_live_session(db, bad, idle=week, remembered=year) is None


def test_idle_sessions_expire_and_remembered_ones_last_longer(db: Session, make: Any) -> None:
    user = make.user()
    plain, plain_key = session_service.start_session(db, user)
    kept, kept_key = session_service.start_session(db, user, remember=True)
    db.flush()
    old = utcnow() - timedelta(days=10)
    plain.last_seen_at = kept.last_seen_at = old
    db.commit()
    week, year = timedelta(days=7), timedelta(days=365)
    assert (
        session_service.find_live_session(db, f"{user.id}:{plain_key}", idle=week, remembered=year)
        is None
    )
    assert session_service.find_live_session(
        db, f"{user.id}:{kept_key}", idle=week, remembered=year
    )
    assert [s.id for s in session_service.list_sessions(db, user, idle=week, remembered=year)] == [
        kept.id
    ]
    assert session_service.purge_expired(db, user, idle=week, remembered=year) == 1
    db.commit()
    assert [s.id for s in session_rows(db, user)] == [kept.id]


def test_privacy_purge_deletes_everyones_expired_sessions(
    db: Session, make: Any, runner: Any
) -> None:
    first, second = make.user(), make.user("other@example.id", "Other")
    stale, _k = session_service.start_session(db, first)
    fresh, _k = session_service.start_session(db, first)
    also_stale, _k = session_service.start_session(db, second)
    db.flush()
    stale.last_seen_at = also_stale.last_seen_at = utcnow() - timedelta(days=400)
    db.commit()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0 and "session" not in dry.output
    assert len(session_rows(db, first)) == 2
    db.commit()
    done = runner.invoke(args=["privacy", "purge"])
    assert done.exit_code == 0, done.output
    assert "Deleted 2 expired sign-in session(s)." in done.output
    db.expire_all()
    assert [s.id for s in session_rows(db, first)] == [fresh.id]
    assert session_rows(db, second) == []


def test_end_other_sessions_keeps_only_what_it_is_told(db: Session, make: Any) -> None:
    user = make.user()
    other = make.user("other@example.id", "Other")
    mine, _k = session_service.start_session(db, user)
    session_service.start_session(db, user, remember=True)
    theirs, _k = session_service.start_session(db, other)
    accounts.issue_api_token(db, user, ttl_hours=1)
    accounts.issue_api_token(db, other, ttl_hours=1)
    db.commit()
    assert accounts.end_other_sessions(db, user, keep=mine.id) == (1, 1)
    db.commit()
    assert [s.id for s in session_rows(db, user)] == [mine.id]
    assert token_count(db, user) == 0
    assert [s.id for s in session_rows(db, other)] == [theirs.id]  # nobody else's
    assert token_count(db, other) == 1
    assert accounts.end_other_sessions(db, user) == (1, 0)
    db.commit()
    assert session_rows(db, user) == []


def test_change_password_checks_the_current_one(db: Session, make: Any) -> None:
    from core.services.errors import Forbidden, ValidationFailed

    user = make.user()
    keep, _k = session_service.start_session(db, user)
    session_service.start_session(db, user)
    db.commit()
    with pytest.raises(Forbidden) as wrong:
        accounts.change_password(db, user, "not-my-password", NEW_PASSWORD)
    assert "current_password" in wrong.value.fields
    with pytest.raises(ValidationFailed) as weak:
        accounts.change_password(db, user, PASSWORD, "short")
    assert "new_password" in weak.value.fields
    db.rollback()
    assert len(session_rows(db, user)) == 2  # refused changes end nothing
    assert accounts.change_password(db, user, PASSWORD, NEW_PASSWORD, keep=keep.id) == (1, 0)
    db.commit()
    assert accounts.authenticate(db, user.email, NEW_PASSWORD) is not None
    assert [s.id for s in session_rows(db, user)] == [keep.id]


# --- over HTTP: sign-in and sign-out --------------------------------------------------------


def test_sign_in_creates_a_session_row_with_the_device(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user()
    client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"User-Agent": CHROME_ANDROID},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    [row] = session_rows(db, user)
    assert row.user_agent == CHROME_ANDROID and row.ip == "203.0.113.9" and not row.remember
    raw_cookie = cookie(client, "session")
    assert row.key_hash not in raw_cookie


def test_copied_session_cookie_stops_working_after_sign_out(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    make.user()
    sign_in(client)
    thief = copy_of(app, client, "session")
    assert signed_in(thief)  # the copy works while the session lives
    assert client.post("/auth/logout").status_code == 302
    assert session_rows(db) == []
    assert not signed_in(client)
    assert not signed_in(thief)
    assert thief.get("/api/v1/me").status_code == 401


def test_copied_remember_me_cookie_stops_working_after_sign_out(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    make.user()
    sign_in(client, remember="y")
    assert session_rows(db)[0].remember
    # A browser with only the remember-me cookie (its session cookie gone) is signed in ...
    thief = copy_of(app, client, "remember_token")
    assert signed_in(thief)
    client.post("/auth/logout")
    # ... until the owner signs out: the remembered session is gone from the server.
    fresh_thief = copy_of(app, thief, "remember_token")
    assert not signed_in(fresh_thief)
    assert not signed_in(thief)


def test_cookies_from_before_server_side_sessions_are_signed_out(
    app: Flask, client: FlaskClient, make: Any
) -> None:
    user = make.user()
    with client.session_transaction() as browser:
        browser["_user_id"] = str(user.id)  # what Flask-Login stored until now
        browser["_fresh"] = True
    assert not signed_in(client)


def test_each_sign_in_is_its_own_session(app: Flask, make: Any, db: Session) -> None:
    make.user()
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone)
    sign_in(laptop)
    assert len(session_rows(db)) == 2
    phone.post("/auth/logout")
    assert not signed_in(phone)
    assert signed_in(laptop)  # signing out on one device leaves the other


def test_signing_in_again_replaces_the_browsers_session(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    first = make.user()
    second = make.user("second@example.id", "Second")
    sign_in(client)
    copy = copy_of(app, client, "session")
    sign_in(client, "second@example.id")
    assert session_rows(db, first) == []  # the first person's session ended with it
    assert [s.user_id for s in session_rows(db)] == [second.id]
    assert not signed_in(copy)
    assert signed_in(client)


def test_last_seen_is_updated_at_most_once_a_minute(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    make.user()
    sign_in(client)
    [row] = session_rows(db)
    first = row.last_seen_at
    client.get("/account/")
    assert session_rows(db)[0].last_seen_at == first  # just seen: not written again
    long_ago = utcnow() - timedelta(minutes=5)
    db.execute(update(UserSession).values(last_seen_at=long_ago))
    db.commit()
    client.get("/account/")  # a GET writes it with its own statement
    assert session_rows(db)[0].last_seen_at > long_ago + timedelta(minutes=4)
    db.execute(update(UserSession).values(last_seen_at=long_ago))
    db.commit()
    client.post("/account/profile", data={"profile-name": "Renamed", "profile-locale": "en"})
    assert session_rows(db)[0].last_seen_at > long_ago + timedelta(minutes=4)


def test_idle_session_is_refused(app: Flask, client: FlaskClient, make: Any, db: Session) -> None:
    make.user()
    sign_in(client)
    app.config["SESSION_IDLE_HOURS"] = 1
    db.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=2)))
    db.commit()
    assert not signed_in(client)


def test_deactivated_user_is_signed_out(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user()
    sign_in(client)
    db.execute(update(User).where(User.id == user.id).values(is_active=False))
    db.commit()
    assert not signed_in(client)


# --- password change and reset end everything else -----------------------------------------


def test_password_change_ends_other_sessions_remember_cookies_and_tokens(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user()
    other = make.user("other@example.id", "Other")
    sign_in(client)
    laptop = app.test_client()
    sign_in(laptop, remember="y")
    remembered = copy_of(app, laptop, "remember_token")
    headers = bearer(db, user)
    others_headers = bearer(db, other)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    response = client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert signed_in(client)  # the session that changed it stays
    assert not signed_in(laptop)
    assert not signed_in(remembered)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=others_headers).status_code == 200
    db.expire_all()
    assert accounts.authenticate(db, user.email, NEW_PASSWORD) is not None
    db.commit()


def test_wrong_current_password_changes_nothing(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user()
    sign_in(client)
    laptop = app.test_client()
    sign_in(laptop)
    headers = bearer(db, user)
    response = client.post(
        "/account/password",
        data={
            "password-current_password": "not-my-password",
            "password-new_password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 403
    assert "The current password is not correct." in response.get_data(as_text=True)
    short = client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": "short",
            "password-confirm": "short",
        },
    )
    assert short.status_code == 422
    assert signed_in(laptop)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.expire_all()
    assert accounts.authenticate(db, user.email, PASSWORD) is not None
    db.commit()


def test_password_reset_ends_every_session_and_token_and_signs_in_afresh(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user()
    laptop = app.test_client()
    sign_in(laptop, remember="y")
    remembered = copy_of(app, laptop, "remember_token")
    headers = bearer(db, user)
    client.post("/auth/forgot", data={"email": user.email})
    [message] = mails(db, user.email)
    path = link_path(message.body_text)
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(laptop)
    assert not signed_in(remembered)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    [row] = session_rows(db, user)  # only the fresh one of the reset
    assert token_count(db, user) == 0
    assert row.id not in {s.id for s in session_rows(db) if s.user_id != user.id}


def test_invitation_link_signs_in_with_a_session(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user("invited@example.id", "Invited", password=None)
    token = accounts.make_password_token(app.config["SECRET_KEY"], user, "invite")
    db.commit()  # minting stores the link's nonce
    response = client.post(
        f"/auth/invitation/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in(client)
    assert len(session_rows(db, user)) == 1


def test_sign_up_signs_in_with_a_session_once_the_email_is_confirmed(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    response = client.post(
        "/auth/signup",
        data={
            "name": "Siti",
            "email": "siti@example.id",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 200  # "check your mail": nobody is signed in yet
    assert not signed_in(client)
    assert session_rows(db) == []
    user = accounts.find_user(db, "siti@example.id")
    assert user is not None
    token = accounts.make_password_token(app.config["SECRET_KEY"], user, "verify")
    db.commit()
    response = client.post(f"/auth/verify/{token}", data={"password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)
    assert len(session_rows(db)) == 1


# --- the account page -------------------------------------------------------------------------


def test_account_page_needs_sign_in(client: FlaskClient) -> None:
    response = client.get("/account/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    for path in ("/account/profile", "/account/password", "/account/sign-out-everywhere"):
        assert "/auth/login" in client.post(path).headers["Location"]


def test_header_links_the_account_page(client: FlaskClient, make: Any) -> None:
    make.user(name="Siti Rahma")
    sign_in(client)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/account/"' in html and "Siti Rahma" in html
    account = client.get("/account/").get_data(as_text=True)
    assert 'href="/account/organizations/"' in account  # the person's agencies


def test_account_page_lists_sessions_and_tokens_without_secrets(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user()
    other = make.user("other@example.id", "Other")
    laptop = app.test_client()
    laptop.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"User-Agent": CHROME_ANDROID},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    sign_in(client)
    raw, _expires = accounts.issue_api_token(db, user, ttl_hours=1)
    others_raw, _expires = accounts.issue_api_token(db, other, ttl_hours=1)
    db.commit()
    html = client.get("/account/").get_data(as_text=True)
    assert "Chrome on Android" in html and "198.51.100.7" in html
    assert html.count("data-session=") == 2
    assert html.count("this device") == 1
    assert html.count("data-token=") == 1
    assert "WIB" in html or "UTC+7" in html  # times in the default zone
    for secret in (raw, others_raw, cookie(client, "session")):
        assert secret not in html
    for row in session_rows(db):
        assert row.key_hash not in html
    db.expire_all()
    for token in db.scalars(select(ApiToken)):
        assert token.token_hash not in html
    db.commit()


def test_profile_changes_name_and_language(client: FlaskClient, make: Any, db: Session) -> None:
    user = make.user()
    sign_in(client)
    response = client.post(
        "/account/profile", data={"profile-name": "  Siti  ", "profile-locale": "id"}
    )
    assert response.status_code == 302
    saved = reload(db, User, user.id)
    assert (saved.name, saved.locale) == ("Siti", "id")
    assert "Akun saya" in client.get("/account/").get_data(as_text=True)
    bad = client.post("/account/profile", data={"profile-name": "", "profile-locale": "fr"})
    assert bad.status_code == 422
    assert reload(db, User, user.id).locale == "id"


def test_end_one_session_from_the_list(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user()
    laptop = app.test_client()
    sign_in(laptop)
    sign_in(client)
    laptop_row, mine = session_rows(db, user)
    response = client.post(f"/account/sessions/{laptop_row.id}/end")
    assert response.status_code == 302
    assert not signed_in(laptop)
    assert signed_in(client)
    again = client.post(f"/account/sessions/{laptop_row.id}/end", follow_redirects=True)
    assert "already ended" in again.get_data(as_text=True)
    client.post(f"/account/sessions/{mine.id}/end")  # this device: an ordinary sign-out
    assert not signed_in(client)
    assert session_rows(db) == []


def test_nobody_ends_another_persons_session_or_token(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    make.user()
    victim = make.user("victim@example.id", "Victim")
    victims_browser = app.test_client()
    sign_in(victims_browser, "victim@example.id")
    headers = bearer(db, victim)
    [victim_row] = session_rows(db, victim)
    token_id = db.scalar(select(ApiToken.id).where(ApiToken.user_id == victim.id))
    db.commit()
    sign_in(client)
    client.post(f"/account/sessions/{victim_row.id}/end")
    client.post(f"/account/tokens/{token_id}/revoke")
    assert signed_in(victims_browser)
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_revoke_a_token_from_the_page(client: FlaskClient, make: Any, db: Session) -> None:
    user = make.user()
    sign_in(client)
    revoked, kept = bearer(db, user), bearer(db, user)
    first = db.scalar(select(func.min(ApiToken.id)))
    db.commit()
    assert client.post(f"/account/tokens/{first}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers=revoked).status_code == 401
    assert client.get("/api/v1/me", headers=kept).status_code == 200
    again = client.post(f"/account/tokens/{first}/revoke", follow_redirects=True)
    assert "already revoked" in again.get_data(as_text=True)


def test_sign_out_everywhere_ends_all_sessions_and_tokens(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user()
    other = make.user("other@example.id", "Other")
    laptop = app.test_client()
    sign_in(laptop, remember="y")
    remembered = copy_of(app, laptop, "remember_token")
    others_browser = app.test_client()
    sign_in(others_browser, "other@example.id")
    sign_in(client)
    headers = bearer(db, user)
    response = client.post("/account/sign-out-everywhere")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    for browser in (client, laptop, remembered):
        assert not signed_in(browser)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert session_rows(db, user) == [] and token_count(db, user) == 0
    assert signed_in(others_browser)  # nobody else is touched
    assert other.id


def test_account_page_is_in_indonesian_by_default(
    app: Flask, client: FlaskClient, make: Any
) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    make.user()
    sign_in(client)
    html = client.get("/account/").get_data(as_text=True)
    assert "Akun saya" in html
    assert "Keluar di semua perangkat" in html
    assert "perangkat ini" in html


def test_account_page_fits_a_phone(client: FlaskClient, make: Any, db: Session) -> None:
    user = make.user()
    sign_in(client)
    bearer(db, user)
    html = client.get("/account/").get_data(as_text=True)
    assert 'name="viewport"' in html
    assert 'class="plugin-row"' in html  # wraps on narrow screens, 44 px buttons
    assert 'class="panels"' in html


def test_sign_out_everywhere_is_a_post_with_csrf(
    app: Flask, client: FlaskClient, make: Any
) -> None:
    make.user()
    sign_in(client)
    assert client.get("/account/sign-out-everywhere").status_code == 405
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/account/sign-out-everywhere").status_code == 400
    assert signed_in(client)


def test_cookieless_requests_never_look_up_sessions(
    app: Flask, client: FlaskClient, make: Any
) -> None:
    from tests.core.web.test_queries import counting

    make.user()
    with counting(app) as statements:
        assert app.test_client().get("/api/v1/events").status_code == 200
    assert not [s for s in statements if "user_sessions" in s]  # e.g. the vote path
    sign_in(client)
    with counting(app) as statements:
        assert client.get("/api/v1/events").status_code == 200
    looked_up = [s for s in statements if "user_sessions" in s]
    assert len(looked_up) == 1 and looked_up[0].lstrip().upper().startswith("SELECT")


def test_signing_in_without_a_session_row_fails_loudly(app: Flask, make: Any) -> None:
    from flask_login import login_user

    user = make.user()
    with app.test_request_context("/"), pytest.raises(RuntimeError, match="sign_in"):
        login_user(user)

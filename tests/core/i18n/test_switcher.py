"""Bahasa Indonesia by default; the switcher (a plain form, CSRF-protected) switches to English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import User

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The default test configuration with CSRF protection switched on."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _switch_form(page: str) -> tuple[str, str]:
    """The switcher's action and CSRF token on a rendered page."""
    form = re.search(
        r'<form class="lang-switch" method="post" action="([^"]+)">(.*?)</form>', page, re.S
    )
    assert form is not None, "no language switcher on the page"
    token = TOKEN.search(form.group(2))
    assert token is not None
    return form.group(1), token.group(1)


def _sign_in(client: FlaskClient, email: str, password: str) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = TOKEN.search(page)
    assert token is not None
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302


def test_pages_are_in_indonesian_by_default(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert ">Masuk<" in page
    assert "Sign in" not in page
    assert client.get("/auth/login").get_data(as_text=True).count("Kata sandi") >= 1


def test_switcher_changes_to_english_and_back(client: FlaskClient) -> None:
    action, token = _switch_form(client.get("/").get_data(as_text=True))
    assert action == "/lang/en"
    response = client.post(action, data={"csrf_token": token, "next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert ">Sign in<" in page and ">Masuk<" not in page

    action, token = _switch_form(page)
    assert action == "/lang/id"
    client.post(action, data={"csrf_token": token, "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in page and ">Masuk<" in page


def test_switcher_refuses_a_request_without_csrf_token(client: FlaskClient) -> None:
    response = client.post("/lang/en", data={"next": "/"})
    assert response.status_code == 400
    assert ">Masuk<" in client.get("/").get_data(as_text=True)


def test_switcher_answers_404_for_an_unknown_language(client: FlaskClient) -> None:
    _, token = _switch_form(client.get("/").get_data(as_text=True))
    assert client.post("/lang/fr", data={"csrf_token": token}).status_code == 404
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


def test_switcher_does_not_redirect_to_another_site(client: FlaskClient) -> None:
    _, token = _switch_form(client.get("/").get_data(as_text=True))
    response = client.post(
        "/lang/en", data={"csrf_token": token, "next": "https://evil.example/phish"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_switcher_returns_to_the_page_it_was_used_on(client: FlaskClient, make: Any) -> None:
    make.event("jatim-2026")
    page = client.get("/jatim-2026/").get_data(as_text=True)
    action, token = _switch_form(page)
    response = client.post(action, data={"csrf_token": token, "next": "/jatim-2026/?"})
    assert response.headers["Location"].startswith("/jatim-2026/")


def test_a_signed_in_users_choice_is_stored_on_the_account(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user("ana@example.id", "Ana")
    assert user.locale is None
    _sign_in(client, "ana@example.id", "correct-horse-battery")
    action, token = _switch_form(client.get("/").get_data(as_text=True))
    client.post(action, data={"csrf_token": token, "next": "/"})
    db.expire_all()
    stored = db.scalars(select(User).where(User.email == "ana@example.id")).one()
    assert stored.locale == "en"
    db.rollback()  # end the read transaction so the app can write (SQLite)

    # A new browser (no session cookie) gets English once Ana signs in.
    other = app.test_client()
    assert ">Masuk<" in other.get("/").get_data(as_text=True)
    _sign_in(other, "ana@example.id", "correct-horse-battery")
    assert ">Sign out<" in other.get("/").get_data(as_text=True)


def test_the_accounts_language_wins_over_the_session(
    app: Flask, client: FlaskClient, make: Any, db: Session
) -> None:
    user = make.user("budi@example.id", "Budi")
    user.locale = "id"
    db.commit()
    action, token = _switch_form(client.get("/").get_data(as_text=True))
    client.post(action, data={"csrf_token": token, "next": "/"})  # session now says English
    assert ">Sign in<" in client.get("/").get_data(as_text=True)
    _sign_in(client, "budi@example.id", "correct-horse-battery")
    assert ">Keluar<" in client.get("/").get_data(as_text=True)

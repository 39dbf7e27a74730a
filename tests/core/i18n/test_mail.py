"""E-mails are written in the recipient's language, whatever language the sender uses."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import OutboundMail, User
from core.notifications import send_invitation, send_password_reset


def _mail_to(db: Session, email: str) -> OutboundMail:
    db.expire_all()
    return db.scalars(select(OutboundMail).where(OutboundMail.recipient == email)).one()


def _user(db: Session, make: Any, email: str, locale: str | None) -> User:
    user = make.user(email, "Sari")
    user.locale = locale
    db.commit()
    return user


@pytest.mark.parametrize(
    ("locale", "subject", "greeting", "sentence"),
    [
        ("id", "Atur ulang kata sandi Gelar Anda", "Yth. Sari,", "berlaku selama 24 jam"),
        ("en", "Reset your Gelar password", "Hello Sari,", "expires in 24 hours"),
    ],
)
def test_password_reset_mail_in_the_recipients_language(
    app: Flask, db: Session, make: Any, locale: str, subject: str, greeting: str, sentence: str
) -> None:
    user = _user(db, make, "sari@example.id", locale)
    other = "en" if locale == "id" else "id"
    with app.test_request_context("/"):
        from flask import session

        session["lang"] = other  # the person causing the mail reads the other language
        send_password_reset(db, user)
        db.commit()
    mail = _mail_to(db, "sari@example.id")
    assert mail.locale == locale
    assert mail.subject == subject
    assert mail.body_text.startswith(greeting)
    assert sentence in mail.body_text
    assert "/auth/reset/" in mail.body_text


def test_user_without_a_language_gets_indonesian(app: Flask, db: Session, make: Any) -> None:
    user = _user(db, make, "tanpa@example.id", None)
    with app.test_request_context("/"):
        send_password_reset(db, user)
        db.commit()
    mail = _mail_to(db, "tanpa@example.id")
    assert mail.locale == "id"
    assert mail.body_text.startswith("Yth. Sari,")


@pytest.mark.parametrize(
    ("locale", "role", "expected"),
    [
        ("id", "judge", "Anda telah ditunjuk sebagai juri untuk Event jatim-2026."),
        ("en", "organizer", "You have been appointed as an organizer of Event jatim-2026."),
    ],
)
def test_invitation_mail_in_the_recipients_language(
    app: Flask, db: Session, make: Any, locale: str, role: str, expected: str
) -> None:
    user = _user(db, make, "juri@example.id", locale)
    event = make.event("jatim-2026")
    with app.test_request_context("/"):
        send_invitation(db, user, event, role, created=False)
        db.commit()
    mail = _mail_to(db, "juri@example.id")
    assert expected in mail.body_text
    subject = {
        "id": "Anda mendapat peran dalam acara Gelar",
        "en": "You have a role in a Gelar event",
    }
    assert mail.subject == subject[locale]


def test_reset_requested_from_an_indonesian_page_reaches_an_english_reader(
    client: FlaskClient, db: Session, make: Any
) -> None:
    _user(db, make, "reader@example.id", "en")
    response = client.post("/auth/forgot", data={"email": "reader@example.id"})
    assert response.status_code == 302
    mail = _mail_to(db, "reader@example.id")
    assert mail.subject == "Reset your Gelar password"
    assert mail.body_text.startswith("Hello Sari,")
    # ...while the page the request came from stays Indonesian.
    assert "tautan untuk mengatur ulang" in client.get("/auth/login").get_data(as_text=True)

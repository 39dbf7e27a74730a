"""Fixtures for the web tests: an organizer with an event, the outbox, mail links."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import OutboundMail

ORGANIZER_EMAIL = "panitia@example.id"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """English pages, so the assertions read the English source strings.

    Tests about the Indonesian default set ``BABEL_DEFAULT_LOCALE`` back themselves.
    """
    return {**app_config, "BABEL_DEFAULT_LOCALE": "en"}


@pytest.fixture
def organizer(make: Any) -> Any:
    """A user who organizes nothing yet."""
    return make.user(ORGANIZER_EMAIL, "Panitia")


@pytest.fixture
def event(make: Any, organizer: Any) -> Any:
    """A published event organized by ``organizer`` with two plugins on."""
    return make.event("jatim-2026", plugins=["exhibitors", "symposium"], organizer=organizer)


@pytest.fixture
def signed_in_organizer(auth: Any, organizer: Any, event: Any) -> Any:
    """The organizer, signed in through the real form."""
    response = auth.login(ORGANIZER_EMAIL)
    assert response.status_code == 302
    return organizer


def mails(db: Session, recipient: str | None = None) -> list[OutboundMail]:
    """Outbound mail rows (all, or to one recipient), oldest first, fresh from the database."""
    db.expire_all()
    query = select(OutboundMail).order_by(OutboundMail.id)
    if recipient is not None:
        query = query.where(OutboundMail.recipient == recipient)
    found = list(db.scalars(query))
    db.commit()  # end the read so SQLite's writers are not kept waiting
    return found


def reload(db: Session, model: type[Any], ident: int) -> Any:
    """A row read afresh from the database, without holding a transaction open."""
    db.expire_all()
    row = db.get(model, ident)
    db.commit()
    return row


def link_path(body: str) -> str:
    """The path of the first http(s) link in a mail body."""
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)


def page_without(response: Any, *variable: str) -> str:
    """A page's text with CSRF tokens (they carry a timestamp) and ``variable`` parts masked,
    to compare the answers given to different e-mails."""
    text = re.sub(r"<input[^>]*csrf_token[^>]*>", "CSRF", response.get_data(as_text=True))
    for part in variable:
        text = text.replace(part, "VARIABLE")
    return text

"""Helpers for the API tests: state snapshots, the error shape, test data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import get_db, metadata
from core.models import Event, Innovation, Membership, Organization, User

API = "/api/v1"


@contextmanager
def reading(app: Flask) -> Iterator[Session]:
    """A short read-only session (closed at once, so it never holds SQLite's write lock)."""
    session = get_db(app).new_session(write=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


# Bookkeeping a request with valid credentials writes even when it is refused otherwise.
USAGE_COLUMNS = {("api_tokens", "last_used_at"), ("user_sessions", "last_seen_at")}


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a refused request changed nothing.

    When a token or session was last used (:data:`USAGE_COLUMNS`) is left out.
    """
    state: dict[str, list[tuple[Any, ...]]] = {}
    with get_db(app).engine.connect() as conn:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            columns = [c for c in table.columns if (table.name, c.name) not in USAGE_COLUMNS]
            state[table.name] = [
                tuple(row) for row in conn.execute(select(*columns).order_by(*order))
            ]
        conn.rollback()
    return state


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert the API's error shape and status; return the ``error`` object."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error)
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for problems in error["fields"].values():
        assert isinstance(problems, list) and all(isinstance(p, str) for p in problems)
    if code is not None:
        assert error["code"] == code
    return error


def add_organization(db: Session, name: str, *, region: str = "Surabaya") -> Organization:
    """An organization (committed)."""
    organization = Organization(name=name, kind="government", region=region)
    db.add(organization)
    db.commit()
    return organization


def add_innovation(
    db: Session,
    event: Event,
    organization: Organization,
    title: str,
    *,
    category: str = "Kesehatan",
    status: str = "accepted",
    summary: str = "",
) -> Innovation:
    """An innovation of ``organization`` in ``event`` (committed)."""
    innovation = Innovation(
        event_id=event.id,
        organization_id=organization.id,
        title=title,
        summary=summary,
        category=category,
        status=status,
        cettar=["cepat"],
    )
    db.add(innovation)
    db.commit()
    return innovation


def add_member(db: Session, user: User, organization: Organization) -> None:
    """Make ``user`` a member of ``organization`` (committed)."""
    db.add(Membership(user_id=user.id, organization_id=organization.id))
    db.commit()


def login_session(client: FlaskClient, email: str, password: str) -> None:
    """Sign in through the form (a browser session)."""
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]


def user_by_email(app: Flask, email: str) -> User | None:
    """The user with this e-mail, read in a fresh session."""
    with reading(app) as session:
        return session.scalar(select(User).where(User.email == email))

"""Signing browsers in and out with server-side sessions (see :mod:`core.services.sessions`).

Every sign-in path calls :func:`sign_in` instead of Flask-Login's ``login_user``: it adds a
``user_sessions`` row and puts its key into Flask-Login's id (``"<user id>:<key>"``), which
the session cookie and the remember-me cookie both carry.  :func:`load_user` accepts only a
live row, so :func:`sign_out` (which deletes it) ends copied cookies as well.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, g, request
from flask_login import current_user, login_user, logout_user, user_logged_in
from sqlalchemy import update

from core.db import get_connection, get_session, utcnow
from core.models import ApiToken, User, UserSession
from core.services import sessions as session_service

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_REMEMBER_DURATION = timedelta(days=365)  # Flask-Login's own default


def lifetimes() -> tuple[timedelta, timedelta]:
    """How long a session may sit unused: ``(plain, remember-me)`` (from the config)."""
    config = current_app.config
    idle = timedelta(hours=float(config.get("SESSION_IDLE_HOURS", 24 * 14)))
    remembered = config.get("REMEMBER_COOKIE_DURATION") or DEFAULT_REMEMBER_DURATION
    if not isinstance(remembered, timedelta):
        remembered = timedelta(seconds=float(remembered))
    return idle, max(idle, remembered)


def load_user(login_id: str) -> User | None:
    """Flask-Login user loader: the user of a live session row, else ``None``.

    Called for the session cookie and the remember-me cookie alike; an id without a key
    (cookies from before server-side sessions) is refused.
    """
    idle, remembered = lifetimes()
    found = session_service.find_live_session(
        get_session(), login_id, idle=idle, remembered=remembered
    )
    if found is None:
        return None
    row, user = found
    g.user_session_id = row.id
    if session_service.needs_touch(row):
        touch(UserSession, row)
    return user


def touch(model: type[UserSession] | type[ApiToken], row: Any) -> None:
    """Record that a session or token was just used (throttled by the callers).

    Reading requests do not commit their session, so the time is written by one
    autocommit statement; writing requests run the statement in their own transaction
    (committed with their work; an autocommit write could wait on the request's own lock
    on SQLite).  A plain table UPDATE, so a row deleted meanwhile (signed out elsewhere)
    simply matches nothing.
    """
    table = model.__table__
    column = "last_seen_at" if model is UserSession else "last_used_at"
    statement = update(table).where(table.c.id == row.id).values({column: utcnow()})  # type: ignore[attr-defined]
    if request.method in _READ_METHODS:
        get_connection().execute(statement)
    else:
        get_session().execute(statement)


def current_session_id() -> int | None:
    """The id of the browser session this request is signed in with (``None`` for bearers)."""
    if g.get("api_user") is None and current_user and current_user.is_authenticated:
        return g.get("user_session_id")
    return None


def sign_in(user: User, *, remember: bool = False) -> UserSession:
    """Sign ``user`` in on this browser with a new server-side session; commits the request.

    Every sign-in path (form, sign-up, reset and invitation links) goes through here, as
    the last write of its request: the request's unit of work is committed together with
    the new session row before the cookie is set.
    """
    from core.web import commit

    session = get_session()
    previous = current_session_id()
    if previous is not None:  # a browser holds one session: signing in again replaces it
        session_service.end_session(session, current_user, previous)
    idle, remembered = lifetimes()
    session_service.purge_expired(session, user, idle=idle, remembered=remembered)
    row, _raw_key = session_service.start_session(
        session,
        user,
        remember=remember,
        user_agent=request.user_agent.string,
        ip=request.remote_addr,
    )
    commit()
    login_user(user, remember=remember)
    g.user_session_id = row.id
    return row


def sign_out() -> None:
    """End this browser's session (the row is deleted, copied cookies die) and forget it."""
    from core.web import commit

    session_id = current_session_id()
    if session_id is not None:
        session_service.end_session(get_session(), current_user, session_id)
        commit()
    logout_user()
    g.pop("user_session_id", None)


@user_logged_in.connect
def _refuse_sign_in_without_session(_sender: Any, user: Any = None, **_extra: Any) -> None:
    """A direct ``login_user`` would sign in for one request only: fail loudly instead."""
    if user is not None and not getattr(user, "session_key", None):
        raise RuntimeError(
            "Sign people in with core.sessions.sign_in(), not flask_login.login_user(): "
            "only a server-side session survives the next request."
        )

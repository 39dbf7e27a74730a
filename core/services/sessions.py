"""Server-side sessions: one row per signed-in browser, found by the digest of its key.

The browser keeps a random key (inside Flask's signed session cookie and the remember-me
cookie); the table keeps only its SHA-256.  Deleting a row signs that browser out, even
when someone copied its cookies.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import ApiToken, User, UserSession

# How often last_seen_at is written for a busy session (a write per request would be waste).
TOUCH_INTERVAL = timedelta(seconds=60)
USER_AGENT_LENGTH = 300
IP_LENGTH = 45


def key_digest(raw_key: str) -> str:
    """The SHA-256 hex digest stored for a session key."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


def start_session(
    session: Session,
    user: User,
    *,
    remember: bool = False,
    user_agent: str = "",
    ip: str | None = None,
) -> tuple[UserSession, str]:
    """Create a session row for ``user``; returns it and the raw key (for the cookie only).

    The raw key is also set on ``user.session_key``, so Flask-Login stores it.
    """
    raw_key = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        key_hash=key_digest(raw_key),
        user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
        ip=(ip or None) and ip[:IP_LENGTH],
        remember=remember,
    )
    session.add(row)
    session.flush()
    user.session_key = raw_key
    return row, raw_key


def parse_login_id(login_id: str) -> tuple[int, str] | None:
    """``(user id, raw key)`` from Flask-Login's id ``"<user id>:<key>"``, else ``None``."""
    user_part, sep, raw_key = (login_id or "").partition(":")
    if not sep or not raw_key or len(raw_key) > 100 or not user_part.isdigit():
        return None
    user_id = int(user_part)
    if not 0 < user_id < 2**31:
        return None
    return user_id, raw_key


def is_expired(row: UserSession, now: datetime, idle: timedelta, remembered: timedelta) -> bool:
    """Whether the row was idle longer than its kind allows (remember-me rows live longer)."""
    return row.last_seen_at < now - (remembered if row.remember else idle)


def find_live_session(
    session: Session,
    login_id: str,
    *,
    idle: timedelta,
    remembered: timedelta,
) -> tuple[UserSession, User] | None:
    """The session row and active user behind a Flask-Login id, else ``None`` (one query)."""
    parsed = parse_login_id(login_id)
    if parsed is None:
        return None
    user_id, raw_key = parsed
    found = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.key_hash == key_digest(raw_key))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.user_id != user_id or not user.is_active or is_expired(row, utcnow(), idle, remembered):
        return None
    user.session_key = raw_key
    return row, user


def needs_touch(row: UserSession, now: datetime | None = None) -> bool:
    """Whether ``last_seen_at`` is old enough to be written again."""
    return row.last_seen_at <= (now or utcnow()) - TOUCH_INTERVAL


def needs_token_touch(token: ApiToken, now: datetime | None = None) -> bool:
    """Whether an API token's ``last_used_at`` is unset or old enough to be written again."""
    return token.last_used_at is None or token.last_used_at <= (now or utcnow()) - TOUCH_INTERVAL


def list_sessions(
    session: Session, user: User, *, idle: timedelta, remembered: timedelta
) -> list[UserSession]:
    """The user's live sessions, most recently seen first."""
    now = utcnow()
    rows = session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()
    return [row for row in rows if not is_expired(row, now, idle, remembered)]


def end_session(session: Session, user: User, session_id: int) -> bool:
    """Delete one of ``user``'s sessions; ``False`` when it is not theirs (or gone)."""
    result = session.execute(
        delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id)
    )
    return bool(result.rowcount)


def end_sessions(session: Session, user: User, *, keep: int | None = None) -> int:
    """Delete every session of ``user`` except ``keep`` (a session id); returns how many."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        query = query.where(UserSession.id != keep)
    return int(session.execute(query).rowcount or 0)


def purge_expired(
    session: Session, user: User | None, *, idle: timedelta, remembered: timedelta
) -> int:
    """Delete the sessions that can no longer be used: ``user``'s (at each sign-in) or, with
    ``user=None``, everyone's (``gelar privacy purge``); returns how many were deleted."""
    now = utcnow()
    expired = or_(
        (UserSession.remember.is_(False)) & (UserSession.last_seen_at < now - idle),
        UserSession.last_seen_at < now - remembered,
    )
    query = delete(UserSession).where(expired)
    if user is not None:
        query = query.where(UserSession.user_id == user.id)
    result = session.execute(query)
    return int(result.rowcount or 0)

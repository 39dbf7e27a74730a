"""Flask-Login glue: loading the signed-in user from the session."""

from __future__ import annotations

from core.models import User
from core.services.accounts import is_verified


def load_user(user_id: str) -> User | None:
    """Flask-Login user loader: the verified user of a live server-side session, else ``None``.

    ``user_id`` is ``"<user id>:<session key>"`` (see :mod:`core.sessions`).
    """
    from core.sessions import load_user as load_session_user

    user = load_session_user(user_id)
    return user if user is not None and is_verified(user) else None

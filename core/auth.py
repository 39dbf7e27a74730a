"""Flask-Login glue: loading the signed-in user from the session."""

from __future__ import annotations

from core.models import User


def load_user(user_id: str) -> User | None:
    """Flask-Login user loader: the user of a live server-side session, else ``None``.

    ``user_id`` is ``"<user id>:<session key>"`` (see :mod:`core.sessions`).
    """
    from core.sessions import load_user as load_session_user

    return load_session_user(user_id)

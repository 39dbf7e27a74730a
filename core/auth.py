"""Flask-Login glue: loading the signed-in user from the session."""

from __future__ import annotations

from core.db import get_session
from core.models import User
from core.services.accounts import is_verified


def load_user(user_id: str) -> User | None:
    """Flask-Login user loader: the active, verified user with this id, else ``None``."""
    try:
        user = get_session().get(User, int(user_id))
    except ValueError:
        return None
    return user if user is not None and user.is_active and is_verified(user) else None

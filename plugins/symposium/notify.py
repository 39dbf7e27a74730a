"""Mail the symposium sends (queued in the request's transaction)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.models import User
from core.notifications import send_mail
from core.web import external_url
from plugins.symposium.models import Session as SymSession
from plugins.symposium.models import Signup


def seat_freed(session: Any, event: Any, promoted: Signup | None) -> None:
    """Tell the person promoted from the wait list that they have a seat now."""
    if promoted is None:
        return
    user = session.get(User, promoted.user_id)
    item = session.get(SymSession, promoted.session_id)
    if user is None or item is None:
        return
    send_mail(
        session,
        user,
        "symposium_seat_freed",
        _l("You have a seat in a symposium session"),
        event=event,
        user=user,
        title=item.title,
        link=external_url("symposium.session_page", event=event.slug, session_id=item.id),
    )

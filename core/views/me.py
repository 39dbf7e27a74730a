"""Beranda saya (``/me``): where everyone lands after signing in.

Per event where the person has something: their roles and their next actions with counts,
contributed by the plugins through ``event_my_home_panels``.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from core.db import get_session
from core.services import my_home
from core.web import registry, signed_in_user

bp = Blueprint("me", __name__)

ROLE_LABELS = {
    "organizer": _l("Organizer"),
    "judge": _l("Judge"),
    "exhibitor": _l("Exhibitor"),
    "visitor": _l("Visitor"),
}


@bp.get("/me")
def index() -> ResponseReturnValue:
    """The signed-in person's events, roles and next actions (others go to sign in)."""
    user = signed_in_user()
    if user is None:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined,no-any-return]
    session = get_session()
    plugins = registry()
    shown = []
    for entry in my_home.my_events(session, user):
        entry.panels = plugins.collect_for_event(
            entry.event, "event_my_home_panels", session=session, user=user, roles=entry.roles
        )
        if entry.panels or entry.roles.organizer or entry.roles.judge:
            shown.append(entry)
    return render_template("me/index.html", user=user, entries=shown, role_labels=ROLE_LABELS)

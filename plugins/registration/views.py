"""Registration pages under ``/<event>/registration/``."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from core.db import get_session, utcnow
from core.plugin_helpers import stored_settings
from core.web import current_event
from plugins.registration.services import registration_counts
from plugins.registration.settings import RegistrationSettings

bp = Blueprint(
    "registration", __name__, url_prefix="/<event>/registration", template_folder="templates"
)


def event_settings(event: object) -> RegistrationSettings:
    """The event's registration settings as a validated model."""
    return stored_settings(event, "registration", RegistrationSettings)  # type: ignore[return-value]


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """The registration window, the categories, the rules, and how many agencies registered."""
    target = current_event()
    settings = event_settings(target)
    counts = registration_counts(get_session(), target)
    places_left = (
        max(settings.exhibitor_quota - counts.organizations, 0)
        if settings.exhibitor_quota is not None
        else None
    )
    return render_template(
        "registration/index.html",
        settings=settings,
        state=settings.window_state(utcnow()),
        organizations=counts.organizations,
        places_left=places_left,
    )

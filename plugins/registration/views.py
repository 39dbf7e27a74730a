"""Registration pages under ``/<event>/registration/``."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from core.db import get_session, utcnow
from core.models import Innovation
from core.plugin_helpers import stored_settings
from core.web import current_event
from plugins.registration.settings import RegistrationSettings

bp = Blueprint(
    "registration", __name__, url_prefix="/<event>/registration", template_folder="templates"
)


def event_settings(event: object) -> RegistrationSettings:
    """The event's registration settings as a validated model."""
    return stored_settings(event, "registration", RegistrationSettings)  # type: ignore[return-value]


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """The registration window, the categories, and how many agencies have registered."""
    target = current_event()
    settings = event_settings(target)
    organizations = get_session().scalar(
        select(func.count(func.distinct(Innovation.organization_id))).where(
            Innovation.event_id == target.id, Innovation.status.in_(("submitted", "accepted"))
        )
    )
    return render_template(
        "registration/index.html",
        settings=settings,
        state=settings.window_state(utcnow()),
        organizations=organizations or 0,
    )

"""Symposium pages under ``/<event>/symposium/``."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from core.plugin_helpers import stored_settings
from core.web import current_event
from plugins.symposium.services import programme_days, programme_minutes_per_day
from plugins.symposium.settings import SymposiumSettings

bp = Blueprint("symposium", __name__, url_prefix="/<event>/symposium", template_folder="templates")


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """The programme's days and hours, and the note that sessions come later."""
    target = current_event()
    settings = stored_settings(target, "symposium", SymposiumSettings)
    return render_template(
        "symposium/index.html",
        settings=settings,
        days=programme_days(target),
        hours=programme_minutes_per_day(settings) / 60,  # type: ignore[arg-type]
    )

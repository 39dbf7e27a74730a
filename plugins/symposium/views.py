"""Symposium pages under ``/<event>/symposium/``."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from core.plugin_helpers import stored_settings
from core.web import current_event
from plugins.symposium.settings import SymposiumSettings

bp = Blueprint("symposium", __name__, url_prefix="/<event>/symposium", template_folder="templates")


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """The programme's days and hours."""
    target = current_event()
    settings = stored_settings(target, "symposium", SymposiumSettings)
    days = [target.starts_on + timedelta(days=i) for i in range((target.ends_on - target.starts_on).days + 1)]
    return render_template("symposium/index.html", settings=settings, days=days)

"""Exhibitor pages under ``/<event>/exhibitors/``: the innovation catalogue."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from core.db import get_session
from core.plugin_helpers import stored_settings
from core.services import innovations
from core.web import current_event, is_event_organizer
from plugins.exhibitors.settings import ExhibitorSettings

bp = Blueprint(
    "exhibitors", __name__, url_prefix="/<event>/exhibitors", template_folder="templates"
)
PER_PAGE = 24


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """Searchable catalogue of the event's accepted innovations."""
    target = current_event()
    settings = stored_settings(target, "exhibitors", ExhibitorSettings)
    if not settings.catalogue_public and not is_event_organizer(target):  # type: ignore[attr-defined]
        abort(404)
    session = get_session()
    q = (request.args.get("q") or "").strip()
    category = request.args.get("category") or None
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    items, total = innovations.search_accepted(
        session, target, q=q, category=category, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    return render_template(
        "exhibitors/index.html",
        items=items,
        total=total,
        q=q,
        category=category,
        categories=innovations.category_counts(session, target),
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
    )

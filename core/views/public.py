"""Public pages: the list of events, an event's home, language switch, health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from core.db import get_session
from core.models import CONSENT_PURPOSES
from core.services import awards, innovations, privacy
from core.services import events as event_service
from core.web import current_event, is_event_organizer, registry, signed_in_user

bp = Blueprint("public", __name__)


@bp.app_context_processor
def _event_navigation() -> dict[str, object]:
    """Nav items of the current event's enabled plugins (empty outside an event)."""
    from flask import g

    event = g.get("event")
    if event is None:
        return {"event": None, "nav_items": [], "is_organizer": False}
    return {
        "event": event,
        "nav_items": registry().collect_for_event(event, "event_nav_items"),
        "is_organizer": is_event_organizer(event),
    }


@bp.app_template_global("consent_label")
def _consent_label(purpose: str) -> str:
    """The translated label of an optional-use checkbox."""
    return privacy.consent_label(purpose)


@bp.app_template_global("consent_purposes")
def _consent_purposes() -> tuple[str, ...]:
    """The optional uses a personal-data form offers (each an unticked checkbox)."""
    return CONSENT_PURPOSES


@bp.get("/")
def home() -> ResponseReturnValue:
    """All visible events, the current or next one first."""
    events = event_service.visible_events(get_session(), signed_in_user())
    return render_template("core/home.html", events=events)


@bp.get("/<event>/")
def event_home(event: str) -> ResponseReturnValue:
    """The event's home with what each enabled plugin contributes."""
    target = current_event()
    session = get_session()
    panels = registry().collect_for_event(target, "event_home_panels", session=session)
    counts = innovations.category_counts(session, target)
    return render_template(
        "core/event_home.html",
        event=target,
        panels=panels,
        innovation_total=sum(c for _, c in counts),
        awards=awards.list_awards(session, target, public=True),
    )


@bp.get("/<event>/privacy")
def privacy_notice(event: str) -> ResponseReturnValue:
    """The event's privacy notice: who holds the data, why, for how long, whom to ask."""
    target = current_event()
    notice = privacy.get_notice(get_session(), target)
    return render_template("core/privacy.html", event=target, notice=notice)


@bp.post("/lang/<code>")
def switch_language(code: str) -> ResponseReturnValue:
    """Remember the chosen language (and on the account when signed in)."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    user = signed_in_user()
    if user is not None:
        from core.web import commit

        user.locale = code
        commit()
    target = request.form.get("next") or request.referrer or url_for("public.home")
    if not _is_local(target):
        target = url_for("public.home")
    return redirect(target)


def _is_local(target: str) -> bool:
    from urllib.parse import urlparse

    # Browsers read "/\\host" as "//host": normalise before judging.
    parsed = urlparse(target.replace("\\", "/"))
    if parsed.netloc:
        return parsed.netloc == request.host and parsed.scheme in ("http", "https")
    return not parsed.scheme


@bp.get("/health")
def health() -> ResponseReturnValue:
    """Liveness and database check for load balancers."""
    get_session().execute(text("SELECT 1"))
    return {"status": "ok"}

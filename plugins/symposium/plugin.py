"""Symposium plugin: metadata and hook implementations."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core import hookimpl
from core.plugin_helpers import stored_settings
from core.plugins import NavItem, Panel, PluginInfo
from plugins.symposium.services import (
    clone_configuration,
    programme_days,
    programme_minutes_per_day,
    session_counts,
)
from plugins.symposium.settings import SymposiumSettings, SymposiumSettingsForm
from plugins.symposium.stamps import raise_stamps  # noqa: F401  (listens for content changes)

plugin_info = PluginInfo(
    name="symposium",
    title={"id": "Simposium", "en": "Symposium"},
    description={
        "id": "Ruang, sesi, pembicara, jadwal dengan pemeriksaan bentrok, kalender iCal dan "
        "agenda pribadi.",
        "en": "Rooms, sessions, speakers, a timetable with conflict checks, iCal and personal "
        "agendas.",
    },
    settings_model=SymposiumSettings,
    settings_form=SymposiumSettingsForm,
    version="0.1",
)


def _settings(event: Any) -> SymposiumSettings:
    return stored_settings(event, "symposium", SymposiumSettings)  # type: ignore[return-value]


@hookimpl
def register_blueprints() -> list[Any]:
    """The symposium pages."""
    from plugins.symposium import console, programme  # noqa: F401  (add their pages to ``bp``)
    from plugins.symposium.api import api_bp
    from plugins.symposium.views import bp

    return [bp, api_bp]


@hookimpl
def event_nav_items(event: Any) -> list[NavItem]:
    """A "Symposium" link in the event's navigation."""
    url = url_for("symposium.index", event=event.slug)
    return [NavItem(_("Symposium"), url, "symposium", 30)]


@hookimpl
def event_home_panels(event: Any) -> list[Panel]:
    """The programme's days and hours on the event home."""
    html = render_template(
        "symposium/panel.html", settings=_settings(event), days=programme_days(event)
    )
    return [Panel(_("Symposium"), Markup(html), "symposium", 30)]


@hookimpl
def event_dashboard_panels(event: Any, session: Any) -> list[Panel]:
    """Programme days, hours per day, the speakers' buffer and the sessions to schedule."""
    settings = _settings(event)
    days = programme_days(event)
    counts = session_counts(session, event)
    html = render_template(
        "symposium/dashboard_panel.html",
        settings=settings,
        days=len(days),
        hours=programme_minutes_per_day(settings) / 60,
        counts=counts,
    )
    stats = (("days", len(days)), ("unscheduled", counts["unscheduled"]))
    return [Panel(_("Symposium"), Markup(html), "symposium", 30, stats=stats)]


@hookimpl
def on_event_cloned(source: Any, target: Any, session: Any) -> None:
    """Copy the rooms and tracks to next year's event; sessions and speakers stay behind."""
    clone_configuration(session, source, target)


@hookimpl
def event_demo_data(event: Any, session: Any, demo: Any) -> None:
    """Rooms, tracks and a scheduled programme for the demo event (once)."""
    from plugins.symposium.demo import seed_programme

    seed_programme(session, event)


@hookimpl
def event_my_home_panels(event: Any, session: Any, user: Any, roles: Any) -> list[Panel]:
    """Organizers: sessions left to place; everyone with stars: their starred sessions."""
    from plugins.symposium.engagement import starred_ids

    panels: list[Panel] = []
    if roles.organizer:
        unplaced = session_counts(session, event)["unscheduled"]
        html = render_template("symposium/my_home_organizer.html", event=event, unplaced=unplaced)
        panels.append(
            Panel(_("Programme"), Markup(html), "symposium", 40, (("unscheduled", unplaced),))
        )
    starred = len(starred_ids(session, event, user))
    if starred:
        html = render_template("symposium/my_home_visitor.html", event=event, starred=starred)
        panels.append(
            Panel(_("Your agenda"), Markup(html), "symposium", 41, (("starred", starred),))
        )
    return panels


@hookimpl
def on_personal_data_collect(session: Any, user: Any) -> dict[str, list[Any]]:
    """What this plugin holds about ``user`` ("Data saya")."""
    from plugins.symposium import privacy

    return privacy.collect(session, user)


@hookimpl
def on_personal_data_erase(session: Any, user: Any, email: str, event: Any) -> None:
    """Erase what this plugin holds about the person (see :mod:`plugins.symposium.privacy`)."""
    from plugins.symposium import privacy

    privacy.erase(session, user, email, event)


@hookimpl
def event_busy_times(
    event: Any, session: Any, people: dict[int, str], organizations: dict[int, str], window: Any
) -> list[Any]:
    """The sessions in which the given people speak or moderate, or the agencies present."""
    from plugins.symposium.busy import busy_times

    return busy_times(session, event, people, organizations, window)

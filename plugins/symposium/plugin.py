"""Symposium plugin: metadata and hook implementations."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from core import hookimpl
from core.plugins import NavItem, PluginInfo
from plugins.symposium.settings import SymposiumSettings, SymposiumSettingsForm

plugin_info = PluginInfo(
    name="symposium",
    title={"id": "Simposium", "en": "Symposium"},
    description={
        "id": "Ruang, sesi, pembicara, jadwal dengan pemeriksaan bentrok, kalender iCal dan agenda pribadi.",
        "en": "Rooms, sessions, speakers, a timetable with conflict checks, iCal and personal agendas.",
    },
    settings_model=SymposiumSettings,
    settings_form=SymposiumSettingsForm,
    version="0.1",
)


@hookimpl
def register_blueprints() -> list[Any]:
    from plugins.symposium.views import bp

    return [bp]


@hookimpl
def event_nav_items(event: Any) -> list[NavItem]:
    return [NavItem(_("Symposium"), url_for("symposium.index", event=event.slug), "symposium", 30)]

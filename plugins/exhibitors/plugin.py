"""Exhibitors plugin: metadata and hook implementations."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core import hookimpl
from core.plugins import NavItem, Panel, PluginInfo
from core.services import innovations
from plugins.exhibitors.settings import ExhibitorSettings, ExhibitorSettingsForm

plugin_info = PluginInfo(
    name="exhibitors",
    title={"id": "Peserta Pameran", "en": "Exhibitors"},
    description={
        "id": "Profil peserta, katalog inovasi yang bisa dicari, stan dan denah pameran.",
        "en": "Exhibitor profiles, a searchable innovation catalogue, booths and the floor plan.",
    },
    settings_model=ExhibitorSettings,
    settings_form=ExhibitorSettingsForm,
    version="0.1",
)


@hookimpl
def register_blueprints() -> list[Any]:
    from plugins.exhibitors.views import bp

    return [bp]


@hookimpl
def event_nav_items(event: Any) -> list[NavItem]:
    return [NavItem(_("Innovations"), url_for("exhibitors.index", event=event.slug), "exhibitors", 10)]


@hookimpl
def event_home_panels(event: Any, session: Any) -> list[Panel]:
    counts = innovations.category_counts(session, event)
    html = render_template("exhibitors/panel.html", counts=counts, total=sum(c for _, c in counts))
    return [Panel(_("Innovation catalogue"), Markup(html), "exhibitors", 10)]

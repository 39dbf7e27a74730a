"""Voting plugin: metadata and hook implementations."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from core import hookimpl
from core.plugins import NavItem, PluginInfo
from plugins.voting.settings import VotingSettings, VotingSettingsForm

plugin_info = PluginInfo(
    name="voting",
    title={"id": "Penjurian & Voting", "en": "Judging & voting"},
    description={
        "id": "Rubrik CETTAR, penilaian juri dengan koreksi juri keras/lunak, peringkat dan pilihan publik.",
        "en": "CETTAR rubric, judging corrected for harsh and lenient judges, rankings and a people's-choice vote.",
    },
    settings_model=VotingSettings,
    settings_form=VotingSettingsForm,
    version="0.1",
)


@hookimpl
def register_blueprints() -> list[Any]:
    from plugins.voting.views import bp

    return [bp]


@hookimpl
def event_nav_items(event: Any) -> list[NavItem]:
    return [NavItem(_("Judging"), url_for("voting.index", event=event.slug), "voting", 40)]

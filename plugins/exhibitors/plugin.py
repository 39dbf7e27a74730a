"""Exhibitors plugin: metadata and hook implementations."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core import hookimpl
from core.plugin_helpers import stored_settings
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
    """The catalogue, floor plan, portal and console pages, and the Exhibitors API."""
    from plugins.exhibitors.api import bp as api_bp
    from plugins.exhibitors.views import bp

    return [bp, api_bp]


@hookimpl
def event_nav_items(event: Any) -> list[NavItem]:
    """An "Innovations" link in the event's navigation."""
    url = url_for("exhibitors.index", event=event.slug)
    return [NavItem(_("Innovations"), url, "exhibitors", 10)]


@hookimpl
def event_home_panels(event: Any, session: Any) -> list[Panel]:
    """The catalogue's categories on the event home."""
    counts = innovations.category_counts(session, event)
    html = render_template("exhibitors/panel.html", counts=counts, total=sum(c for _, c in counts))
    return [Panel(_("Innovation catalogue"), Markup(html), "exhibitors", 10)]


@hookimpl
def event_dashboard_panels(event: Any, session: Any) -> list[Panel]:
    """Accepted innovations, exhibiting agencies and whether the catalogue is public."""
    counts = innovations.category_counts(session, event)
    accepted = sum(c for _, c in counts)
    _orgs, organizations = innovations.participating_organizations(session, event, limit=1)
    settings = stored_settings(event, "exhibitors", ExhibitorSettings)
    html = render_template(
        "exhibitors/dashboard_panel.html",
        accepted=accepted,
        organizations=organizations,
        categories=len(counts),
        settings=settings,
    )
    return [
        Panel(
            _("Exhibitors"),
            Markup(html),
            "exhibitors",
            10,
            stats=(("accepted", accepted), ("organizations", organizations)),
        )
    ]


@hookimpl
def on_registration_decided(event: Any, registration: Any, status: str, session: Any) -> None:
    """Approved innovations enter the catalogue's search at once."""
    from plugins.exhibitors import search

    if status == "approved":
        search.refresh_entries(session, event)


@hookimpl
def on_event_cloned(source: Any, target: Any, session: Any) -> None:
    """Copy zones and booths (the layout) to next year's edition, without their holders."""
    from plugins.exhibitors import layout

    layout.copy_layout(session, source, target)


@hookimpl
def event_demo_data(event: Any, session: Any, demo: Any) -> None:
    """A demo hall: two zones of booths, assigned automatically (idempotent)."""
    from plugins.exhibitors import layout

    layout.demo_layout(session, event)


@hookimpl
def event_innovation_search(
    event: Any,
    session: Any,
    q: str,
    category: str | None,
    organization_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[Any], int]:
    """The catalogue's ranked, accent-insensitive search also answers the core API."""
    from plugins.exhibitors import search
    from plugins.exhibitors.views import fresh_search_entries

    fresh_search_entries(event)  # stale entries are rebuilt in a transaction of their own
    query = search.CatalogueQuery(q=q, category=category, organization_id=organization_id)
    return search.search(session, event, query, limit=limit, offset=offset)


@hookimpl
def event_my_home_panels(event: Any, session: Any, roles: Any) -> list[Panel]:
    """The agency's booth, profile and innovations; booths left to assign (organizers)."""
    from plugins.exhibitors import services

    panels: list[Panel] = []
    if roles.organizer:
        unplaced = services.exhibitors_without_booth(session, event)
        html = render_template("exhibitors/my_home_organizer.html", event=event, unplaced=unplaced)
        panels.append(
            Panel(_("Booths"), Markup(html), "exhibitors", 10, (("unassigned", unplaced),))
        )
    if roles.exhibitor:
        agencies = innovations.organization_innovation_counts(
            session, event, list(roles.organization_ids)
        )
        booths = services.booth_for_organizations(session, event, [o.id for o, _c in agencies])
        html = render_template(
            "exhibitors/my_home_exhibitor.html", event=event, agencies=agencies, booths=booths
        )
        panels.append(
            Panel(
                _("Your booth and innovations"),
                Markup(html),
                "exhibitors",
                11,
                (("agencies", len(agencies)),),
            )
        )
    return panels


@hookimpl
def on_personal_data_collect(session: Any, user: Any) -> dict[str, list[Any]]:
    """What this plugin holds about ``user`` ("Data saya")."""
    from plugins.exhibitors import privacy

    return privacy.collect(session, user)


@hookimpl
def on_personal_data_erase(session: Any, user: Any, email: str, event: Any) -> None:
    """Erase what this plugin holds about the person (see :mod:`plugins.exhibitors.privacy`)."""
    from plugins.exhibitors import privacy

    privacy.erase(session, user, email, event)


@hookimpl
def event_booth_locations(event: Any, session: Any, organization_ids: list[int]) -> list[Any]:
    """The booths of the given agencies: code, zone, centre and a link on the floor plan."""
    from flask import has_request_context

    from core.plugins import BoothLocation
    from plugins.exhibitors import services

    booths = services.booth_for_organizations(session, event, list(organization_ids))
    found = []
    for organization_id, booth in sorted(booths.items()):
        url = (
            url_for("exhibitors.floor_plan", event=event.slug, highlight=booth.code)
            if has_request_context()
            else ""
        )
        found.append(
            BoothLocation(
                organization_id,
                booth.code,
                booth.zone,
                booth.x + booth.width / 2,
                booth.y + booth.height / 2,
                url,
                "exhibitors",
            )
        )
    return found

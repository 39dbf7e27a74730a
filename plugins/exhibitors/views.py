"""Public exhibitor pages under ``/<event>/exhibitors/``: catalogue, innovation, floor plan.

Organizer console pages are in :mod:`plugins.exhibitors.console` and the exhibitor
portal in :mod:`plugins.exhibitors.portal`; all share this blueprint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    send_from_directory,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from core import cettar
from core.db import get_db, get_session
from core.files import send_upload
from core.models import Event, Upload
from core.plugin_helpers import innovation_actions, stored_settings
from core.services import history, innovations
from core.services.errors import NotFound
from core.web import current_event, external_url, is_event_organizer, registry
from plugins.exhibitors import floorplan, profiles, search, services
from plugins.exhibitors.settings import ExhibitorSettings

bp = Blueprint(
    "exhibitors", __name__, url_prefix="/<event>/exhibitors", template_folder="templates"
)
PER_PAGE = 24
STATIC = Path(__file__).parent / "static"


@bp.get("/assets/<path:filename>")
def asset(event: str, filename: str) -> ResponseReturnValue:
    """The plugin's stylesheet (the blueprint's URL has the event in it, so no static_folder)."""
    return send_from_directory(STATIC, filename, max_age=3600)


def settings_of(event: Event) -> Any:
    """The plugin's settings for ``event``."""
    return stored_settings(event, "exhibitors", ExhibitorSettings)


def floor_of(event: Event) -> tuple[int, int]:
    """The hall's (width, depth) in metres."""
    settings = settings_of(event)
    return settings.floor_width, settings.floor_depth


def visible_event() -> Event:
    """The event, when its catalogue is public or the caller organizes it (404 otherwise)."""
    target = current_event()
    if not settings_of(target).catalogue_public and not is_event_organizer(target):
        abort(404)
    return target


def fresh_search_entries(event: Event) -> None:
    """Bring the search entries up to date before a read (a write in its own transaction).

    A GET's session must not write, so stale entries are rebuilt in a separate transaction;
    the request session's read snapshot is then ended so it sees them.
    """
    session = get_session()
    if not search.needs_refresh(session, event):
        return
    try:
        with get_db().transaction() as writer:
            search.refresh_entries(writer, writer.get(Event, event.id))  # type: ignore[arg-type]
    except IntegrityError:
        pass  # a concurrent request rebuilt the same entries first
    session.commit()


def _query_from_args() -> search.CatalogueQuery:
    organization = request.args.get("organization", type=int)
    return search.CatalogueQuery(
        q=(request.args.get("q") or "").strip()[:200],
        category=request.args.get("category") or None,
        cettar=request.args.get("cettar") or None,
        region=request.args.get("region") or None,
        organization_id=organization if organization and organization > 0 else None,
    )


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """Searchable catalogue of the event's accepted innovations (fixed number of queries)."""
    target = visible_event()
    session = get_session()
    fresh_search_entries(target)
    query = _query_from_args()
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)
    items, total = search.search(
        session, target, query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    booths = services.booth_for_organizations(session, target, [i.organization_id for i in items])
    return render_template(
        "exhibitors/index.html",
        items=items,
        total=total,
        query=query,
        q=query.q,
        category=query.category,
        booths=booths,
        categories=innovations.category_counts(session, target),
        facets=search.facets(session, target),
        cettar_values=cettar.choices(cettar.current_locale()),
        cettar_labels=dict(cettar.choices(cettar.current_locale())),
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
    )


@bp.get("/innovations/<int:innovation_id>")
def innovation(event: str, innovation_id: int) -> ResponseReturnValue:
    """An innovation: its agency, booth on a mini map, documents and a QR code to print."""
    target = visible_event()
    session = get_session()
    try:
        item = innovations.get_accepted(session, target, innovation_id)
    except NotFound:
        abort(404)
    booths = services.list_booths(session, target)
    booth = next((b for b in booths if b.organization_id == item.organization_id), None)
    mini_map = (
        Markup(
            floorplan.render_svg(
                target.slug,
                booths,
                floor_of(target),
                highlighted={booth.id},
                title=item.organization.name,
            )
        )
        if booth
        else None
    )
    url = external_url("exhibitors.innovation", event=target.slug, innovation_id=item.id)
    qr = Markup(segno.make(url, error="m").svg_inline(border=2, omitsize=True))
    document = session.get(Upload, item.document_upload_id) if item.document_upload_id else None
    profile = profiles.get_profile(session, target, item.organization_id)
    return render_template(
        "exhibitors/innovation.html",
        item=item,
        booth=booth,
        mini_map=mini_map,
        qr=qr,
        url=url,
        document=document,
        profile=profile,
        actions=innovation_actions(registry(), session, target, item),
        history=_history(session, item.id),
    )


def _history(session: Any, innovation_id: int) -> Any:
    """The innovation's years for its page (``None`` when its event is not public)."""
    try:
        return history.history(session, registry(), innovation_id, public=True)
    except NotFound:
        return None


@bp.get("/innovations/<int:innovation_id>/qr.svg")
def innovation_qr(event: str, innovation_id: int) -> ResponseReturnValue:
    """The innovation's QR code alone, as an SVG file to print at the booth."""
    target = visible_event()
    try:
        item = innovations.get_accepted(get_session(), target, innovation_id)
    except NotFound:
        abort(404)
    url = external_url("exhibitors.innovation", event=target.slug, innovation_id=item.id)
    svg = segno.make(url, error="m").svg_inline(border=2, scale=8)
    return Response(svg, mimetype="image/svg+xml")


def _send_upload(upload: Upload | None) -> ResponseReturnValue:
    """Send a stored file (see :func:`core.files.send_upload`); 404 when it is missing."""
    return send_upload(upload)


@bp.get("/innovations/<int:innovation_id>/document")
def innovation_document(event: str, innovation_id: int) -> ResponseReturnValue:
    """The innovation's document, downloaded as an attachment."""
    target = visible_event()
    session = get_session()
    try:
        item = innovations.get_accepted(session, target, innovation_id)
    except NotFound:
        abort(404)
    upload = session.get(Upload, item.document_upload_id) if item.document_upload_id else None
    return _send_upload(upload)


@bp.get("/logos/<int:organization_id>")
def logo(event: str, organization_id: int) -> ResponseReturnValue:
    """An exhibitor's logo (checked as PNG or JPEG when uploaded)."""
    target = current_event()
    session = get_session()
    profile = profiles.get_profile(session, target, organization_id)
    logo_id = profile.logo_upload_id if profile else None
    return _send_upload(session.get(Upload, logo_id) if logo_id else None)


ZONED_FROM = 300  # from this many booths the floor plan is shown one zone at a time


def _zone_arg() -> str | None:
    """The ``?zone=`` asked for (``None`` when absent)."""
    zone = request.args.get("zone")
    return None if zone is None else zone.strip()[:60]


@bp.get("/floor-plan")
def floor_plan(event: str) -> ResponseReturnValue:
    """The public floor plan; ``?highlight=`` finds an agency, innovation or booth code.

    A large floor (:data:`ZONED_FROM` booths or more) shows its zones with their counts
    (a list and an overview drawing); ``?zone=`` draws one zone, and a search jumps to the
    zone of the first booth found.  Only the booths drawn are read.
    """
    target = visible_event()
    session = get_session()
    fresh_search_entries(target)
    term = (request.args.get("highlight") or "").strip()[:200]
    paper = "a4" if request.args.get("paper") == "a4" else "a3"
    zone = _zone_arg()
    outlines = services.zone_outlines(session, target)
    zoned = sum(outline.booths for outline in outlines) >= ZONED_FROM
    found = []
    if term:
        organizations = search.matching_organizations(session, target, term)
        found = services.find_booths(session, target, organizations, term)
    if zoned and zone is None and found:
        zone = found[0].zone
    if zoned and zone is None:
        booths = []
        svg = Markup(floorplan.render_zones_svg(target.slug, outlines, floor_of(target)))
    else:
        booths = services.list_booths(session, target, zone=zone if zoned else None)
        highlighted = {b.id for b in found}
        svg = Markup(
            floorplan.render_svg(
                target.slug, booths, floor_of(target), highlighted=highlighted, fit=zoned
            )
        )
    zones: dict[str, list[Any]] = {}
    for booth in booths:
        zones.setdefault(booth.zone, []).append(booth)
    counts = [(o.name, o.booths, o.taken) for o in outlines] if zoned else []
    return render_template(
        "exhibitors/floor_plan.html",
        svg=svg,
        term=term,
        found=found,
        zones=sorted(zones.items()),
        zone_counts=counts,
        zone=zone,
        paper=paper,
    )


@bp.get("/floor-plan.svg")
def floor_plan_svg(event: str) -> ResponseReturnValue:
    """The floor plan as a standalone SVG file (print shops, PDF conversion).

    A large floor (:data:`ZONED_FROM` booths or more) gives the zones overview, each zone
    linking to its own file (``?zone=``); ``?all=1`` draws every booth at once.
    """
    target = visible_event()
    session = get_session()
    zone = _zone_arg()
    everything = request.args.get("all") == "1"
    name = target.slug
    if zone is not None:
        booths = services.list_booths(session, target, zone=zone)
        title = f"{target.name} · {zone or _('No zone')}"
        svg = floorplan.render_svg(
            target.slug, booths, floor_of(target), title=title, standalone=True, fit=True
        )
        name = f"{target.slug}-{_slug_part(zone)}"
    else:
        outlines = [] if everything else services.zone_outlines(session, target)
        if not everything and sum(outline.booths for outline in outlines) >= ZONED_FROM:
            svg = floorplan.render_zones_svg(
                target.slug, outlines, floor_of(target), title=target.name, standalone=True
            )
        else:
            booths = services.list_booths(session, target)
            svg = floorplan.render_svg(
                target.slug, booths, floor_of(target), title=target.name, standalone=True
            )
    return Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="{name}-floor-plan.svg"'},
    )


def _slug_part(text: str) -> str:
    """``text`` reduced to letters, digits and dashes for a file name ("zone" if empty)."""
    cleaned = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower()).strip("-")
    return "-".join(part for part in cleaned.split("-") if part) or "zone"


@bp.get("/agencies/<int:organization_id>")
def agency(event: str, organization_id: int) -> ResponseReturnValue:
    """An exhibitor's public profile with its booth and innovations."""
    target = visible_event()
    session = get_session()
    fresh_search_entries(target)
    exhibitor = next(
        (
            e
            for e in services.list_exhibitors(session, target)
            if e.organization.id == organization_id
        ),
        None,
    )
    if exhibitor is None:
        abort(404)
    items, _total = search.search(
        session, target, search.CatalogueQuery(organization_id=organization_id), limit=200
    )
    return render_template(
        "exhibitors/agency.html",
        exhibitor=exhibitor,
        profile=profiles.get_profile(session, target, organization_id),
        items=items,
        agency_years=history.agency_innovations(session, organization_id, public=True),
    )


from plugins.exhibitors import console, portal  # noqa: E402,F401  (register their routes)

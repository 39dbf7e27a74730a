"""The floor plan as server-side SVG: booths as labelled links, optional highlighting."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for

from plugins.exhibitors.models import Booth
from plugins.exhibitors.services import ZoneOutline

SCALE = 20  # SVG units per metre
MARGIN = 1  # metres of floor left around a zone drawn on its own


@dataclass(frozen=True)
class BoothShape:
    """A booth ready to draw: rectangle in SVG units, label, link and state."""

    code: str
    zone: str
    x: int
    y: int
    width: int
    height: int
    label: str
    holder: str
    href: str
    highlighted: bool
    font_size: float


def shapes(
    event_slug: str,
    booths: list[Booth],
    highlighted: set[int] | frozenset[int] = frozenset(),
    *,
    zone_links: bool = False,
) -> list[BoothShape]:
    """Drawable booths; a taken booth links to its agency's innovations in the catalogue.

    A free booth links to itself on the floor plan page (on its zone's page when
    ``zone_links``, as a large floor is shown one zone at a time).
    """
    result = []
    for booth in booths:
        holder = booth.organization.name if booth.organization else ""
        if booth.organization_id:
            href = url_for("exhibitors.index", event=event_slug, organization=booth.organization_id)
        else:
            zone = booth.zone if zone_links else None
            href = url_for("exhibitors.floor_plan", event=event_slug, zone=zone)
            href += f"#booth-{booth.code}"
        width, height = booth.width * SCALE, booth.height * SCALE
        result.append(
            BoothShape(
                code=booth.code,
                zone=booth.zone,
                x=booth.x * SCALE,
                y=booth.y * SCALE,
                width=width,
                height=height,
                label=booth.code,
                holder=holder,
                href=href,
                highlighted=booth.id in highlighted,
                font_size=round(
                    max(min(width / max(len(booth.code), 2) * 1.2, height / 2.5), 6), 1
                ),
            )
        )
    return result


def view_box(booths: list[Booth], floor: tuple[int, int], *, fit: bool) -> tuple[int, ...]:
    """The drawing's ``(x, y, width, height)`` in SVG units: the whole floor, or with ``fit``
    the booths' bounding box plus :data:`MARGIN` metres (kept on the floor)."""
    if not fit or not booths:
        return 0, 0, floor[0] * SCALE, floor[1] * SCALE
    x0 = max(min(b.x for b in booths) - MARGIN, 0)
    y0 = max(min(b.y for b in booths) - MARGIN, 0)
    x1 = min(max(b.x + b.width for b in booths) + MARGIN, max(floor[0], 1))
    y1 = min(max(b.y + b.height for b in booths) + MARGIN, max(floor[1], 1))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    return x0 * SCALE, y0 * SCALE, (x1 - x0) * SCALE, (y1 - y0) * SCALE


def render_svg(
    event_slug: str,
    booths: list[Booth],
    floor: tuple[int, int],
    *,
    highlighted: set[int] | frozenset[int] = frozenset(),
    title: str = "",
    standalone: bool = False,
    fit: bool = False,
) -> str:
    """The floor plan SVG markup (``standalone`` adds the XML declaration and namespace).

    ``fit`` frames the drawing on the booths given (one zone of a large floor) instead of
    the whole hall; their free booths then link to the zone's page.
    """
    box = view_box(booths, floor, fit=fit)
    return render_template(
        "exhibitors/floorplan.svg",
        booths=shapes(event_slug, booths, highlighted, zone_links=fit),
        view_box=" ".join(str(n) for n in box),
        width=floor[0] * SCALE,
        height=floor[1] * SCALE,
        title=title,
        standalone=standalone,
    )


@dataclass(frozen=True)
class ZoneShape:
    """A zone ready to draw on the overview: rectangle in SVG units, counts and link."""

    name: str
    x: int
    y: int
    width: int
    height: int
    booths: int
    taken: int
    href: str
    font_size: float


def render_zones_svg(
    event_slug: str,
    outlines: list[ZoneOutline],
    floor: tuple[int, int],
    *,
    title: str = "",
    standalone: bool = False,
) -> str:
    """The overview of a large floor: one labelled rectangle per zone, linking to the zone.

    Its size does not grow with the number of booths (a national exhibition's 1,500 booths
    are drawn zone by zone); ``standalone`` links to each zone's SVG file instead of its page.
    """
    endpoint = "exhibitors.floor_plan_svg" if standalone else "exhibitors.floor_plan"
    zones = []
    for outline in outlines:
        width, height = outline.width * SCALE, outline.height * SCALE
        zones.append(
            ZoneShape(
                name=outline.name,
                x=outline.x * SCALE,
                y=outline.y * SCALE,
                width=width,
                height=height,
                booths=outline.booths,
                taken=outline.taken,
                href=url_for(endpoint, event=event_slug, zone=outline.name),
                font_size=round(max(min(width / max(len(outline.name), 4), height / 4), 12), 1),
            )
        )
    return render_template(
        "exhibitors/floorplan_zones.svg",
        zones=zones,
        width=floor[0] * SCALE,
        height=floor[1] * SCALE,
        title=title,
        standalone=standalone,
    )

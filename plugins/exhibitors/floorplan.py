"""The floor plan as server-side SVG: booths as labelled links, optional highlighting."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for

from plugins.exhibitors.models import Booth
from plugins.exhibitors.services import ZoneOutline

SCALE = 20  # SVG units per metre


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
    event_slug: str, booths: list[Booth], highlighted: set[int] | frozenset[int] = frozenset()
) -> list[BoothShape]:
    """Drawable booths; a taken booth links to its agency's innovations in the catalogue."""
    result = []
    for booth in booths:
        holder = booth.organization.name if booth.organization else ""
        if booth.organization_id:
            href = url_for("exhibitors.index", event=event_slug, organization=booth.organization_id)
        else:
            href = url_for("exhibitors.floor_plan", event=event_slug) + f"#booth-{booth.code}"
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


def render_svg(
    event_slug: str,
    booths: list[Booth],
    floor: tuple[int, int],
    *,
    highlighted: set[int] | frozenset[int] = frozenset(),
    title: str = "",
    standalone: bool = False,
) -> str:
    """The floor plan SVG markup (``standalone`` adds the XML declaration and namespace)."""
    return render_template(
        "exhibitors/floorplan.svg",
        booths=shapes(event_slug, booths, highlighted),
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

"""The floor plan as server-side SVG: booths as labelled links, optional highlighting."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for

from plugins.exhibitors.models import Booth

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

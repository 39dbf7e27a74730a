"""Whole-layout operations: copying a hall to a cloned event and the demo hall."""

from __future__ import annotations

import contextlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event
from core.plugin_helpers import stored_settings
from plugins.exhibitors import search, services
from plugins.exhibitors.models import Booth, Zone
from plugins.exhibitors.settings import ExhibitorSettings

BOOTH_SIZE = 3
PITCH = 4  # booth plus a one-metre aisle


def copy_layout(session: Session, source: Event, target: Event) -> None:
    """Copy ``source``'s zones and booths to ``target`` with no exhibitor assigned."""
    for zone in session.scalars(select(Zone).where(Zone.event_id == source.id)):
        session.add(
            Zone(
                event_id=target.id,
                name=zone.name,
                preferred_kind=zone.preferred_kind,
                preferred_category=zone.preferred_category,
            )
        )
    for booth in session.scalars(select(Booth).where(Booth.event_id == source.id)):
        session.add(
            Booth(
                event_id=target.id,
                code=booth.code,
                zone=booth.zone,
                x=booth.x,
                y=booth.y,
                width=booth.width,
                height=booth.height,
            )
        )
    session.flush()


def grid_specs(count: int, floor: tuple[int, int]) -> list[services.BoothSpec]:
    """Up to ``count`` 3 by 3 m booths in rows with aisles; left half zone A, right half B."""
    columns = max((floor[0] - 1) // PITCH, 1)
    rows = max((floor[1] - 1) // PITCH, 1)
    specs: list[services.BoothSpec] = []
    for row in range(rows):
        for column in range(columns):
            if len(specs) >= count:
                return specs
            zone = "A" if column < columns // 2 else "B"
            number = sum(1 for s in specs if s.zone == zone) + 1
            specs.append(
                services.BoothSpec(
                    f"{zone}{number:02d}",
                    zone,
                    1 + column * PITCH,
                    1 + row * PITCH,
                    BOOTH_SIZE,
                    BOOTH_SIZE,
                )
            )
    return specs


def demo_layout(session: Session, event: Event) -> None:
    """Zones A (government agencies) and B, a booth per exhibitor plus spares, assigned.

    An event cloned with its hall keeps the copied booths and its exhibitors get them;
    exhibitors that already hold a booth keep it, so a second run changes nothing.
    """
    search.refresh_entries(session, event)
    if not session.scalar(select(Booth.id).where(Booth.event_id == event.id).limit(1)):
        settings = stored_settings(event, "exhibitors", ExhibitorSettings)
        floor = (settings.floor_width, settings.floor_depth)  # type: ignore[attr-defined]
        services.save_zone(session, event, "A", preferred_kind="government")
        services.save_zone(session, event, "B")
        exhibitors = len(services.list_exhibitors(session, event))
        for spec in grid_specs(exhibitors + max(exhibitors // 10, 2), floor):
            services.add_booth(session, event, spec, floor=floor)
    if all(e.booth is not None for e in services.list_exhibitors(session, event)):
        return
    # A hall too small for every demo agency keeps its booths unassigned.
    with contextlib.suppress(services.Conflict):
        services.auto_assign(session, event)

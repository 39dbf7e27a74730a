"""The public agenda as a rooms-by-time grid per day, and the "jump to now" anchor (pure).

Rows are 5-minute steps from the day's start; a time label every 15 minutes carries the
anchor ``sym-slot-<day>-<HHMM>`` that "jump to now" points at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

STEP = 5  # minutes per grid row
LABEL_EVERY = 15  # minutes per time label (and per "now" anchor)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def slot_anchor(day: date, minutes: int) -> str:
    """The id of the time label at ``minutes`` after midnight of ``day``."""
    return f"sym-slot-{day.isoformat()}-{minutes // 60:02d}{minutes % 60:02d}"


@dataclass
class GridCell:
    """One session placed in the grid (CSS grid lines, 1-based; row 1 is the room header)."""

    item: dict[str, Any]
    column: int
    row: int
    span: int


@dataclass
class TimeLabel:
    """A time label on the left of the grid."""

    text: str
    anchor: str
    row: int
    span: int


@dataclass
class DayGrid:
    """The grid of one day: rooms as columns, 5-minute rows, labels and cells."""

    day: date
    rooms: list[Any]
    rows: int
    labels: list[TimeLabel] = field(default_factory=list)
    cells: list[GridCell] = field(default_factory=list)


def day_grid(
    day: date, starts: time, ends: time, rooms: list[Any], items: list[dict[str, Any]]
) -> DayGrid:
    """Lay out ``items`` (decorated with local ``start``/``end``/``day``) of ``day``."""
    first, last = _minutes(starts), _minutes(ends)
    rows = max(1, math.ceil((last - first) / STEP))
    grid = DayGrid(day=day, rooms=rooms, rows=rows)
    for minute in range(first - first % LABEL_EVERY, last, LABEL_EVERY):
        top = max(minute, first)
        row = (top - first) // STEP + 2
        span = max(1, (min(minute + LABEL_EVERY, last) - top) // STEP)
        text = f"{minute // 60:02d}:{minute % 60:02d}"
        grid.labels.append(TimeLabel(text, slot_anchor(day, minute), row, span))
    columns = {room.id: index + 2 for index, room in enumerate(rooms)}
    for item in items:
        room = item.get("room")
        if item.get("day") != day or not room or room["id"] not in columns:
            continue
        begin = max(_minutes(item["start"].time()), first) - first
        finish = min(begin + item["duration_minutes"], last - first)
        span = max(1, math.ceil((finish - begin) / STEP))
        top = min(begin // STEP, rows - 1) + 2
        grid.cells.append(GridCell(item, columns[room["id"]], top, min(span, rows - top + 2)))
    return grid


@dataclass(frozen=True)
class Jump:
    """Where "jump to now" leads: the day, the grid's time slot and the card to show."""

    day: date
    anchor: str
    card_id: int | None


def jump_to_now(
    moment: datetime,
    timezone: str,
    days: list[date],
    starts: time,
    ends: time,
    items: list[dict[str, Any]],
) -> Jump | None:
    """The current slot while the event runs (an event day within its hours), else ``None``."""
    local = moment.astimezone(ZoneInfo(timezone))
    now = local.hour * 60 + local.minute
    if local.date() not in days or not _minutes(starts) <= now < _minutes(ends):
        return None
    card = next(
        (
            i["id"]
            for i in items
            if i.get("day") == local.date() and i.get("end") is not None and i["end"] > local
        ),
        None,
    )
    return Jump(local.date(), slot_anchor(local.date(), now - now % LABEL_EVERY), card)

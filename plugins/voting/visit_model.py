"""The rules of judges' booth visits (pure, no database): the data, the open hours, the checks.

A visit lasts ``minutes`` and starts on a ``GRID_MINUTES`` grid inside one of the frame's
open intervals (the window itself, or each day's exhibition hours within it: the nights are
never open).  A judge is busy while speaking or moderating in a symposium session, a booth
while its agency presents; both keep the ``changeover`` as a margin (walking to and from the
stage).  Between two visits of the same judge lies at least the changeover, plus the walk
when the booths are in different zones (``WALK_METRES_PER_MINUTE`` over the distance between
the booths' centres).  Two visits at the same booth never overlap (one judge at a time).

:func:`clashes` checks one visit against these rules (a manual move, a visit a change broke);
:mod:`plugins.voting.visit_planner` searches a plan that breaks none.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

GRID_MINUTES = 5
WALK_METRES_PER_MINUTE = 50.0

# Reasons a visit is left out (machine codes; messages in plugins.voting.visits).
WINDOW_TOO_SHORT = "window_too_short"
JUDGE_BUSY = "judge_busy"
AGENCY_PRESENTING = "agency_presenting"
NO_BOOTH = "no_booth"
BLOCKED_BY_KEPT = "blocked_by_kept_visits"
NO_FREE_SLOT = "no_free_slot"
# Conflicts of one visit (a manual move, a visit a change broke).
OUTSIDE_WINDOW = "outside_window"
JUDGE_ELSEWHERE = "judge_elsewhere"
BOOTH_TAKEN = "booth_taken"


@dataclass(frozen=True)
class Request:
    """One visit to plan: a judge's assignment to an innovation of an agency (its booth)."""

    key: int
    judge: int
    booth: int
    zone: str | None = None
    point: tuple[float, float] | None = None


@dataclass(frozen=True)
class Busy:
    """A busy interval (epoch minutes, end exclusive) and what keeps them busy."""

    low: int
    high: int
    label: str


@dataclass
class Frame:
    """The planning window and everything that constrains it.

    ``hours`` are the open intervals (epoch minutes, end exclusive, in time order) when the
    window is split into daily exhibition hours; ``None`` means the whole window is open.
    """

    starts_at: datetime
    ends_at: datetime
    minutes: int
    changeover: int
    judge_busy: dict[int, list[Busy]] = field(default_factory=dict)
    booth_busy: dict[int, list[Busy]] = field(default_factory=dict)
    grid: int = GRID_MINUTES
    hours: list[tuple[int, int]] | None = None

    def open_intervals(self) -> list[tuple[int, int]]:
        """The open intervals in epoch minutes (the whole window when no daily hours)."""
        if self.hours is not None:
            return self.hours
        return [(minutes_of(self.starts_at), minutes_of(self.ends_at))]

    def starts(self) -> list[int]:
        """Every start on the grid (from each open interval's start) that ends in time."""
        found: list[int] = []
        for low, high in self.open_intervals():
            found.extend(range(low, high - self.minutes + 1, self.grid))
        return found

    def fits(self, start: int) -> bool:
        """Whether a visit starting at ``start`` lies wholly inside one open interval."""
        end = start + self.minutes
        return any(low <= start and end <= high for low, high in self.open_intervals())


@dataclass(frozen=True)
class Unplaced:
    """A visit the planner could not place: reason codes and what blocked it."""

    key: int
    reasons: tuple[str, ...]
    blockers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clash:
    """One conflict of a visit: a code and what it clashes with (a session, another visit)."""

    code: str
    label: str = ""


def minutes_of(moment: datetime) -> int:
    """An aware datetime as whole epoch minutes (floor)."""
    return int(moment.timestamp() // 60)


def moment_of(minute: int) -> datetime:
    """Epoch minutes as an aware UTC datetime."""
    return datetime.fromtimestamp(minute * 60, tz=UTC)


def daily_hours(
    starts_at: datetime, ends_at: datetime, opens: time, closes: time, timezone: str
) -> list[tuple[int, int]]:
    """Each day's exhibition hours (``opens`` to ``closes`` in ``timezone``) within the window.

    The days run from the window's first local date to its last; each day's interval is cut
    to the window and left out when nothing remains.  Epoch minutes, in time order.
    """
    zone = ZoneInfo(timezone)
    day: date = starts_at.astimezone(zone).date()
    last: date = ends_at.astimezone(zone).date()
    window = (minutes_of(starts_at), minutes_of(ends_at))
    found: list[tuple[int, int]] = []
    while day <= last:
        low = max(window[0], minutes_of(datetime.combine(day, opens, zone)))
        high = min(window[1], minutes_of(datetime.combine(day, closes, zone)))
        if low < high:
            found.append((low, high))
        day += timedelta(days=1)
    return found


def travel(a: Request, b: Request, changeover: int) -> int:
    """Minutes a judge needs between visits ``a`` and ``b``: changeover, plus any walk."""
    if a.zone is None or b.zone is None or a.zone == b.zone:
        return changeover
    if a.point is None or b.point is None:
        return changeover
    distance = math.dist(a.point, b.point)
    return changeover + math.ceil(distance / WALK_METRES_PER_MINUTE)


def clashes(
    request: Request,
    start: int,
    frame: Frame,
    others: Iterable[tuple[Request, int]],
) -> list[Clash]:
    """Every rule a visit of ``request`` at ``start`` (epoch minutes) breaks.

    ``others`` are the other visits (request, start) that stay.  Used for a manual move and
    to find the visits a moved session or booth broke.
    """
    end = start + frame.minutes
    found: list[Clash] = []
    if not frame.fits(start):
        found.append(Clash(OUTSIDE_WINDOW))
    gap = frame.changeover
    for code, busy in (
        (JUDGE_BUSY, frame.judge_busy.get(request.judge, [])),
        (AGENCY_PRESENTING, frame.booth_busy.get(request.booth, [])),
    ):
        for item in busy:
            if start < item.high + gap and item.low < end + gap:
                found.append(Clash(code, item.label))
    for other, other_start in others:
        if other.key == request.key:
            continue
        other_end = other_start + frame.minutes
        if other.judge == request.judge:
            need = travel(request, other, frame.changeover)
            if start < other_end + need and other_start < end + need:
                found.append(Clash(JUDGE_ELSEWHERE, str(other.key)))
                continue
        if other.booth == request.booth and start < other_end and other_start < end:
            found.append(Clash(BOOTH_TAKEN, str(other.key)))
    return found


def suggested_minutes(
    busiest: int, open_minutes: int, changeover: int, choices: tuple[int, ...] = (20, 15, 10)
) -> int:
    """The longest visit of ``choices`` with which the busiest judge's visits (and their
    changeovers) take at most four fifths of the open time; the shortest when none does."""
    for minutes in choices:
        if busiest * (minutes + changeover) * 5 <= open_minutes * 4:
            return minutes
    return choices[-1]

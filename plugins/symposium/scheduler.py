"""Automatic scheduling: a backtracking search with forward checking (pure, no database).

Model: every unplaced session is a variable; its values are (room, start) pairs with starts
on a ``GRID_MINUTES`` grid inside the programme's hours of each event day.  Sessions that
are already placed (fixed or not) stay where they are and only narrow the others' domains.

* A domain is kept per room as a bit mask over the grid's starts, so pruning is a few
  integer operations.  The initial domain keeps only starts where the session fits the
  day's hours and lies inside every speaker's availability (when they gave any).
* Variable order: most constrained first (fewest values left), ties broken by the most
  shared speakers, then the longest session.
* Value order: rooms big enough for the expected audience first (smallest such room
  first), earliest time of day first with the days interleaved (so the programme spreads
  over the days), and a start where the session's track does not run in parallel first.
* Forward checking: a placement removes the overlapping starts of its room from every
  other session, and the starts closer than ``buffer_minutes`` from every session sharing
  a speaker; a domain that empties undoes the placement at once.
* The search restarts with shuffled tie-breaking when a node budget runs out.  If no
  complete schedule is found, a greedy pass places what it can and the rest is reported
  with a reason.

Room capacity and track spreading are preferences, never reasons to leave a session out.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from plugins.symposium.conflicts import Programme, Slot

GRID_MINUTES = 15
ATTEMPTS = 8


@dataclass(frozen=True)
class Unplaced:
    """A session the scheduler could not place, with a machine reason."""

    session_id: int
    reason: str


@dataclass
class Result:
    """What the scheduler decided: new placements and the sessions left out."""

    placements: dict[int, tuple[int, datetime]] = field(default_factory=dict)
    unplaced: list[Unplaced] = field(default_factory=list)
    complete: bool = True
    nodes: int = 0


def _minutes(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def _range_mask(low: int, high: int) -> int:
    """Bits ``low`` … ``high - 1`` set."""
    if high <= low:
        return 0
    return ((1 << high) - 1) ^ ((1 << low) - 1)


class _Search:
    """State of one scheduling run (see the module docstring)."""

    def __init__(
        self,
        slots: Sequence[Slot],
        programme: Programme,
        room_ids: Sequence[int],
        grid_minutes: int,
    ) -> None:
        self.programme = programme
        self.rooms = list(room_ids)
        self.grid = grid_minutes
        self.starts: list[int] = []
        self.day_close: list[int] = []
        self.day_of: list[int] = []
        self.step_of: list[int] = []
        for day_index, day in enumerate(sorted(programme.days)):
            opens, closes = programme.day_window(day)
            first, last = _minutes(opens), _minutes(closes)
            for step, minute in enumerate(range(first, last, grid_minutes)):
                self.starts.append(minute)
                self.day_close.append(last)
                self.day_of.append(day_index)
                self.step_of.append(step)
        self.time_order = sorted(
            range(len(self.starts)), key=lambda j: (self.step_of[j], self.day_of[j])
        )
        self.fixed = [s for s in slots if s.starts_at is not None and s.room_id is not None]
        self.todo = [s for s in slots if s.starts_at is None or s.room_id is None]
        self.index = {s.session_id: i for i, s in enumerate(self.todo)}
        self.neighbours: list[list[int]] = [[] for _ in self.todo]
        by_speaker: dict[int, list[int]] = {}
        for i, slot in enumerate(self.todo):
            for speaker in slot.speaker_ids:
                by_speaker.setdefault(speaker, []).append(i)
        for members in by_speaker.values():
            for i in members:
                self.neighbours[i].extend(m for m in members if m != i)
        self.neighbours = [sorted(set(n)) for n in self.neighbours]
        self.track_busy: dict[int, list[tuple[int, int]]] = {}
        self.room_busy: list[list[tuple[int, int]]] = [[] for _ in self.rooms]
        self.day_bounds = [
            (_minutes(opens), _minutes(closes))
            for opens, closes in (programme.day_window(day) for day in sorted(programme.days))
        ]
        self.reset_tracks()
        self.room_order = [self._room_preference(slot) for slot in self.todo]
        # conflict weights (dom/wdeg): how often a session's domain emptied in the search
        self.weights = [1] * len(self.todo)
        self.nodes = 0

    def reset_tracks(self) -> None:
        """Forget the tracks' and rooms' busy times except those of the placed sessions."""
        self.track_busy = {}
        self.room_busy = [[] for _ in self.rooms]
        for slot in self.fixed:
            if slot.room_id in self.rooms and slot.starts_at is not None:
                start = _minutes(slot.starts_at)
                insort(
                    self.room_busy[self.rooms.index(slot.room_id)],
                    (start, start + slot.duration_minutes),
                )
        for slot in self.fixed:
            if slot.track_id is not None:
                assert slot.starts_at is not None
                start = _minutes(slot.starts_at)
                self.track_busy.setdefault(slot.track_id, []).append(
                    (start, start + slot.duration_minutes)
                )

    # -- domains ---------------------------------------------------------------------
    def _forbidden(self, low: int, high: int, duration: int, gap: int) -> int:
        """Starts of a ``duration`` session closer than ``gap`` to the interval [low, high)."""
        first = bisect_right(self.starts, low - duration - gap)
        last = bisect_left(self.starts, high + gap)
        return _range_mask(first, last)

    def _window_mask(self, low: int, high: int, duration: int) -> int:
        """Starts where a ``duration`` session lies within [low, high]."""
        first = bisect_left(self.starts, low)
        last = bisect_right(self.starts, high - duration)
        return _range_mask(first, last)

    def initial_domains(self) -> tuple[list[list[int]], list[str]]:
        """Each session's room masks, and why a domain is empty ('' when it is not)."""
        domains: list[list[int]] = []
        reasons: list[str] = []
        for slot in self.todo:
            duration = slot.duration_minutes
            fits = 0
            for j, start in enumerate(self.starts):
                if start + duration <= self.day_close[j]:
                    fits |= 1 << j
            for speaker in slot.speaker_ids:
                windows = self.programme.availability.get(speaker) or []
                if windows:
                    allowed = 0
                    for low, high in windows:
                        allowed |= self._window_mask(_minutes(low), _minutes(high), duration)
                    fits &= allowed
            reason = "" if fits else "no_time_available"
            masks = [fits for _ in self.rooms]
            for other in self.fixed:
                assert other.starts_at is not None
                low = _minutes(other.starts_at)
                high = low + other.duration_minutes
                if other.room_id in self.rooms:
                    r = self.rooms.index(other.room_id)
                    masks[r] &= ~self._forbidden(low, high, duration, 0)
                if slot.speaker_ids & other.speaker_ids:
                    block = ~self._forbidden(low, high, duration, self.programme.buffer_minutes)
                    masks = [m & block for m in masks]
            if not reason and not any(masks):
                reason = "blocked_by_placed_sessions"
            if not self.rooms:
                reason = "no_rooms"
            domains.append(masks)
            reasons.append(reason)
        return domains, reasons

    def _room_preference(self, slot: Slot) -> list[int]:
        caps = self.programme.room_capacities
        big_enough = sorted(
            (r for r, room in enumerate(self.rooms) if caps.get(room, 0) >= slot.expected_audience),
            key=lambda r: (caps.get(self.rooms[r], 0), r),
        )
        too_small = sorted(
            (r for r in range(len(self.rooms)) if r not in big_enough),
            key=lambda r: (-caps.get(self.rooms[r], 0), r),
        )
        return big_enough + too_small

    # -- search ----------------------------------------------------------------------
    def _gaps(self, r: int, j: int, duration: int) -> tuple[int, int]:
        """Free minutes left before and after a session at start ``j`` in room ``r``."""
        low, high = self.starts[j], self.starts[j] + duration
        opens = low - self.step_of[j] * self.grid
        busy = self.room_busy[r]
        k = bisect_left(busy, (low, low))
        before = low - max([opens] + ([busy[k - 1][1]] if k else []))
        after = min([self.day_close[j]] + ([busy[k][0]] if k < len(busy) else [])) - high
        return before, after

    def _values(self, v: int, masks: list[int], shortest: int) -> Iterator[tuple[int, int]]:
        """(room index, start index) pairs in preference order.

        First the starts that leave no unusable gap (shorter than ``shortest``, the shortest
        session still to place) in the room and do not put the session's track in
        parallel with itself; then the others.
        """
        slot = self.todo[v]
        duration = slot.duration_minutes
        busy = self.track_busy.get(slot.track_id, []) if slot.track_id is not None else []
        postponed: list[tuple[int, int, int]] = []
        caps = self.programme.room_capacities
        fitting = [
            r for r in self.room_order[v] if caps.get(self.rooms[r], 0) >= slot.expected_audience
        ]
        groups = [fitting, [r for r in self.room_order[v] if r not in fitting]]
        for rank, rooms in enumerate(groups):
            rooms = [r for r in rooms if masks[r]]
            if not rooms:
                continue
            for j in self.time_order:
                bit = 1 << j
                start = self.starts[j]
                parallel = any(low < start + duration and start < high for low, high in busy)
                for r in rooms:
                    if masks[r] & bit:
                        before, after = self._gaps(r, j, duration)
                        waste = sum(g for g in (before, after) if 0 < g < shortest)
                        if parallel or waste:
                            postponed.append((waste + 10_000 * rank, r, j))
                        else:
                            yield r, j
        postponed.sort(key=lambda item: item[0])
        for _, r, j in postponed:
            yield r, j

    def _usable_minutes(self, shortest: int) -> int:
        """Free room time in gaps long enough for the shortest session still to place."""
        total = 0
        for busy in self.room_busy:
            for day_open, day_close in self.day_bounds:
                cursor = day_open
                for low, high in busy:
                    if high <= day_open or low >= day_close:
                        continue
                    if low - cursor >= shortest:
                        total += low - cursor
                    cursor = max(cursor, high)
                if day_close - cursor >= shortest:
                    total += day_close - cursor
        return total

    def run(self, budget: int, rng: random.Random | None) -> dict[int, tuple[int, int]] | None:
        """A complete assignment {variable: (room, start)}, or ``None`` (budget or infeasible)."""
        domains, reasons = self.initial_domains()
        if any(reasons):
            return None
        sizes = [sum(m.bit_count() for m in masks) for masks in domains]
        tiebreak = [
            (len(self.neighbours[i]), self.todo[i].duration_minutes, rng.random() if rng else 0)
            for i in range(len(self.todo))
        ]
        unassigned = set(range(len(self.todo)))
        assignment: dict[int, tuple[int, int]] = {}
        trail: list[tuple[int, int, int]] = []

        def choose() -> int:
            return min(
                unassigned,
                key=lambda i: (
                    sizes[i] / self.weights[i],
                    -tiebreak[i][0],
                    -tiebreak[i][1],
                    tiebreak[i][2],
                    i,
                ),
            )

        def prune(u: int, r: int, forbidden: int) -> None:
            old = domains[u][r]
            removed = old & forbidden
            if removed:
                trail.append((u, r, old))
                domains[u][r] = old & ~forbidden
                sizes[u] -= removed.bit_count()

        def undo(mark: int) -> None:
            while len(trail) > mark:
                u, r, old = trail.pop()
                sizes[u] += (old & ~domains[u][r]).bit_count()
                domains[u][r] = old

        def place(v: int, r: int, j: int) -> bool:
            slot = self.todo[v]
            low = self.starts[j]
            high = low + slot.duration_minutes
            for u in unassigned:
                du = self.todo[u].duration_minutes
                if domains[u][r]:
                    prune(u, r, self._forbidden(low, high, du, 0))
                    if sizes[u] == 0:
                        self.weights[u] += 1
                        return False
            gap = self.programme.buffer_minutes
            for u in self.neighbours[v]:
                if u in unassigned:
                    block = self._forbidden(low, high, self.todo[u].duration_minutes, gap)
                    for room in range(len(self.rooms)):
                        prune(u, room, block)
                    if sizes[u] == 0:
                        self.weights[u] += 1
                        return False
            return True

        def solve() -> bool:
            if not unassigned:
                return True
            if self.nodes >= budget:
                return False
            v = choose()
            unassigned.discard(v)
            slot = self.todo[v]
            rest = [self.todo[u].duration_minutes for u in unassigned]
            shortest = min(rest, default=0)
            needed = sum(rest)
            for r, j in self._values(v, list(domains[v]), shortest):
                self.nodes += 1
                if self.nodes >= budget:
                    break
                mark = len(trail)
                interval = (self.starts[j], self.starts[j] + slot.duration_minutes)
                track = self.track_busy.setdefault(slot.track_id, []) if slot.track_id else None
                if track is not None:
                    track.append(interval)
                insort(self.room_busy[r], interval)
                if (not rest or self._usable_minutes(shortest) >= needed) and place(v, r, j):
                    assignment[v] = (r, j)
                    if solve():
                        return True
                    del assignment[v]
                self.room_busy[r].remove(interval)
                if track is not None:
                    track.pop()
                undo(mark)
            unassigned.add(v)
            return False

        return dict(assignment) if solve() else None

    def greedy(self) -> tuple[dict[int, tuple[int, int]], dict[int, str]]:
        """Place what fits, one session at a time (fallback when no complete schedule)."""
        domains, reasons = self.initial_domains()
        placed: dict[int, tuple[int, int]] = {}
        left: dict[int, str] = {i: reason for i, reason in enumerate(reasons) if reason}
        order = sorted(
            (i for i in range(len(self.todo)) if i not in left),
            key=lambda i: (sum(m.bit_count() for m in domains[i]), -len(self.neighbours[i])),
        )
        gap = self.programme.buffer_minutes
        for v in order:
            slot = self.todo[v]
            choice = next(self._values(v, domains[v], 0), None)
            if choice is None:
                left[v] = "no_free_slot"
                continue
            r, j = choice
            placed[v] = (r, j)
            low, high = self.starts[j], self.starts[j] + slot.duration_minutes
            if slot.track_id is not None:
                self.track_busy.setdefault(slot.track_id, []).append((low, high))
            insort(self.room_busy[r], (low, high))
            for u in range(len(self.todo)):
                du = self.todo[u].duration_minutes
                domains[u][r] &= ~self._forbidden(low, high, du, 0)
            for u in self.neighbours[v]:
                block = ~self._forbidden(low, high, self.todo[u].duration_minutes, gap)
                domains[u] = [m & block for m in domains[u]]
        return placed, left


def schedule(
    slots: Sequence[Slot],
    programme: Programme,
    room_ids: Sequence[int],
    *,
    grid_minutes: int = GRID_MINUTES,
    budget: int | None = None,
    seed: int = 0,
) -> Result:
    """Place every unplaced slot in ``slots`` without a hard conflict, if at all possible.

    Placed slots stay put.  Returns the new placements (session id → room id, aware UTC
    start) and the sessions left out with a reason: ``no_rooms``, ``no_time_available``
    (the hours, days and speakers' availability leave no start), ``blocked_by_placed_sessions``
    or ``no_free_slot`` (the search found no room for it beside the others).
    """
    search = _Search(slots, programme, room_ids, grid_minutes)
    result = Result()
    if not search.todo:
        return result
    per_attempt = budget or max(5000, 40 * len(search.todo))
    rng = random.Random(seed)
    found: dict[int, tuple[int, int]] | None = None
    for attempt in range(ATTEMPTS):
        search.nodes = 0
        search.reset_tracks()
        if attempt:
            for order in search.room_order:
                rng.shuffle(order)
        found = search.run(per_attempt * (attempt + 1), rng if attempt else None)
        result.nodes += search.nodes
        if found is not None:
            break
        _, reasons = search.initial_domains()
        if any(reasons):
            break
    if found is None:
        search.reset_tracks()
        found, left = search.greedy()
        result.complete = False
        result.unplaced = [
            Unplaced(search.todo[i].session_id, reason) for i, reason in sorted(left.items())
        ]
    for v, (r, j) in found.items():
        moment = datetime.fromtimestamp(search.starts[j] * 60, tz=UTC)
        result.placements[search.todo[v].session_id] = (search.rooms[r], moment)
    return result

"""Random programmes with a known complete schedule (benchmark, property tests, demo data).

A schedule is generated first — rooms filled day by day with sessions of 30 to 90
minutes, speakers chosen among those free (with the buffer), availability windows drawn
around each speaker's sessions — and then the placements are forgotten, except for the
share kept as fixed.  The scheduler must then be able to place every session.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from plugins.symposium.conflicts import Programme, Slot

DURATIONS = (30, 45, 45, 60, 60, 90)


@dataclass
class Generated:
    """A generated programme: the slots to schedule and the schedule they came from."""

    programme: Programme
    room_ids: list[int]
    slots: list[Slot]
    known: dict[int, tuple[int, datetime]]


def feasible_programme(
    rng: random.Random,
    *,
    sessions: int,
    rooms: int,
    days: int,
    speakers: int,
    buffer_minutes: int = 10,
    fixed_share: float = 0.0,
    tracks: int = 6,
    first_day: date = date(2026, 12, 10),
    day_starts: time = time(8, 0),
    day_ends: time = time(17, 0),
    timezone: str = "Asia/Jakarta",
    grid_minutes: int = 15,
) -> Generated:
    """A programme of up to ``sessions`` sessions that has a complete schedule.

    Fewer sessions come back only when the rooms and days cannot hold that many.
    """
    programme = Programme(
        days=[first_day + timedelta(days=i) for i in range(days)],
        timezone=timezone,
        day_starts=day_starts,
        day_ends=day_ends,
        buffer_minutes=buffer_minutes,
        room_names={r: f"Room {r}" for r in range(1, rooms + 1)},
        room_capacities={r: rng.choice((40, 60, 80, 120, 200, 400)) for r in range(1, rooms + 1)},
        speaker_names={s: f"Speaker {s}" for s in range(1, speakers + 1)},
    )
    cursors = {
        (d, r): programme.day_window(day)[0]
        for d, day in enumerate(programme.days)
        for r in range(1, rooms + 1)
    }
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    buffer = timedelta(minutes=buffer_minutes)
    placed: list[tuple[int, datetime, int, frozenset[int]]] = []
    open_pairs = list(cursors)
    while len(placed) < sessions and open_pairs:
        for pair in list(open_pairs):
            if len(placed) >= sessions:
                break
            d, room = pair
            duration = rng.choice(DURATIONS)
            gap = timedelta(minutes=grid_minutes * rng.choice((0, 0, 0, 1)))
            start = cursors[pair] + gap
            end = start + timedelta(minutes=duration)
            if end > programme.day_window(programme.days[d])[1]:
                open_pairs.remove(pair)
                continue
            free = [
                s
                for s in range(1, speakers + 1)
                if all(end + buffer <= a or b + buffer <= start for a, b in busy.get(s, []))
            ]
            chosen = frozenset(rng.sample(free, min(len(free), rng.choice((1, 1, 1, 2, 3)))))
            if not chosen:
                cursors[pair] = end
                continue
            for s in chosen:
                busy.setdefault(s, []).append((start, end))
            placed.append((room, start, duration, chosen))
            cursors[pair] = end
    for s, intervals in busy.items():
        if rng.random() < 0.5:
            continue
        windows = []
        for day in programme.days:
            opens, closes = programme.day_window(day)
            same_day = [(a, b) for a, b in intervals if opens <= a < closes]
            if not same_day:
                continue
            low = max(opens, min(a for a, _ in same_day) - timedelta(minutes=rng.choice((0, 60))))
            high = min(closes, max(b for _, b in same_day) + timedelta(minutes=rng.choice((0, 60))))
            windows.append((low, high))
        programme.availability[s] = windows
    slots: list[Slot] = []
    known: dict[int, tuple[int, datetime]] = {}
    for number, (room, start, duration, chosen) in enumerate(placed, start=1):
        capacity = programme.room_capacities[room]
        audience = rng.randint(0, capacity)
        keep = rng.random() < fixed_share
        slots.append(
            Slot(
                session_id=number,
                title=f"Session {number}",
                duration_minutes=duration,
                speaker_ids=chosen,
                room_id=room if keep else None,
                starts_at=start if keep else None,
                track_id=rng.randint(1, tracks) if tracks else None,
                expected_audience=audience,
            )
        )
        known[number] = (room, start)
    return Generated(programme, list(range(1, rooms + 1)), slots, known)

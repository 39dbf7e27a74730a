"""The automatic scheduler: complete on generated feasible programmes, honest when it is not."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.symposium.conflicts import Programme, Slot, check_placement, hard
from plugins.symposium.generate import feasible_programme
from plugins.symposium.scheduler import schedule

JKT = ZoneInfo("Asia/Jakarta")


def final_slots(slots: list[Slot], placements: dict[int, tuple[int, datetime]]) -> list[Slot]:
    """The slots with the scheduler's placements applied."""
    return [
        s.placed_at(*placements[s.session_id]) if s.session_id in placements else s for s in slots
    ]


def hard_conflicts(slots: list[Slot], frame: Programme) -> list[str]:
    """Every hard conflict of the placed slots."""
    return [c.kind for s in slots if s.starts_at for c in hard(check_placement(s, slots, frame))]


# Derandomized: the same 60 programmes every run (CI must not flip on a draw); the one
# counterexample found so far is pinned below as a known defect.
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    seed=st.integers(0, 10_000),
    sessions=st.integers(1, 40),
    rooms=st.integers(1, 4),
    days=st.integers(1, 3),
    speakers_per_session=st.floats(0.5, 1.5),
    buffer=st.sampled_from([0, 10, 15, 30]),
    fixed_share=st.sampled_from([0.0, 0.1, 0.3]),
)
def test_places_every_session_of_a_feasible_programme(
    seed: int,
    sessions: int,
    rooms: int,
    days: int,
    speakers_per_session: float,
    buffer: int,
    fixed_share: float,
) -> None:
    generated = feasible_programme(
        random.Random(seed),
        sessions=sessions,
        rooms=rooms,
        days=days,
        speakers=max(2, int(sessions * speakers_per_session)),
        buffer_minutes=buffer,
        fixed_share=fixed_share,
    )
    # the generated schedule itself is valid: the programme is feasible
    known = [s.placed_at(*generated.known[s.session_id]) for s in generated.slots]
    assert hard_conflicts(known, generated.programme) == []
    result = schedule(generated.slots, generated.programme, generated.room_ids)
    todo = [s for s in generated.slots if s.starts_at is None]
    assert result.unplaced == []
    assert sorted(result.placements) == sorted(s.session_id for s in todo)
    placed = final_slots(generated.slots, result.placements)
    assert hard_conflicts(placed, generated.programme) == []
    # fixed sessions did not move
    for s in generated.slots:
        if s.starts_at is not None:
            assert s.session_id not in result.placements


@pytest.mark.xfail(
    strict=True,
    reason="known defect: this tight one-room, three-day programme is feasible but the "
    "search needs about 2.4 million nodes; within its budget two sessions stay unplaced",
)
def test_tight_one_room_programme_found_by_hypothesis() -> None:
    generated = feasible_programme(
        random.Random(76),
        sessions=27,
        rooms=1,
        days=3,
        speakers=max(2, int(27 * 0.5625)),
        buffer_minutes=10,
        fixed_share=0.1,
    )
    result = schedule(generated.slots, generated.programme, generated.room_ids)
    assert result.unplaced == []


def test_bench_sized_programme_is_complete() -> None:
    generated = feasible_programme(
        random.Random(7), sessions=300, rooms=12, days=3, speakers=200, fixed_share=0.05
    )
    result = schedule(generated.slots, generated.programme, generated.room_ids)
    assert result.complete and result.unplaced == []
    placed = final_slots(generated.slots, result.placements)
    assert hard_conflicts(placed, generated.programme) == []


def frame() -> Programme:
    """One day 08:00-10:00, one room."""
    return Programme(
        days=[date(2026, 12, 10)],
        timezone="Asia/Jakarta",
        day_starts=time(8),
        day_ends=time(10),
        buffer_minutes=10,
        room_names={1: "Hall"},
        room_capacities={1: 50},
        speaker_names={1: "Ani"},
    )


def test_reports_what_cannot_fit() -> None:
    slots = [Slot(i, f"S{i}", 60) for i in range(1, 4)]
    result = schedule(slots, frame(), [1])
    assert len(result.placements) == 2
    assert [u.reason for u in result.unplaced] == ["no_free_slot"]
    assert not result.complete


def test_reasons_for_impossible_sessions() -> None:
    programme = frame()
    programme.availability[1] = [
        (datetime(2026, 12, 10, 12, tzinfo=JKT), datetime(2026, 12, 10, 13, tzinfo=JKT))
    ]
    slots = [Slot(1, "Too long", 180), Slot(2, "Unavailable", 30, frozenset({1}))]
    result = schedule(slots, programme, [1])
    assert {u.session_id: u.reason for u in result.unplaced} == {
        1: "no_time_available",
        2: "no_time_available",
    }
    assert schedule([Slot(1, "x", 30)], programme, []).unplaced[0].reason == "no_rooms"


def test_placed_sessions_stay_and_block() -> None:
    fixed = Slot(1, "Keynote", 120, frozenset(), 1, datetime(2026, 12, 10, 8, tzinfo=JKT))
    result = schedule([fixed, Slot(2, "Talk", 30)], frame(), [1])
    assert 1 not in result.placements
    assert [u.reason for u in result.unplaced] == ["blocked_by_placed_sessions"]


def test_prefers_rooms_big_enough_and_spreads_tracks() -> None:
    programme = frame()
    programme.room_names[2] = "Studio"
    programme.room_capacities[2] = 10
    slots = [
        Slot(1, "Big", 60, expected_audience=40, track_id=1),
        Slot(2, "Same track", 60, track_id=1),
    ]
    result = schedule(slots, programme, [2, 1])
    assert result.placements[1][0] == 1  # the big session gets the big room
    assert result.placements[1][1] != result.placements[2][1]  # not in parallel

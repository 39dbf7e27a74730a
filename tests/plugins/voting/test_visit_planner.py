"""The visit planner alone (no database): rules, reasons, determinism and completeness."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, time, timedelta

from plugins.voting import visit_model as vm
from plugins.voting import visit_planner as vp

START = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta
JAKARTA = "Asia/Jakarta"


def frame(hours: float = 2, minutes: int = 20, changeover: int = 5, **busy: object) -> vm.Frame:
    """A window from 09:00 lasting ``hours``."""
    return vm.Frame(
        START,
        START + timedelta(hours=hours),
        minutes,
        changeover,
        busy.get("judges", {}),  # type: ignore[arg-type]
        busy.get("booths", {}),  # type: ignore[arg-type]
    )


def at(minutes: int) -> int:
    """Epoch minutes ``minutes`` after the window opens."""
    return vm.minutes_of(START) + minutes


def verify(requests: list[vm.Request], f: vm.Frame, placements: dict[int, datetime]) -> None:
    """Every placed visit keeps every rule against the others."""
    placed = [(r, vm.minutes_of(placements[r.key])) for r in requests if r.key in placements]
    for request, start in placed:
        assert vm.clashes(request, start, f, placed) == [], (request, start)


def test_every_visit_placed_without_breaking_a_rule() -> None:
    requests = [vm.Request(k, judge=k % 3, booth=k % 4) for k in range(1, 13)]
    f = frame(hours=3)
    result = vp.plan(requests, f)
    assert result.complete and not result.unplaced
    assert sorted(result.placements) == list(range(1, 13))
    verify(requests, f, result.placements)


def test_no_visit_while_the_judge_is_on_stage_nor_the_agency_presents() -> None:
    judges = {1: [vm.Busy(at(0), at(60), "Panel")]}
    booths = {7: [vm.Busy(at(60), at(90), "Talk")]}
    f = frame(hours=2, judges=judges, booths=booths)
    requests = [vm.Request(1, judge=1, booth=7), vm.Request(2, judge=2, booth=7)]
    result = vp.plan(requests, f)
    assert result.complete
    for key, start in result.placements.items():
        minute = vm.minutes_of(start)
        end = minute + 20
        assert not (minute < at(90) + 5 and at(60) - 5 < end)  # agency presenting (+changeover)
        if key == 1:
            assert minute >= at(60) + 5  # the judge walks off the stage first
    verify(requests, f, result.placements)


def test_changeover_is_longer_between_zones_far_apart() -> None:
    near = vm.Request(1, judge=1, booth=1, zone="A", point=(0, 0))
    far = vm.Request(2, judge=1, booth=2, zone="B", point=(500, 0))
    assert vm.travel(near, far, 5) == 5 + 10  # 500 m at 50 m a minute
    same = vm.Request(3, judge=1, booth=3, zone="A", point=(40, 0))
    assert vm.travel(near, same, 5) == 5
    f = frame(hours=1, minutes=20, changeover=5)
    # 20 + 15 + 20 = 55 minutes: fits; both placed and 15 minutes apart at least
    result = vp.plan([near, far], f)
    starts = sorted(vm.minutes_of(s) for s in result.placements.values())
    assert result.complete and starts[1] - starts[0] >= 35


def test_unplaceable_visits_come_with_reasons() -> None:
    judges = {1: [vm.Busy(at(-10), at(130), "Keynote")]}
    booths = {9: [vm.Busy(at(-10), at(130), "Panel B")]}
    f = frame(hours=2, judges=judges, booths=booths)
    result = vp.plan(
        [
            vm.Request(1, judge=1, booth=1),
            vm.Request(2, judge=2, booth=9),
            vm.Request(3, judge=3, booth=3),
        ],
        f,
    )
    reasons = {u.key: u for u in result.unplaced}
    assert reasons[1].reasons == (vm.JUDGE_BUSY,) and "Keynote" in reasons[1].blockers
    assert reasons[2].reasons == (vm.AGENCY_PRESENTING,) and "Panel B" in reasons[2].blockers
    assert 3 in result.placements
    short = vp.plan([vm.Request(1, judge=1, booth=1)], frame(hours=0.25))
    assert short.unplaced[0].reasons == (vm.WINDOW_TOO_SHORT,)
    # too many visits for one judge: the rest is reported, never two at once
    crowded = [vm.Request(k, judge=1, booth=k) for k in range(1, 8)]
    packed = vp.plan(crowded, frame(hours=1))
    assert not packed.complete and len(packed.placements) == 2
    assert {u.reasons for u in packed.unplaced} == {(vm.NO_FREE_SLOT,)}
    verify(crowded, frame(hours=1), packed.placements)


def test_kept_visits_stay_and_narrow_the_others() -> None:
    f = frame(hours=1)
    kept = vm.Request(1, judge=1, booth=1)
    fixed = [(kept, START)]
    result = vp.plan([vm.Request(2, judge=1, booth=2), vm.Request(3, judge=2, booth=1)], f, fixed)
    assert result.complete
    assert vm.minutes_of(result.placements[2]) >= at(25)  # after the kept visit + changeover
    assert vm.minutes_of(result.placements[3]) >= at(20)  # the booth is taken until 09:20


def test_deterministic_for_the_same_input() -> None:
    rng = random.Random(3)
    requests = [vm.Request(k, judge=rng.randrange(5), booth=rng.randrange(12)) for k in range(40)]
    f = frame(hours=4)
    first, second = vp.plan(requests, f), vp.plan(list(reversed(requests)), f)
    assert first.placements == second.placements


def _exists(requests: list[vm.Request], f: vm.Frame) -> bool:
    """Brute force: does any complete plan exist on the planner's grid?"""
    starts = list(range(vm.minutes_of(f.starts_at), vm.minutes_of(f.ends_at) - f.minutes + 1, 5))
    for combo in itertools.product(starts, repeat=len(requests)):
        placed = list(zip(requests, combo, strict=True))
        if all(not vm.clashes(r, s, f, placed) for r, s in placed):
            return True
    return False


def test_complete_whenever_a_plan_exists() -> None:
    """Tight random instances: the planner finds a complete plan exactly when one exists."""
    rng = random.Random(16)
    checked = 0
    for _ in range(40):
        n = rng.randrange(2, 5)
        requests = [
            vm.Request(
                k,
                judge=rng.randrange(2),
                booth=rng.randrange(2),
                zone=rng.choice("AB"),
                point=(rng.choice((0, 300)), 0),
            )
            for k in range(n)
        ]
        judges = {0: [vm.Busy(at(rng.randrange(0, 40)), at(rng.randrange(45, 60)), "S")]}
        f = vm.Frame(START, START + timedelta(minutes=60), 15, rng.randrange(0, 10), judges, {})
        result = vp.plan(requests, f)
        assert result.complete == _exists(requests, f)
        if result.complete:
            verify(requests, f, result.placements)
            checked += 1
    assert checked >= 5


def test_daily_hours_keep_the_nights_closed() -> None:
    """Two days of 09:00-10:00 (Jakarta): visits only then, starts on each day's grid."""
    day = timedelta(days=1)
    hours = vm.daily_hours(START, START + day + timedelta(hours=5), time(9), time(10), JAKARTA)
    assert hours == [(at(0), at(60)), (at(24 * 60), at(25 * 60))]
    f = frame(hours=30)
    f.hours = hours
    requests = [vm.Request(k, judge=1, booth=k) for k in range(1, 5)]
    result = vp.plan(requests, f)
    assert result.complete
    verify(requests, f, result.placements)
    starts = sorted(vm.minutes_of(m) for m in result.placements.values())
    # two a day (20 minutes + 5 changeover in an hour), each day from its opening
    assert starts == [at(0), at(25), at(24 * 60), at(24 * 60 + 25)]
    assert vm.clashes(requests[0], at(12 * 60), f, []) == [vm.Clash(vm.OUTSIDE_WINDOW)]
    assert vm.clashes(requests[0], at(24 * 60 + 45), f, []) == [vm.Clash(vm.OUTSIDE_WINDOW)]


def test_a_third_visit_a_day_finds_no_room() -> None:
    """Five visits of one judge in two one-hour days: a complete plan cannot exist."""
    f = frame(hours=30)
    f.hours = vm.daily_hours(START, START + timedelta(hours=30), time(9), time(10), JAKARTA)
    requests = [vm.Request(k, judge=1, booth=k) for k in range(1, 6)]
    result = vp.plan(requests, f)
    assert not result.complete and len(result.placements) == 4
    assert [u.reasons for u in result.unplaced] == [(vm.NO_FREE_SLOT,)]


def test_suggested_pace_fits_the_busiest_judge() -> None:
    assert vm.suggested_minutes(12, 480, 5) == 20  # 12 x 25 = 300 <= 384
    assert vm.suggested_minutes(72, 3 * 480, 5) == 10  # 72 x 15 = 1080 <= 1152
    assert vm.suggested_minutes(200, 480, 5) == 10  # nothing fits: the shortest

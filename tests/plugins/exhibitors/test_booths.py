"""Booths: duplicate codes and overlaps refused (409 naming the other booth), assignment rules."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.exhibitors import services
from plugins.exhibitors.models import Booth
from tests.plugins.exhibitors.conftest import World, add_innovation

FLOOR = (60, 40)


def spec(code: str, x: int, y: int, w: int = 3, h: int = 3, zone: str = "A") -> services.BoothSpec:
    """A booth spec."""
    return services.BoothSpec(code, zone, x, y, w, h)


def booth_count(db: Session) -> int:
    """Booths stored."""
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Booth)) or 0


def test_add_booth_and_refuse_duplicates_and_overlaps(
    app: Flask, db: Session, world: World
) -> None:
    with app.test_request_context():
        services.add_booth(db, world.event, spec("A01", 0, 0), floor=FLOOR)
        db.commit()
        with pytest.raises(Conflict) as duplicate:
            services.add_booth(db, world.event, spec("A01", 10, 10), floor=FLOOR)
        assert duplicate.value.extra["booth"] == "A01"
        db.rollback()
        with pytest.raises(Conflict) as overlap:
            services.add_booth(db, world.event, spec("A02", 2, 2), floor=FLOOR)
        assert overlap.value.extra["booth"] == "A01" and "A01" in overlap.value.message
        db.rollback()
        # Touching edges is fine: [0,3) and [3,6) do not overlap.
        services.add_booth(db, world.event, spec("A02", 3, 0), floor=FLOOR)
        db.commit()
    assert booth_count(db) == 2


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (spec("", 0, 0), "code"),
        (spec("A 1<b>", 0, 0), "code"),
        (spec("A1", -1, 0), "x"),
        (spec("A1", 0, 0, 0, 3), "width"),
        (spec("A1", 58, 0), "x"),
        (spec("A1", 0, 39), "y"),
    ],
)
def test_invalid_booths_are_refused(
    app: Flask, db: Session, world: World, bad: services.BoothSpec, field: str
) -> None:
    with app.test_request_context(), pytest.raises(ValidationFailed) as refused:
        services.add_booth(db, world.event, bad, floor=FLOOR)
    assert field in refused.value.fields
    db.rollback()
    assert booth_count(db) == 0


def test_database_enforces_unique_code(db: Session, world: World) -> None:
    for _ in range(2):
        db.add(Booth(event_id=world.event.id, code="X1", zone="", x=0, y=0, width=1, height=1))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_same_code_allowed_in_another_event(
    app: Flask, db: Session, world: World, make: Any
) -> None:
    other = db.merge(make.event("lain-2026", plugins=["exhibitors"]))
    with app.test_request_context():
        services.add_booth(db, world.event, spec("A01", 0, 0), floor=FLOOR)
        services.add_booth(db, other, spec("A01", 0, 0), floor=FLOOR)
    db.commit()
    assert booth_count(db) == 2


def _layout(app: Flask, db: Session, world: World, zones: dict[str, int]) -> None:
    with app.test_request_context():
        x = 0
        for zone, count in zones.items():
            for i in range(count):
                services.add_booth(
                    db, world.event, spec(f"{zone}{i + 1:02d}", x, 0, zone=zone), floor=FLOOR
                )
                x += 3
        db.commit()


def test_auto_assign_gives_everyone_a_booth_and_keeps_manual_ones(
    app: Flask, db: Session, world: World
) -> None:
    _layout(app, db, world, {"A": 3, "B": 3})
    bapenda = world.organizations["Bapenda Jawa Timur"]
    with app.test_request_context():
        services.assign_booth(db, world.event, "B03", bapenda.id)
        db.commit()
        result = services.auto_assign(db, world.event)
        db.commit()
    assert len(result.placed) == 3
    exhibitors = services.list_exhibitors(db, world.event)
    assert all(e.booth is not None for e in exhibitors)
    assert {e.organization.name: e.booth.code for e in exhibitors}["Bapenda Jawa Timur"] == "B03"
    booth = db.scalar(select(Booth).where(Booth.code == "B03"))
    assert booth is not None and booth.assigned_manually


def test_auto_assign_groups_by_zone_preference(app: Flask, db: Session, world: World) -> None:
    _layout(app, db, world, {"A": 3, "G": 3})
    with app.test_request_context():
        services.save_zone(db, world.event, "G", preferred_kind="government")
        services.auto_assign(db, world.event)
        db.commit()
    by_name = {e.organization.name: e.booth.zone for e in services.list_exhibitors(db, world.event)}
    assert by_name["Bapenda Jawa Timur"] == "G"
    assert by_name["Dinas Kesehatan Kota Malang"] == "G"
    assert by_name["Universitas Airlangga"] == "A"
    assert by_name["PDAM Delta Tirta"] == "A"


def test_auto_assign_by_category(app: Flask, db: Session, world: World) -> None:
    _layout(app, db, world, {"A": 4, "K": 1})
    with app.test_request_context():
        services.save_zone(db, world.event, "K", preferred_category="Kesehatan")
        services.auto_assign(db, world.event)
        db.commit()
    by_name = {e.organization.name: e.booth.zone for e in services.list_exhibitors(db, world.event)}
    assert by_name["Dinas Kesehatan Kota Malang"] == "K"


def test_auto_assign_when_booths_run_out_assigns_nothing(
    app: Flask, db: Session, world: World
) -> None:
    _layout(app, db, world, {"A": 2})
    with app.test_request_context(), pytest.raises(Conflict) as refused:
        services.auto_assign(db, world.event)
    db.rollback()
    names = {o["name"] for o in refused.value.extra["unassigned"]}
    assert names == set(world.organizations)
    db.expire_all()
    assert (
        db.scalar(select(func.count()).select_from(Booth).where(Booth.organization_id.is_not(None)))
        == 0
    )


def test_manual_assign_and_swap(app: Flask, db: Session, world: World) -> None:
    _layout(app, db, world, {"A": 3})
    bapenda = world.organizations["Bapenda Jawa Timur"].id
    unair = world.organizations["Universitas Airlangga"].id
    with app.test_request_context():
        services.assign_booth(db, world.event, "A01", bapenda)
        services.assign_booth(db, world.event, "A02", unair)
        db.commit()
        with pytest.raises(Conflict):
            services.assign_booth(db, world.event, "A01", unair)
        db.rollback()
        services.swap_booths(db, world.event, "A01", "A02")
        db.commit()
        # Moving an exhibitor by hand frees its previous booth.
        services.assign_booth(db, world.event, "A03", bapenda)
        db.commit()
    holders = {b.code: b.organization_id for b in services.list_booths(db, world.event)}
    assert holders == {"A01": unair, "A02": None, "A03": bapenda}


def test_assign_refuses_non_exhibitors_and_unknown_booths(
    app: Flask, db: Session, world: World
) -> None:
    _layout(app, db, world, {"A": 1})
    draft_only = add_innovation(db, world.event, "Cuma Draft", "Dinas Baru", status="submitted")
    with app.test_request_context():
        with pytest.raises(ValidationFailed):
            services.assign_booth(db, world.event, "A01", draft_only.organization_id)
        with pytest.raises(NotFound):
            services.assign_booth(
                db, world.event, "Z99", world.organizations["PDAM Delta Tirta"].id
            )
        with pytest.raises(ValidationFailed):
            services.swap_booths(db, world.event, "A01", "A01")


def test_concurrent_overlapping_booths_only_one_wins(app: Flask, db: Session, world: World) -> None:
    import threading

    from core.db import get_db
    from core.models import Event

    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def place(index: int) -> None:
        barrier.wait()
        try:
            with app.test_request_context(), get_db(app).transaction() as session:
                event = session.get(Event, world.event.id)
                assert event is not None
                services.add_booth(session, event, spec(f"C{index}", 0, index % 3), floor=FLOOR)
            outcomes.append("placed")
        except Conflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=place, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["placed", "refused", "refused", "refused"]
    assert booth_count(db) == 1

"""Booth and exhibitor lists page in SQL: limit/offset semantics, totals, statement counts."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from core.db import get_db
from plugins.exhibitors import services
from plugins.exhibitors.models import Booth
from tests.plugins.exhibitors.conftest import SLUG, World, add_innovation

BASE = f"/api/v1/events/{SLUG}"


def add_booths(db: Session, world: World, count: int, start: int = 0) -> None:
    """``count`` booths B000… in one row of 2 m squares (committed)."""
    event = db.merge(world.event)
    for n in range(start, start + count):
        db.add(
            Booth(event_id=event.id, code=f"B{n:03d}", zone="B", x=n * 2, y=0, width=2, height=2)
        )
    db.commit()


def test_booths_page_by_code_with_the_total(client: FlaskClient, world: World, db: Session) -> None:
    add_booths(db, world, 7)
    whole = client.get(f"{BASE}/booths?limit=500").get_json()
    assert whole["total"] == 7
    assert [b["code"] for b in whole["items"]] == [f"B{n:03d}" for n in range(7)]
    second = client.get(f"{BASE}/booths?limit=3&offset=3").get_json()
    assert second["total"] == 7
    assert [b["code"] for b in second["items"]] == ["B003", "B004", "B005"]
    tail = client.get(f"{BASE}/booths?limit=3&offset=6").get_json()
    assert [b["code"] for b in tail["items"]] == ["B006"]
    assert client.get(f"{BASE}/booths?offset=99").get_json() == {"items": [], "total": 7}
    assert client.get(f"{BASE}/booths?limit=0").status_code == 422


def test_exhibitors_page_by_name_with_the_total(
    client: FlaskClient, world: World, db: Session
) -> None:
    whole = client.get(f"{BASE}/exhibitors").get_json()
    assert whole["total"] == 4  # the draft's agency already exhibits; drafts add nobody
    names = [e["name"] for e in whole["items"]]
    assert names == sorted(names, key=str.lower)
    pages = [client.get(f"{BASE}/exhibitors?limit=2&offset={o}").get_json() for o in (0, 2, 4)]
    assert [p["total"] for p in pages] == [4, 4, 4]
    assert [e["name"] for p in pages for e in p["items"]] == names
    assert pages[2]["items"] == []


def test_service_pages_match_the_whole_list(world: World, db: Session) -> None:
    add_booths(db, world, 5)
    event = db.merge(world.event)
    every = [b.code for b in services.list_booths(db, event)]
    paged = [b.code for b in services.list_booths(db, event, limit=2, offset=1)]
    assert paged == every[1:3]
    assert services.count_booths(db, event) == 5
    all_exhibitors = services.list_exhibitors(db, event)
    assert [e.organization.id for e in services.list_exhibitors(db, event, limit=1, offset=3)] == [
        all_exhibitors[3].organization.id
    ]
    assert services.count_exhibitors(db, event) == len(all_exhibitors) == 4


def _statements(app: Any, client: FlaskClient, url: str) -> int:
    engine = get_db(app).engine
    seen: list[str] = []

    def count(*_args: Any) -> None:
        seen.append("x")

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_statement_counts_do_not_grow_with_the_floor(
    app: Any, client: FlaskClient, world: World, db: Session
) -> None:
    add_booths(db, world, 4)
    small = [
        _statements(app, client, f"{BASE}/{kind}?limit=500") for kind in ("booths", "exhibitors")
    ]
    add_booths(db, world, 60, start=4)
    for n in range(20):
        add_innovation(db, db.merge(world.event), f"Inovasi {n}", f"Dinas {n:02d}")
    db.commit()
    large = [
        _statements(app, client, f"{BASE}/{kind}?limit=500") for kind in ("booths", "exhibitors")
    ]
    assert large == small


def test_a_large_floor_is_shown_zone_by_zone(
    client: FlaskClient, world: World, db: Session, monkeypatch: Any
) -> None:
    from plugins.exhibitors import views

    monkeypatch.setattr(views, "ZONED_FROM", 4)
    event = db.merge(world.event)
    agency = world.organizations["PDAM Delta Tirta"].id
    for n, (zone, holder) in enumerate(
        [("Hall A", None), ("Hall A", None), ("Hall B", None), ("Hall B", agency)]
    ):
        db.add(
            Booth(
                event_id=event.id,
                code=f"Z{n}",
                zone=zone,
                x=n * 3,
                y=0,
                width=2,
                height=2,
                organization_id=holder,
            )
        )
    db.commit()
    overview = client.get(f"/{SLUG}/exhibitors/floor-plan").get_data(as_text=True)
    assert "2 stan, 0 terisi" in overview and "2 stan, 1 terisi" in overview
    assert 'href="#booth-Z0"' not in overview  # no booths until a zone is chosen
    hall_a = client.get(f"/{SLUG}/exhibitors/floor-plan?zone=Hall+A").get_data(as_text=True)
    assert 'href="#booth-Z0"' in hall_a and 'href="#booth-Z2"' not in hall_a
    found = client.get(f"/{SLUG}/exhibitors/floor-plan?highlight=PDAM").get_data(as_text=True)
    assert 'href="#booth-Z3"' in found and 'href="#booth-Z0"' not in found  # jumped to Hall B
    assert "Z3" in found
    monkeypatch.setattr(views, "ZONED_FROM", 300)
    whole = client.get(f"/{SLUG}/exhibitors/floor-plan").get_data(as_text=True)
    assert 'href="#booth-Z0"' in whole and 'href="#booth-Z3"' in whole


def _zoned_floor(db: Session, world: World) -> int:
    """Four booths in halls A and B (Z3 held by PDAM); returns PDAM's id."""
    event = db.merge(world.event)
    agency = world.organizations["PDAM Delta Tirta"].id
    for n, (zone, holder) in enumerate(
        [("Hall A", None), ("Hall A", None), ("Hall B", None), ("Hall B", agency)]
    ):
        db.add(
            Booth(
                event_id=event.id,
                code=f"Z{n}",
                zone=zone,
                x=n * 3,
                y=0,
                width=2,
                height=2,
                organization_id=holder,
            )
        )
    db.commit()
    return agency


def test_a_large_floors_svg_is_drawn_zone_by_zone(
    client: FlaskClient, world: World, db: Session, monkeypatch: Any
) -> None:
    from plugins.exhibitors import views

    monkeypatch.setattr(views, "ZONED_FROM", 4)
    _zoned_floor(db, world)
    overview = client.get(f"/{SLUG}/exhibitors/floor-plan.svg")
    assert overview.status_code == 200 and overview.mimetype == "image/svg+xml"
    body = overview.get_data(as_text=True)
    assert body.count('class="zone"') == 2 and 'id="booth-Z0"' not in body
    assert "floor-plan.svg?zone=Hall+A" in body and "2 stan, 1 terisi" in body
    hall_b = client.get(f"/{SLUG}/exhibitors/floor-plan.svg?zone=Hall+B")
    text = hall_b.get_data(as_text=True)
    assert 'id="booth-Z3"' in text and 'id="booth-Z0"' not in text
    assert "hall-b-floor-plan.svg" in hall_b.headers["Content-Disposition"]
    whole = client.get(f"/{SLUG}/exhibitors/floor-plan.svg?all=1").get_data(as_text=True)
    assert all(f'id="booth-Z{n}"' in whole for n in range(4))
    unknown = client.get(f"/{SLUG}/exhibitors/floor-plan.svg?zone=Nowhere")
    assert unknown.status_code == 200 and 'class="booth' not in unknown.get_data(as_text=True)
    page = client.get(f"/{SLUG}/exhibitors/floor-plan").get_data(as_text=True)
    assert page.count('class="zone"') == 2  # the page's overview draws the zones
    assert "floor-plan?zone=Hall+B" in page
    monkeypatch.setattr(views, "ZONED_FROM", 300)
    small = client.get(f"/{SLUG}/exhibitors/floor-plan.svg").get_data(as_text=True)
    assert 'class="zone"' not in small and 'id="booth-Z3"' in small


def test_zone_outlines_are_bounding_boxes_with_counts(world: World, db: Session) -> None:
    _zoned_floor(db, world)
    outlines = services.zone_outlines(db, db.merge(world.event))
    assert [(o.name, o.x, o.y, o.width, o.height, o.booths, o.taken) for o in outlines] == [
        ("Hall A", 0, 0, 5, 2, 2, 0),
        ("Hall B", 6, 0, 5, 2, 2, 1),
    ]


def test_the_svg_of_a_disabled_plugin_is_404(
    app: Any, client: FlaskClient, world: World, db: Session
) -> None:
    from core.services import plugin_settings

    _zoned_floor(db, world)
    plugin_settings.set_enabled_plugins(
        db, app.extensions["gelar_plugins"], db.merge(world.event), []
    )
    db.commit()
    for query in ("", "?zone=Hall+A", "?all=1"):
        assert client.get(f"/{SLUG}/exhibitors/floor-plan.svg{query}").status_code == 404

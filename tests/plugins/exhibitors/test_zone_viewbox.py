"""One zone of a large floor is framed on its own booths, not drawn at whole-hall scale."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugins.exhibitors import floorplan
from plugins.exhibitors.models import Booth
from tests.plugins.exhibitors.conftest import SLUG, World

SVG_VIEWBOX = re.compile(r'<svg [^>]*class="floor-plan"[^>]*viewBox="([^"]+)"')
S = floorplan.SCALE
M = floorplan.MARGIN


def _view_box(body: str) -> tuple[float, ...]:
    """The floor plan's ``viewBox`` as four numbers (x, y, width, height)."""
    match = SVG_VIEWBOX.search(body)
    assert match, body[:300]
    return tuple(float(n) for n in match.group(1).split())


def _floor(db: Session, world: World) -> int:
    """Zone A in the hall's corner (A0 free), zone B in the middle (B1 held by PDAM).

    The default hall is 60 m by 40 m.  Returns PDAM's organization id.
    """
    event = db.merge(world.event)
    agency = world.organizations["PDAM Delta Tirta"].id
    rows = [
        ("A0", "A", 0, 0, None),
        ("A1", "A", 4, 3, None),
        ("B0", "B", 20, 10, None),
        ("B1", "B", 28, 14, agency),
    ]
    for code, zone, x, y, holder in rows:
        db.add(
            Booth(
                event_id=event.id,
                code=code,
                zone=zone,
                x=x,
                y=y,
                width=3,
                height=2,
                organization_id=holder,
            )
        )
    db.commit()
    return agency


def test_view_box_fits_the_booths_with_a_margin_kept_on_the_floor() -> None:
    booths = [Booth(code="X", x=20, y=10, width=3, height=2), Booth(code="Y", x=28, y=14)]
    booths[1].width, booths[1].height = 3, 2
    assert floorplan.view_box(booths, (60, 40), fit=False) == (0, 0, 60 * S, 40 * S)
    assert floorplan.view_box(booths, (60, 40), fit=True) == (
        (20 - M) * S,
        (10 - M) * S,
        (31 - 20 + 2 * M) * S,
        (16 - 10 + 2 * M) * S,
    )
    corner = [Booth(code="C", x=0, y=0, width=60, height=40)]
    assert floorplan.view_box(corner, (60, 40), fit=True) == (0, 0, 60 * S, 40 * S)
    assert floorplan.view_box([], (60, 40), fit=True) == (0, 0, 60 * S, 40 * S)


def test_a_zones_svg_is_framed_on_the_zones_bounds(
    client: FlaskClient, world: World, db: Session, monkeypatch: Any
) -> None:
    from plugins.exhibitors import views

    monkeypatch.setattr(views, "ZONED_FROM", 4)
    _floor(db, world)
    zone_b = ((20 - M) * S, (10 - M) * S, (11 + 2 * M) * S, (6 + 2 * M) * S)
    zone_a = (0, 0, (7 + M) * S, (5 + M) * S)  # the margin stops at the hall's walls
    for path in ("floor-plan", "floor-plan.svg"):
        b = client.get(f"/{SLUG}/exhibitors/{path}?zone=B").get_data(as_text=True)
        assert _view_box(b) == zone_b, path
        assert 'id="booth-B0"' in b and 'id="booth-A0"' not in b
        a = client.get(f"/{SLUG}/exhibitors/{path}?zone=A").get_data(as_text=True)
        assert _view_box(a) == zone_a, path
        # a free booth links to itself on its zone's page, not to the zones overview
        assert f'href="/{SLUG}/exhibitors/floor-plan?zone=A#booth-A0"' in a
    # the whole hall is still drawn whole
    whole = client.get(f"/{SLUG}/exhibitors/floor-plan.svg?all=1").get_data(as_text=True)
    assert _view_box(whole) == (0, 0, 60 * S, 40 * S)
    # an unknown zone draws the empty hall rather than failing
    nowhere = client.get(f"/{SLUG}/exhibitors/floor-plan.svg?zone=Nowhere")
    assert nowhere.status_code == 200
    assert _view_box(nowhere.get_data(as_text=True)) == (0, 0, 60 * S, 40 * S)


def test_finding_an_agency_frames_its_zone_and_highlights_its_booth(
    client: FlaskClient, world: World, db: Session, monkeypatch: Any
) -> None:
    from plugins.exhibitors import views

    monkeypatch.setattr(views, "ZONED_FROM", 4)
    agency = _floor(db, world)
    body = client.get(f"/{SLUG}/exhibitors/floor-plan?highlight=PDAM").get_data(as_text=True)
    x, y, width, height = _view_box(body)
    assert (x, y, width, height) == ((20 - M) * S, (10 - M) * S, (11 + 2 * M) * S, (6 + 2 * M) * S)
    booth = re.search(r'<a id="booth-B1" class="booth highlighted" href="([^"]+)"', body)
    assert booth and booth.group(1) == f"/{SLUG}/exhibitors/?organization={agency}"
    rect = re.search(r'id="booth-B1".*?<rect x="(\d+)" y="(\d+)"', body, re.S)
    assert rect and x <= int(rect.group(1)) < x + width and y <= int(rect.group(2)) < y + height


def test_a_small_floor_is_still_drawn_whole(client: FlaskClient, world: World, db: Session) -> None:
    _floor(db, world)  # four booths: far below the zoned threshold
    body = client.get(f"/{SLUG}/exhibitors/floor-plan").get_data(as_text=True)
    assert _view_box(body) == (0, 0, 60 * S, 40 * S)
    assert f'href="/{SLUG}/exhibitors/floor-plan#booth-A0"' in body


def test_a_zone_of_a_disabled_plugin_is_404(
    app: Any, client: FlaskClient, world: World, db: Session
) -> None:
    from core.services import plugin_settings

    _floor(db, world)
    plugin_settings.set_enabled_plugins(
        db, app.extensions["gelar_plugins"], db.merge(world.event), []
    )
    db.commit()
    for path in ("floor-plan", "floor-plan.svg"):
        assert client.get(f"/{SLUG}/exhibitors/{path}?zone=B").status_code == 404

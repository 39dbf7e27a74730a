"""The public agenda's rooms-by-time grid (wide screens) and "jump to now", no JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from flask.testing import FlaskClient

from plugins.symposium import agenda_grid
from plugins.symposium import programme as programme_pages
from tests.plugins.symposium.helpers import DAY1, DAY2, SLUG, at, session_body

BASE = f"/{SLUG}/symposium"


@pytest.fixture
def programme(api: Callable[..., Any], rooms: dict[str, int]) -> dict[str, int]:
    """A keynote in the Hall (day 1, 09:00-10:00) and a talk in the Studio (day 2, 13:15)."""
    api("post", "/tracks", json={"name": "Digital", "color": "#123456"})
    keynote = api(
        "post",
        "/sessions",
        json=session_body(room="Hall", starts_at=at(DAY1, "09:00"), track="Digital"),
    )
    talk = api(
        "post",
        "/sessions",
        json=session_body(
            "Data talk",
            duration_minutes=20,
            room="Studio",
            starts_at=at(DAY2, "13:15"),
            speakers=[{"name": "Budi", "email": "budi@example.id"}],
        ),
    )
    assert keynote.status_code == talk.status_code == 201
    return {"keynote": keynote.get_json()["id"], "talk": talk.get_json()["id"], **rooms}


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(programme_pages, "_now", lambda: moment)


def test_grid_places_sessions_by_room_and_time(
    client: FlaskClient, programme: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, datetime(2026, 1, 1, tzinfo=UTC))
    html = client.get(f"{BASE}/?day={DAY1}").get_data(as_text=True)
    # Positions are rules of a nonce'd <style> (the CSP allows no style="" attributes).
    grid = "sym-grid-2026-12-10"
    assert f'class="sym-timegrid" id="{grid}" data-day="2026-12-10"' in html
    assert f"#{grid}{{--sym-rooms:2;--sym-rows:108}}" in html  # 08:00-17:00 in 5-minute rows
    assert f'<div class="sym-room-head" id="{grid}-room-1">Hall</div>' in html
    assert f"#{grid}-room-1{{grid-column:2;grid-row:1}}" in html
    assert f'<div class="sym-room-head" id="{grid}-room-2">Studio</div>' in html
    assert f"#{grid}-room-2{{grid-column:3;grid-row:1}}" in html
    assert "style=" not in html
    # 09:00 is 60 minutes after 08:00: row 2 + 12; one hour spans 12 rows; Hall is column 2
    keynote = programme["keynote"]
    assert f'<article class="sym-slot sym-t1" id="sg-{keynote}">' in html
    assert f"#sg-{keynote}{{grid-column:2;grid-row:14 / span 12}}" in html
    assert ".sym-t1{border-left:6px solid #123456}" in html  # one rule per track
    assert 'id="sym-slot-2026-12-10-0900"' in html
    assert "#sym-slot-2026-12-10-0800{grid-column:1;grid-row:2 / span 3}" in html
    assert '<div class="sym-time" id="sym-slot-2026-12-10-0800">08:00</div>' in html
    assert "Data talk" not in html  # day 2 only in its own tab
    # the phone cards stay
    assert f'id="sym-card-{programme["keynote"]}"' in html
    assert 'class="sym-cards-view"' in html
    css = client.get(f"{BASE}/assets/agenda.css").get_data(as_text=True)
    assert "@media (min-width: 64rem)" in css and ".sym-grid-view" in css


def test_grid_follows_the_room_filter(
    client: FlaskClient, programme: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, datetime(2026, 1, 1, tzinfo=UTC))
    html = client.get(f"{BASE}/?day={DAY2}&room={programme['Studio']}").get_data(as_text=True)
    assert "--sym-rooms:1;" in html
    assert ">Hall</div>" not in html
    # 13:15 is 315 minutes after 08:00 → row 65; 20 minutes → 4 rows; the only column
    talk = programme["talk"]
    assert f"#sg-{talk}{{grid-column:2;grid-row:65 / span 4" in html


def test_jump_to_now_during_the_event(
    client: FlaskClient, programme: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, datetime(2026, 12, 10, 2, 40, tzinfo=UTC))  # 09:40 in Jakarta
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert f'href="{BASE}/?day=2026-12-10#sym-slot-2026-12-10-0930" id="sym-jump-grid"' in html
    cards = f'href="{BASE}/?day=2026-12-10#sym-card-{programme["keynote"]}" id="sym-jump-cards"'
    assert cards in html
    assert 'id="sym-slot-2026-12-10-0930"' in html  # the anchor exists on the page


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 9, 3, 0, tzinfo=UTC),  # the day before
        datetime(2026, 12, 10, 0, 30, tzinfo=UTC),  # 07:30, before the day's programme
        datetime(2026, 12, 11, 10, 0, tzinfo=UTC),  # 17:00, the programme has ended
        datetime(2026, 12, 12, 3, 0, tzinfo=UTC),  # the day after
    ],
)
def test_no_jump_outside_the_event(
    client: FlaskClient,
    programme: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    moment: datetime,
) -> None:
    _at(monkeypatch, moment)
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Jump to now" not in html
    assert "sym-timegrid" in html


def test_agenda_is_404_when_plugin_off(
    client: FlaskClient, programme: dict[str, int], make: Any, event: Any
) -> None:
    from core.models import Event
    from core.services import plugin_settings

    registry = make.app.extensions["gelar_plugins"]
    target = make.session.get(Event, event.id)
    plugin_settings.set_plugin_enabled(make.session, registry, target, "symposium", False)
    make.session.commit()
    assert client.get(f"{BASE}/?day={DAY1}").status_code == 404
    assert client.get(f"{BASE}/assets/agenda.css").status_code == 404


# -- pure layout -------------------------------------------------------------------------


class _Room:
    def __init__(self, room_id: int) -> None:
        self.id = room_id


def _item(item_id: int, hhmm: str, minutes: int, room_id: int = 1) -> dict[str, Any]:
    hour, minute = (int(x) for x in hhmm.split(":"))
    start = datetime(2026, 12, 10, hour, minute)
    end = datetime.fromtimestamp(start.timestamp() + minutes * 60)
    return {
        "id": item_id,
        "day": date(2026, 12, 10),
        "start": start,
        "end": end,
        "duration_minutes": minutes,
        "room": {"id": room_id},
    }


def test_day_grid_clamps_to_the_day_and_skips_other_rooms() -> None:
    grid = agenda_grid.day_grid(
        date(2026, 12, 10),
        time(8, 30),
        time(10, 0),
        [_Room(1)],
        [_item(1, "09:50", 60), _item(2, "09:00", 30, room_id=9)],
    )
    assert grid.rows == 18
    assert [(c.item["id"], c.row, c.span) for c in grid.cells] == [(1, 18, 2)]
    assert [label.text for label in grid.labels] == [
        "08:30",
        "08:45",
        "09:00",
        "09:15",
        "09:30",
        "09:45",
    ]
    assert grid.labels[0].row == 2


def test_jump_to_now_rounds_down_to_the_quarter() -> None:
    items = [_item(1, "09:00", 30), _item(2, "10:00", 30)]
    for item in items:
        item["end"] = item["end"].replace(tzinfo=agenda_grid.ZoneInfo("Asia/Jakarta"))
    jump = agenda_grid.jump_to_now(
        datetime(2026, 12, 10, 2, 44, tzinfo=UTC),
        "Asia/Jakarta",
        [date(2026, 12, 10)],
        time(8, 0),
        time(17, 0),
        items,
    )
    assert jump == agenda_grid.Jump(date(2026, 12, 10), "sym-slot-2026-12-10-0930", 2)

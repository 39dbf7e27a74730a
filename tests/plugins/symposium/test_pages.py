"""Organizer timetable editor (forms, no JavaScript) and the public agenda pages."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from core.models import Event
from tests.plugins.symposium.helpers import DAY1, DAY2, ORGANIZER, SLUG, at, session_body

BASE = f"/{SLUG}/symposium"


@pytest.fixture
def organizer(client: FlaskClient, auth: Any, event: Event) -> FlaskClient:
    """The organizer, signed in, reading English."""
    auth.login(ORGANIZER)
    client.post("/lang/en")
    return client


@pytest.fixture
def programme(api: Callable[..., Any], rooms: dict[str, int]) -> dict[str, int]:
    """A placed keynote (Hall, day 1 09:00) and an unscheduled panel with the same speaker."""
    keynote = api("post", "/sessions", json=session_body(room="Hall", starts_at=at(DAY1, "09:00")))
    panel = api("post", "/sessions", json=session_body("Panel", kind="panel"))
    return {"keynote": keynote.get_json()["id"], "panel": panel.get_json()["id"], **rooms}


def test_timetable_shows_the_grid(organizer: FlaskClient, programme: dict[str, int]) -> None:
    page = organizer.get(f"{BASE}/manage/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Timetable editor" in html
    assert "09:00\u201310:00</strong> Opening keynote" in html
    assert f'<li data-session="{programme["panel"]}">Panel' in html


def test_place_by_form_and_refusal(
    organizer: FlaskClient, programme: dict[str, int], api: Callable[..., Any]
) -> None:
    clash = {
        "session_id": programme["panel"],
        "room": programme["Studio"],
        "day": DAY1,
        "time": "09:30",
    }
    refused = organizer.post(f"{BASE}/manage/place", data=clash)
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "The session cannot go there:" in html
    assert 'data-kind="speaker_overlap"' in html
    assert "Ani is already speaking in “Opening keynote”" in html
    assert api("get", f"/sessions/{programme['panel']}").get_json()["starts_at"] is None
    fine = organizer.post(f"{BASE}/manage/place", data={**clash, "day": DAY2})
    assert fine.status_code == 302
    assert api("get", f"/sessions/{programme['panel']}").get_json()["starts_at"] == at(
        DAY2, "09:30"
    )


def test_place_form_bad_input(organizer: FlaskClient, programme: dict[str, int]) -> None:
    data = {"session_id": programme["panel"], "room": programme["Hall"], "day": DAY1, "time": "9am"}
    assert organizer.post(f"{BASE}/manage/place", data=data).status_code == 422
    assert (
        organizer.post(
            f"{BASE}/manage/place", data={**data, "time": "12:00", "day": "2027-01-01"}
        ).status_code
        == 422
    )
    unknown = organizer.post(
        f"{BASE}/manage/place", data={**data, "time": "12:00", "session_id": "999999"}
    )
    assert unknown.status_code == 404


def test_unschedule_auto_publish_by_form(
    organizer: FlaskClient, programme: dict[str, int], api: Callable[..., Any]
) -> None:
    organizer.post(f"{BASE}/manage/unschedule", data={"session_id": programme["keynote"]})
    assert api("get", f"/sessions/{programme['keynote']}").get_json()["room"] is None
    response = organizer.post(f"{BASE}/manage/auto", follow_redirects=True)
    assert "Placed 2 sessions." in response.get_data(as_text=True)
    published = organizer.post(
        f"{BASE}/manage/publish", data={"comment": "v1"}, follow_redirects=True
    )
    assert "Version 1 is published." in published.get_data(as_text=True)


def test_add_session_and_room_by_form(
    organizer: FlaskClient, event: Event, api: Callable[..., Any]
) -> None:
    room = organizer.post(
        f"{BASE}/manage/rooms", data={"room-name": "Pendopo", "room-capacity": "80"}
    )
    assert room.status_code == 302
    again = organizer.post(
        f"{BASE}/manage/rooms", data={"room-name": "Pendopo", "room-capacity": "80"}
    )
    assert again.status_code == 409
    data = {
        "new-title": "Smart village",
        "new-kind": "talk",
        "new-duration_minutes": "45",
        "new-speaker_name": "Citra",
    }
    assert organizer.post(f"{BASE}/manage/sessions", data=data).status_code == 302
    bad = organizer.post(f"{BASE}/manage/sessions", data={**data, "new-duration_minutes": "0"})
    assert bad.status_code == 422
    titles = [i["title"] for i in api("get", "/sessions").get_json()["items"]]
    assert titles == ["Smart village"]


def test_organizer_pages_are_guarded(client: FlaskClient, auth: Any, event: Event) -> None:
    assert client.get(f"{BASE}/manage/").status_code == 302
    auth.login("visitor@example.id")
    assert client.get(f"{BASE}/manage/").status_code == 403
    assert client.get(f"{BASE}/manage/conflicts").status_code == 403
    assert client.post(f"{BASE}/manage/auto").status_code == 403


def test_public_agenda_day_tabs_and_filters(
    client: FlaskClient, programme: dict[str, int], api: Callable[..., Any]
) -> None:
    api("post", "/schedule/auto")
    client.post("/lang/en")
    page = client.get(f"{BASE}/?day=all").get_data(as_text=True)
    assert "Opening keynote" in page and "Panel" in page
    assert "Thu 10 December 2026" in page
    # without a day the programme opens on one day (the first, before the event)
    first = client.get(f"{BASE}/").get_data(as_text=True)
    assert f'href="{BASE}/?day={DAY1}" aria-current="page"' in first
    assert first.count("<h3>") == 1
    day2 = client.get(f"{BASE}/?day={DAY2}").get_data(as_text=True)
    assert "Opening keynote" not in day2
    studio = client.get(f"{BASE}/?room={programme['Studio']}").get_data(as_text=True)
    assert "Opening keynote" not in studio
    search = client.get(f"{BASE}/?q=panel").get_data(as_text=True)
    assert "Opening keynote" not in search and "Panel" in search


def test_session_speaker_now_and_my_pages(
    client: FlaskClient, programme: dict[str, int], api: Callable[..., Any], auth: Any
) -> None:
    api("post", "/schedule/auto")
    client.post("/lang/en")
    session_page = client.get(f"{BASE}/sessions/{programme['keynote']}").get_data(as_text=True)
    assert "About public-service innovation." in session_page
    assert "Also speaks in:" in session_page and "Panel" in session_page
    speaker_id = api("get", f"/sessions/{programme['keynote']}").get_json()["speakers"][0]["id"]
    speaker_page = client.get(f"{BASE}/speakers/{speaker_id}").get_data(as_text=True)
    assert "Ani" in speaker_page and "Kominfo" in speaker_page
    assert client.get(f"{BASE}/speakers/999999").status_code == 404
    assert client.get(f"{BASE}/sessions/999999").status_code == 404
    assert client.get(f"{BASE}/now").status_code == 200
    anonymous = client.get(f"{BASE}/my?s={programme['keynote']}").get_data(as_text=True)
    assert "Opening keynote" in anonymous and "Panel" not in anonymous
    auth.login("visitor@example.id")
    client.post(f"{BASE}/sessions/{programme['panel']}/star", data={"on": "1"})
    mine = client.get(f"{BASE}/my").get_data(as_text=True)
    assert "Panel" in mine and "Opening keynote" not in mine
    agenda = client.get(f"{BASE}/?day=all").get_data(as_text=True)
    assert f'<meta name="gelar-stars" content="{programme["panel"]}">' in agenda
    assert '<meta name="gelar-signed-in" content="true">' in agenda
    session_page = client.get(f"{BASE}/sessions/{programme['panel']}").get_data(as_text=True)
    assert "★ Starred" in session_page  # the form of the session page (no JS needed)


def test_unscheduled_sessions_are_not_public(
    client: FlaskClient, programme: dict[str, int]
) -> None:
    assert client.get(f"{BASE}/sessions/{programme['panel']}").status_code == 404


def test_dashboard_counts_unscheduled(organizer: FlaskClient, programme: dict[str, int]) -> None:
    from tests.core.plugins.helpers import stat

    page = organizer.get(f"/{SLUG}/manage/").get_data(as_text=True)
    assert stat(page, "symposium", "unscheduled") == "1"


def test_resize_by_form(
    organizer: FlaskClient, programme: dict[str, int], api: Callable[..., Any]
) -> None:
    data = {
        "session_id": programme["keynote"],
        "room": programme["Hall"],
        "day": DAY1,
        "time": "09:00",
        "duration_minutes": "120",
    }
    assert organizer.post(f"{BASE}/manage/place", data=data).status_code == 302
    assert api("get", f"/sessions/{programme['keynote']}").get_json()["ends_at"] == at(
        DAY1, "11:00"
    )
    too_long = organizer.post(f"{BASE}/manage/place", data={**data, "duration_minutes": "600"})
    assert too_long.status_code == 409
    assert 'data-kind="outside_day_hours"' in too_long.get_data(as_text=True)
    assert api("get", f"/sessions/{programme['keynote']}").get_json()["duration_minutes"] == 120


def _heading_levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def test_session_and_agenda_headings_never_skip_a_level(
    client: FlaskClient, programme: dict[str, int], api: Callable[..., Any]
) -> None:
    api("post", "/schedule/auto")
    for path in (f"{BASE}/sessions/{programme['keynote']}", f"{BASE}/"):
        levels = _heading_levels(client.get(path).get_data(as_text=True))
        assert levels and levels[0] == 1, path
        jumps = [b for a, b in itertools.pairwise(levels) if b > a + 1]
        assert jumps == [], (path, levels)

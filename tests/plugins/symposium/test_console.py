"""Organizer console pages: speakers (details, availability windows) and tracks, no JavaScript."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from core.db import get_db
from core.models import Event
from core.services import plugin_settings
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.symposium import services
from plugins.symposium.models import Availability, Speaker, Track
from tests.plugins.symposium.helpers import DAY1, ORGANIZER, SLUG, at, session_body

BASE = f"/{SLUG}/symposium"


@pytest.fixture
def organizer(client: FlaskClient, auth: Any, event: Event) -> FlaskClient:
    """The organizer, signed in, reading English."""
    auth.login(ORGANIZER)
    client.post("/lang/en")
    return client


@pytest.fixture
def speaker_ids(api: Callable[..., Any], db: Any) -> dict[str, int]:
    """Two speakers, Ani (ani@example.id) and Budi (budi@example.id)."""
    api("post", "/sessions", json=session_body())
    body = session_body(
        "Panel", speakers=[{"name": "Budi", "email": "budi@example.id", "affiliation": "BPS"}]
    )
    api("post", "/sessions", json=body)
    found = {s.name: s.id for s in db.query(Speaker)}
    db.rollback()  # end the read so the app may write (SQLite)
    return found


@pytest.fixture
def in_request(app: Any) -> Iterator[None]:
    """A request context, so the services' messages can be translated."""
    with app.test_request_context():
        yield


def _speaker(app: Any, speaker_id: int) -> Speaker:
    with get_db(app).new_session() as db:
        found = db.get(Speaker, speaker_id)
        assert found is not None
        db.expunge(found)
        return found


def _windows(app: Any, speaker_id: int) -> list[tuple[str, str]]:
    with get_db(app).new_session() as db:
        rows = db.query(Availability).filter_by(speaker_id=speaker_id)
        return sorted((w.starts_at.isoformat(), w.ends_at.isoformat()) for w in rows)


def _details(**extra: str) -> dict[str, str]:
    data = {
        "speaker-name": "Ani Rahayu",
        "speaker-email": "ani.r@example.id",
        "speaker-affiliation": "Diskominfo Jatim",
        "speaker-bio": "Builds public services.",
        "speaker-photo_url": "https://example.id/ani.jpg",
    }
    data.update(extra)
    return data


# -- service level -----------------------------------------------------------------------


def test_update_speaker_service(
    app: Any, event: Event, speaker_ids: dict[str, int], db: Any, in_request: None
) -> None:
    target = db.get(Event, event.id)
    profile = services.SpeakerProfile("Ani R", "ANI2@example.id", "Kominfo", "Bio", "http://x.id/a")
    saved = services.update_speaker(db, target, speaker_ids["Ani"], profile)
    assert (saved.name, saved.email, saved.photo_url) == (
        "Ani R",
        "ani2@example.id",
        "http://x.id/a",
    )
    for bad in ("javascript:alert(1)", "ftp://x.id/a.jpg", "//x.id/a.jpg", "https://"):
        with pytest.raises(ValidationFailed) as info:
            services.update_speaker(
                db, target, speaker_ids["Ani"], services.SpeakerProfile("Ani", photo_url=bad)
            )
        assert "photo_url" in info.value.fields
    with pytest.raises(Conflict):
        services.update_speaker(
            db, target, speaker_ids["Ani"], services.SpeakerProfile("Ani", "budi@example.id")
        )
    with pytest.raises(ValidationFailed):
        services.update_speaker(db, target, speaker_ids["Ani"], services.SpeakerProfile("  "))
    with pytest.raises(NotFound):
        services.update_speaker(db, target, 999_999, services.SpeakerProfile("X"))


def test_track_services(app: Any, event: Event, db: Any, in_request: None) -> None:
    target = db.get(Event, event.id)
    first = services.create_track(db, target, name="Digital", color="#112233")
    services.create_track(db, target, name="Health", color="#445566")
    renamed = services.update_track(db, target, first.id, name="E-Gov", color="#AABBCC")
    assert (renamed.name, renamed.color) == ("E-Gov", "#aabbcc")
    with pytest.raises(Conflict):
        services.update_track(db, target, first.id, name="health", color="#112233")
    with pytest.raises(ValidationFailed):
        services.update_track(db, target, first.id, name="X", color="red")
    with pytest.raises(NotFound):
        services.update_track(db, target, 999_999, name="X", color="#112233")


# -- speakers pages ----------------------------------------------------------------------


def test_manage_page_links_to_speakers_and_tracks(organizer: FlaskClient) -> None:
    html = organizer.get(f"{BASE}/manage/").get_data(as_text=True)
    assert f'href="{BASE}/manage/speakers"' in html
    assert f'href="{BASE}/manage/tracks"' in html


def test_speaker_list_and_edit(
    app: Any, organizer: FlaskClient, speaker_ids: dict[str, int]
) -> None:
    listing = organizer.get(f"{BASE}/manage/speakers")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    ani = speaker_ids["Ani"]
    assert f'href="{BASE}/manage/speakers/{ani}"' in html
    assert "Budi" in html and "BPS" in html
    form = organizer.get(f"{BASE}/manage/speakers/{ani}")
    assert form.status_code == 200
    assert 'value="ani@example.id"' in form.get_data(as_text=True)
    saved = organizer.post(f"{BASE}/manage/speakers/{ani}", data=_details())
    assert saved.status_code == 302
    stored = _speaker(app, ani)
    assert stored.name == "Ani Rahayu"
    assert stored.email == "ani.r@example.id"
    assert stored.affiliation == "Diskominfo Jatim"
    assert stored.bio == "Builds public services."
    assert stored.photo_url == "https://example.id/ani.jpg"
    public = organizer.get(f"{BASE}/speakers/{ani}").get_data(as_text=True)
    assert "Diskominfo Jatim" in public and 'src="https://example.id/ani.jpg"' in public


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"speaker-photo_url": "javascript:alert(1)"}, 422, "Use an http:// or https:// address."),
        ({"speaker-email": "not-an-address"}, 422, "Not an e-mail address."),
        ({"speaker-email": "budi@example.id"}, 409, "Already used in this event."),
        ({"speaker-name": ""}, 422, "This field is required."),
    ],
)
def test_speaker_bad_input_changes_nothing(
    app: Any,
    organizer: FlaskClient,
    speaker_ids: dict[str, int],
    change: dict[str, str],
    status: int,
    message: str,
) -> None:
    ani = speaker_ids["Ani"]
    refused = organizer.post(f"{BASE}/manage/speakers/{ani}", data=_details(**change))
    assert refused.status_code == status
    html = refused.get_data(as_text=True)
    assert message in html
    assert 'value="Diskominfo Jatim"' in html  # what was typed is kept
    stored = _speaker(app, ani)
    assert (stored.name, stored.email, stored.photo_url) == ("Ani", "ani@example.id", "")


def test_speaker_pages_need_an_organizer(
    client: FlaskClient, auth: Any, speaker_ids: dict[str, int]
) -> None:
    ani = speaker_ids["Ani"]
    assert client.get(f"{BASE}/manage/speakers").status_code in (302, 401, 403)
    auth.login("visitor@example.id")
    assert client.get(f"{BASE}/manage/speakers").status_code == 403
    assert client.post(f"{BASE}/manage/speakers/{ani}", data=_details()).status_code == 403


def test_unknown_speaker_is_404(organizer: FlaskClient, speaker_ids: dict[str, int]) -> None:
    assert organizer.get(f"{BASE}/manage/speakers/999999").status_code == 404
    assert organizer.post(f"{BASE}/manage/speakers/999999", data=_details()).status_code == 404


def test_availability_windows_add_refuse_remove(
    app: Any, organizer: FlaskClient, speaker_ids: dict[str, int], api: Callable[..., Any]
) -> None:
    ani = speaker_ids["Ani"]
    url = f"{BASE}/manage/speakers/{ani}/availability"
    added = organizer.post(
        url, data={"window-day": DAY1, "window-starts": "09:00", "window-ends": "12:00"}
    )
    assert added.status_code == 302
    assert _windows(app, ani) == [("2026-12-10T02:00:00+00:00", "2026-12-10T05:00:00+00:00")]
    page = organizer.get(f"{BASE}/manage/speakers/{ani}").get_data(as_text=True)
    assert "2026-12-10 09:00\u201312:00" in page
    overlap = organizer.post(
        url, data={"window-day": DAY1, "window-starts": "11:30", "window-ends": "13:00"}
    )
    assert overlap.status_code == 422
    assert (
        "This window overlaps the window of Ani from 2026-12-10 09:00 to 2026-12-10 12:00."
        in overlap.get_data(as_text=True)
    )
    backwards = organizer.post(
        url, data={"window-day": DAY1, "window-starts": "15:00", "window-ends": "14:00"}
    )
    assert backwards.status_code == 422
    assert "The window must end after it starts." in backwards.get_data(as_text=True)
    malformed = organizer.post(
        url, data={"window-day": DAY1, "window-starts": "9", "window-ends": "14:00"}
    )
    assert malformed.status_code == 422
    assert len(_windows(app, ani)) == 1
    # the same rule through the API: one service, one message
    refused = api(
        "post",
        f"/speakers/{ani}/availability",
        json={"starts_at": at(DAY1, "10:00"), "ends_at": at(DAY1, "10:30")},
    )
    assert refused.status_code == 422
    assert "from 2026-12-10 09:00 to 2026-12-10 12:00" in refused.get_json()["error"]["message"]
    with get_db(app).new_session() as db:
        window_id = db.query(Availability).filter_by(speaker_id=ani).one().id
    assert organizer.post(f"{url}/{window_id + 1000}/delete").status_code == 404
    assert organizer.post(f"{url}/{window_id}/delete").status_code == 302
    assert _windows(app, ani) == []


def test_window_of_another_speaker_is_not_removed(
    app: Any, organizer: FlaskClient, speaker_ids: dict[str, int], api: Callable[..., Any]
) -> None:
    ani, budi = speaker_ids["Ani"], speaker_ids["Budi"]
    api(
        "post",
        f"/speakers/{ani}/availability",
        json={"starts_at": at(DAY1, "09:00"), "ends_at": at(DAY1, "10:00")},
    )
    with get_db(app).new_session() as db:
        window_id = db.query(Availability).filter_by(speaker_id=ani).one().id
    url = f"{BASE}/manage/speakers/{budi}/availability/{window_id}/delete"
    assert organizer.post(url).status_code == 404
    assert len(_windows(app, ani)) == 1


# -- tracks page -------------------------------------------------------------------------


def _tracks(app: Any) -> list[tuple[str, str]]:
    with get_db(app).new_session() as db:
        return sorted((t.name, t.color) for t in db.query(Track))


def test_tracks_add_rename_recolour(app: Any, organizer: FlaskClient) -> None:
    assert organizer.get(f"{BASE}/manage/tracks").status_code == 200
    added = organizer.post(
        f"{BASE}/manage/tracks", data={"new-name": "Digital", "new-color": "#112233"}
    )
    assert added.status_code == 302
    organizer.post(f"{BASE}/manage/tracks", data={"new-name": "Health", "new-color": "#445566"})
    assert _tracks(app) == [("Digital", "#112233"), ("Health", "#445566")]
    with get_db(app).new_session() as db:
        digital = db.query(Track).filter_by(name="Digital").one().id
    html = organizer.get(f"{BASE}/manage/tracks").get_data(as_text=True)
    assert f'action="{BASE}/manage/tracks/{digital}"' in html
    prefix = f"track{digital}"
    saved = organizer.post(
        f"{BASE}/manage/tracks/{digital}",
        data={f"{prefix}-name": "E-Gov", f"{prefix}-color": "#aa0000"},
    )
    assert saved.status_code == 302
    assert _tracks(app) == [("E-Gov", "#aa0000"), ("Health", "#445566")]


def test_tracks_bad_input_changes_nothing(app: Any, organizer: FlaskClient) -> None:
    organizer.post(f"{BASE}/manage/tracks", data={"new-name": "Digital", "new-color": "#112233"})
    organizer.post(f"{BASE}/manage/tracks", data={"new-name": "Health", "new-color": "#445566"})
    before = _tracks(app)
    duplicate = organizer.post(
        f"{BASE}/manage/tracks", data={"new-name": "digital", "new-color": "#000000"}
    )
    assert duplicate.status_code == 409
    assert "Already used in this event." in duplicate.get_data(as_text=True)
    bad_colour = organizer.post(
        f"{BASE}/manage/tracks", data={"new-name": "Other", "new-color": "red"}
    )
    assert bad_colour.status_code == 422
    assert "Use #rrggbb" in bad_colour.get_data(as_text=True)
    with get_db(app).new_session() as db:
        digital = db.query(Track).filter_by(name="Digital").one().id
    prefix = f"track{digital}"
    clash = organizer.post(
        f"{BASE}/manage/tracks/{digital}",
        data={f"{prefix}-name": "Health", f"{prefix}-color": "#112233"},
    )
    assert clash.status_code == 409
    assert 'value="Health"' in clash.get_data(as_text=True)
    missing = organizer.post(
        f"{BASE}/manage/tracks/999999",
        data={"track999999-name": "X", "track999999-color": "#112233"},
    )
    assert missing.status_code == 404
    assert _tracks(app) == before


def test_console_pages_404_when_plugin_off(
    organizer: FlaskClient, speaker_ids: dict[str, int], make: Any, event: Event
) -> None:
    registry = make.app.extensions["gelar_plugins"]
    target = make.session.get(Event, event.id)
    plugin_settings.set_plugin_enabled(make.session, registry, target, "symposium", False)
    make.session.commit()
    ani = speaker_ids["Ani"]
    assert organizer.get(f"{BASE}/manage/speakers").status_code == 404
    assert organizer.get(f"{BASE}/manage/speakers/{ani}").status_code == 404
    assert organizer.post(f"{BASE}/manage/speakers/{ani}", data=_details()).status_code == 404
    assert organizer.get(f"{BASE}/manage/tracks").status_code == 404

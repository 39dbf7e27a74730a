"""Uploaded speaker photos: checked by content and decoding, scaled, stored, served publicly."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image

from core.db import get_db
from core.models import Event, Upload
from core.services import plugin_settings
from core.services.errors import ValidationFailed
from plugins.symposium import photos
from plugins.symposium.models import Speaker
from tests.plugins.symposium.helpers import ORGANIZER, SLUG, session_body

BASE = f"/{SLUG}/symposium"


def image_bytes(width: int, height: int, fmt: str = "PNG") -> bytes:
    """A real image of the given size and format."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 93, 75)).save(out, format=fmt)
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 20


@pytest.fixture
def organizer(client: FlaskClient, auth: Any, event: Event) -> FlaskClient:
    """The organizer, signed in, reading English."""
    auth.login(ORGANIZER)
    client.post("/lang/en")
    return client


@pytest.fixture
def ani(api: Callable[..., Any], db: Any) -> int:
    """The id of speaker Ani (no photo yet)."""
    api("post", "/sessions", json=session_body())
    found = db.query(Speaker).filter_by(name="Ani").one().id
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


def _uploads(app: Any) -> int:
    with get_db(app).new_session() as db:
        return db.query(Upload).count()


def _stored_files(app: Any) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "symposium"
    return sorted(folder.iterdir()) if folder.exists() else []


def _post(client: FlaskClient, speaker_id: int, content: bytes, name: str) -> Any:
    data = {
        "speaker-name": "Ani Rahayu",
        "speaker-photo_url": "",
        "speaker-photo": (io.BytesIO(content), name),
    }
    return client.post(
        f"{BASE}/manage/speakers/{speaker_id}", data=data, content_type="multipart/form-data"
    )


# -- service level -----------------------------------------------------------------------


def test_store_photo_service(app: Any, event: Event, ani: int, db: Any, in_request: None) -> None:
    speaker = db.get(Speaker, ani)
    root = Path(app.config["UPLOAD_FOLDER"])
    with pytest.raises(ValidationFailed) as refused:
        photos.store_photo(db, event, speaker, FAKE_PNG, "x.png", upload_root=root)
    assert "photo" in refused.value.fields
    assert speaker.photo_url == "" and _stored_files(app) == []
    upload = photos.store_photo(
        db, event, speaker, image_bytes(800, 200), "a.png", upload_root=root
    )
    assert speaker.photo_url == f"/{SLUG}/symposium/photos/{upload.id}"
    assert upload.content_type == "image/png" and upload.event_id == event.id
    assert upload.storage_path.startswith("symposium/") and ".." not in upload.storage_path
    with Image.open(root / upload.storage_path) as stored:
        assert stored.size == (400, 100)
    assert photos.photo_file(db, event, upload.id, root).id == upload.id


def test_a_replaced_photo_is_deleted_after_the_commit(
    app: Any, organizer: FlaskClient, ani: int
) -> None:
    assert _post(organizer, ani, image_bytes(60, 60), "a.png").status_code == 302
    first = _stored_files(app)
    assert len(first) == 1
    assert _post(organizer, ani, image_bytes(70, 70), "b.png").status_code == 302
    second = _stored_files(app)
    assert len(second) == 1 and second != first
    assert _uploads(app) == 1
    served = organizer.get(_speaker(app, ani).photo_url)
    assert served.status_code == 200 and Image.open(io.BytesIO(served.data)).size == (70, 70)
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    # A refused replacement keeps the current photo.
    assert _post(organizer, ani, b"<svg onload=alert(1)>", "c.png").status_code == 422
    assert _stored_files(app) == second


def test_photo_type_by_magic_bytes() -> None:
    assert photos.photo_type(image_bytes(2, 2)) == ("image/png", "png")
    assert photos.photo_type(image_bytes(2, 2, "JPEG")) == ("image/jpeg", "jpg")
    assert photos.photo_type(SVG) is None
    assert photos.photo_type(image_bytes(2, 2, "GIF")) is None


# -- HTTP --------------------------------------------------------------------------------


def test_good_png_is_scaled_stored_and_shown(
    app: Any, organizer: FlaskClient, ani: int, event: Event
) -> None:
    response = _post(organizer, ani, image_bytes(1200, 600), "ani.png")
    assert response.status_code == 302, response.get_data(as_text=True)
    speaker = _speaker(app, ani)
    assert speaker.photo_url.startswith(f"/{SLUG}/symposium/photos/")
    served = organizer.get(speaker.photo_url)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert Image.open(io.BytesIO(served.data)).size == (400, 200)
    assert [p.parent.name for p in _stored_files(app)] == ["symposium"]
    # Public pages show it with the speaker's name as alt text (also to anonymous visitors).
    organizer.post("/logout")
    page = organizer.get(f"{BASE}/speakers/{ani}").get_data(as_text=True)
    assert f'src="{speaker.photo_url}"' in page and 'alt="Photo of Ani Rahayu"' in page
    assert organizer.get(speaker.photo_url).status_code == 200


def test_session_page_shows_speaker_photo(
    app: Any, organizer: FlaskClient, ani: int, api: Callable[..., Any], rooms: dict[str, int]
) -> None:
    assert _post(organizer, ani, image_bytes(50, 50), "ani.png").status_code == 302
    speaker = _speaker(app, ani)
    api("post", "/schedule/auto")
    body = api("get", "/sessions").get_json()
    session_id = (body["items"] if isinstance(body, dict) else body)[0]["id"]
    page = organizer.get(f"{BASE}/sessions/{session_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'src="{speaker.photo_url}"' in html and 'alt="Photo of Ani Rahayu"' in html


def test_resaving_keeps_uploaded_photo(app: Any, organizer: FlaskClient, ani: int) -> None:
    assert _post(organizer, ani, image_bytes(50, 50), "ani.png").status_code == 302
    path = _speaker(app, ani).photo_url
    data = {"speaker-name": "Ani R.", "speaker-photo_url": path}
    assert organizer.post(f"{BASE}/manage/speakers/{ani}", data=data).status_code == 302
    assert _speaker(app, ani).photo_url == path
    other = {"speaker-name": "Ani R.", "speaker-photo_url": "/other-event/symposium/photos/1"}
    assert organizer.post(f"{BASE}/manage/speakers/{ani}", data=other).status_code == 422


def test_jpeg_is_accepted(app: Any, organizer: FlaskClient, ani: int) -> None:
    response = _post(organizer, ani, image_bytes(300, 500, "JPEG"), "ani.jpeg")
    assert response.status_code == 302
    served = organizer.get(_speaker(app, ani).photo_url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(served.data)).size == (240, 400)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (FAKE_PNG, "fake.png"),
        (SVG, "photo.svg"),
        (SVG, "photo.png"),
        (image_bytes(10, 10, "GIF"), "photo.gif"),
        (b"\xff\xd8\xff" + b"\x00" * 100, "broken.jpg"),
    ],
)
def test_bad_files_refused_nothing_stored(
    app: Any, organizer: FlaskClient, ani: int, content: bytes, name: str
) -> None:
    before = _uploads(app)
    response = _post(organizer, ani, content, name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="speaker-photo-error"' in html
    assert "Upload a PNG or JPEG image of at most 5 MB." in html
    speaker = _speaker(app, ani)
    assert speaker.photo_url == "" and speaker.name == "Ani"
    assert _uploads(app) == before and _stored_files(app) == []


def test_too_big_file_refused(app: Any, organizer: FlaskClient, ani: int) -> None:
    big = image_bytes(10, 10) + b"\x00" * photos.MAX_PHOTO_BYTES
    assert _post(organizer, ani, big, "big.png").status_code == 422
    assert _uploads(app) == 0 and _stored_files(app) == []


def test_other_uploads_are_404(app: Any, organizer: FlaskClient, make: Any, event: Event) -> None:
    other = make.event("other-2026", plugins=["symposium"])
    root = Path(app.config["UPLOAD_FOLDER"])
    (root / "symposium").mkdir(parents=True, exist_ok=True)
    photo_file = root / "symposium" / "other.png"
    photo_file.write_bytes(image_bytes(5, 5))
    document = root / "document.png"
    document.write_bytes(image_bytes(5, 5))

    def add(event_id: int, path: Path) -> int:
        upload = Upload(
            event_id=event_id,
            filename=path.name,
            content_type="image/png",
            size=path.stat().st_size,
            sha256="0" * 64,
            storage_path=str(path),
        )
        make.session.add(upload)
        make.session.flush()
        return upload.id

    theirs = add(other.id, photo_file)
    ours_elsewhere = add(event.id, document)
    make.session.commit()
    assert organizer.get(f"/other-2026/symposium/photos/{theirs}").status_code == 200
    assert organizer.get(f"{BASE}/photos/{theirs}").status_code == 404
    assert organizer.get(f"{BASE}/photos/{ours_elsewhere}").status_code == 404
    assert organizer.get(f"{BASE}/photos/999999").status_code == 404


def test_photo_404_when_plugin_off(app: Any, organizer: FlaskClient, ani: int, make: Any) -> None:
    assert _post(organizer, ani, image_bytes(20, 20), "ani.png").status_code == 302
    path = _speaker(app, ani).photo_url
    assert organizer.get(path).status_code == 200
    event = make.session.query(Event).filter_by(slug=SLUG).one()
    registry = make.app.extensions["gelar_plugins"]
    plugin_settings.set_plugin_enabled(make.session, registry, event, "symposium", False)
    make.session.commit()
    assert organizer.get(path).status_code == 404
    assert _post(organizer, ani, image_bytes(20, 20), "ani.png").status_code == 404

"""Uploaded speaker photos: checked by content, decoded, scaled and stored as core uploads.

A photo is accepted only when its first bytes say PNG or JPEG *and* Pillow decodes it; it is
then scaled to fit ``PHOTO_MAX_SIDE`` square and re-encoded (which drops metadata and any
trailing bytes).  Files live under ``<UPLOAD_FOLDER>/symposium/`` with random names and a
core ``Upload`` row, and are served by the public ``symposium.photo`` route, whose path
becomes the speaker's ``photo_url``.  A replaced photo is deleted after the commit.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from core.models import Event, Upload
from core.services import audit, images, uploads
from core.services.errors import NotFound, ValidationFailed
from plugins.symposium.models import Speaker

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 400
SUBFOLDER = "symposium"


def photo_path(event: Event, upload_id: int) -> str:
    """The public path of an uploaded photo (what the speaker's ``photo_url`` holds)."""
    return f"/{event.slug}/symposium/photos/{upload_id}"


def photo_type(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PNG or JPEG judged by its bytes, else ``None``."""
    return images.image_type(content)


def store_photo(
    session: DbSession,
    event: Event,
    speaker: Speaker,
    content: bytes,
    filename: str,
    *,
    upload_root: Path,
    actor_id: int | None = None,
    event_limit: int | None = None,
) -> Upload:
    """Store a speaker's photo and point ``speaker.photo_url`` at it.

    422 (field ``photo``, nothing stored) unless the file is a PNG or JPEG of at most 5 MB
    that decodes.  The file is written only after every check passed.
    """
    if speaker.event_id != event.id:
        raise NotFound(_("Unknown speaker."))
    scaled = (
        images.scaled_copy(content, PHOTO_MAX_SIDE) if len(content) <= MAX_PHOTO_BYTES else None
    )
    if scaled is None:
        raise ValidationFailed(
            _("The photo must be a PNG or JPEG image of at most 5 MB."),
            fields={"photo": [_("Upload a PNG or JPEG image of at most 5 MB.")]},
        )
    normalized, content_type, extension = scaled
    uploads.check_quota(
        session, event_id=event.id, adding=len(normalized), event_limit=event_limit, field="photo"
    )
    relative = uploads.write_file(session, upload_root, SUBFOLDER, extension, normalized)
    upload = Upload(
        event_id=event.id,
        owner_user_id=actor_id,
        filename=(Path(filename).name or f"photo.{extension}")[:255],
        content_type=content_type,
        size=len(normalized),
        sha256=hashlib.sha256(normalized).hexdigest(),
        storage_path=relative,
    )
    session.add(upload)
    session.flush()
    speaker.photo_url = photo_path(event, upload.id)
    session.flush()
    audit.record(
        session,
        "symposium.speaker_photo_uploaded",
        event_id=event.id,
        user_id=actor_id,
        speaker=speaker.name,
    )
    return upload


def photo_file(session: DbSession, event: Event, upload_id: int, upload_root: Path) -> Upload:
    """The event's stored speaker photo ``upload_id``; 404 unless it is one (or it's missing)."""
    upload = session.get(Upload, upload_id)
    if upload is None or upload.event_id != event.id:
        raise NotFound(_("Unknown photo."))
    folder = (upload_root / SUBFOLDER).resolve()
    path = uploads.file_path(upload_root, upload)
    if path is None or folder not in path.parents or not path.is_file():
        raise NotFound(_("Unknown photo."))
    return upload


def uploaded_photo(session: DbSession, event: Event, url: str) -> Upload | None:
    """The event's uploaded photo that ``url`` (a ``photo_url``) shows, else ``None``."""
    prefix = photo_path(event, 0)[:-1]
    tail = (url or "")[len(prefix) :] if (url or "").startswith(prefix) else ""
    if not (tail.isascii() and tail.isdigit()) or len(tail) > 9:
        return None
    upload = session.get(Upload, int(tail))
    return upload if upload is not None and upload.event_id == event.id else None


def release_photo(
    session: DbSession, event: Event, previous: Upload | None, upload_root: Path
) -> None:
    """Delete ``previous`` (after the commit) once no speaker of the event shows it.

    Call it after a speaker's photo was replaced, changed to an outside URL or cleared.
    """
    if previous is None:
        return
    url = photo_path(event, previous.id)
    shown = session.scalar(
        select(Speaker.id).where(Speaker.event_id == event.id, Speaker.photo_url == url).limit(1)
    )
    if shown is None:
        uploads.discard(session, upload_root, [previous])

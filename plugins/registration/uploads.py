"""Innovation documents: PDF or image, at most 10 MB, recognised by content (not by name).

Files are recognised by their signatures ("magic bytes"); an image must also decode with
Pillow (a file with a PNG header and garbage after it is refused).  A file renamed ``.pdf``
that does not start with ``%PDF-`` is refused whatever its name says.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from sqlalchemy.orm import Session

from core.i18n import N_
from core.models import Upload
from core.services import images
from core.services.errors import ValidationFailed

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# (content type, file extension, test on the first bytes)
_KINDS: tuple[tuple[str, str, bytes, int], ...] = (
    ("application/pdf", "pdf", b"%PDF-", 0),
    ("image/png", "png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", "jpg", b"\xff\xd8\xff", 0),
    ("image/gif", "gif", b"GIF8", 0),
)


def sniff_document(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF or image recognised by its content, else ``None``."""
    for content_type, extension, magic, offset in _KINDS:
        if data[offset : offset + len(magic)] == magic:
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def check_document(data: bytes, field: str = "document") -> tuple[str, str]:
    """Content type and extension of an acceptable document; :class:`ValidationFailed` if not."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(
            "document too large", fields={field: [N_("The file is larger than 10 MB.")]}
        )
    if not data:
        raise ValidationFailed("empty document", fields={field: [N_("The file is empty.")]})
    kind = sniff_document(data)
    if kind is not None and kind[0].startswith("image/") and not images.decodes(data):
        kind = None
    if kind is None:
        raise ValidationFailed(
            "not a PDF or image",
            fields={field: [N_("Upload a PDF or an image (PNG, JPEG, GIF, WebP).")]},
        )
    return kind


def safe_filename(name: str) -> str:
    """The uploaded file's name without directories, trimmed to fit the column."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (base or "document")[:255]


def store_document(
    session: Session,
    upload_dir: str | Path,
    data: bytes,
    filename: str,
    *,
    event_id: int | None,
    field: str = "document",
) -> Upload:
    """Check ``data``, write it under ``upload_dir/registration/`` and add an ``Upload`` row."""
    content_type, extension = check_document(data, field)
    relative = Path("registration") / f"{secrets.token_hex(16)}.{extension}"
    target = Path(upload_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    upload = Upload(
        event_id=event_id,
        filename=safe_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_path=str(relative),
    )
    session.add(upload)
    session.flush()
    return upload

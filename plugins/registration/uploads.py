"""Innovation documents: a PDF or an image, at most 10 MB, judged by content, never kept as sent.

* Images (PNG, JPEG, GIF, WebP, recognised by their first bytes) are decoded within the
  pixel budget of :mod:`core.services.images` and stored as a fresh encoding (at most
  :data:`DOCUMENT_MAX_SIDE` pixels a side): metadata, extra frames and anything appended
  after the image (a script tail on a PNG or GIF) are gone.  JPEG stays JPEG, the rest
  becomes PNG.
* PDFs cannot be re-encoded without a PDF library, so they are checked and refused when
  they carry active content — ``/JavaScript``, ``/JS``, ``/OpenAction``, ``/AA``
  (automatic actions), ``/Launch``, ``/EmbeddedFile(s)``, ``/RichMedia``, ``/XFA``,
  ``/SubmitForm``, ``/ImportData``, ``/GoToR``/``/GoToE`` — also when the name is written with
  ``#xx`` escapes or hidden inside a compressed stream (object streams).  Kept PDFs are
  only ever served as attachments with ``nosniff`` and a sandbox CSP (see
  :func:`core.files.send_upload`).
* A file renamed ``.pdf`` that does not start with ``%PDF-`` is refused whatever its name.

Files get random names under ``<UPLOAD_FOLDER>/registration/``; a replaced document is
deleted after the transaction commits (:mod:`core.services.uploads`).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from pathlib import Path

from sqlalchemy.orm import Session

from core.i18n import N_
from core.models import Upload
from core.services import images, uploads
from core.services.errors import ValidationFailed

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_MAX_SIDE = 2400
IMAGE_EXTENSIONS = ("png", "jpg", "gif", "webp")
# PDF names that run code, open other files or carry files; refused wherever they occur.
ACTIVE_PDF_NAMES = frozenset(
    {
        b"javascript",
        b"js",
        b"openaction",
        b"aa",
        b"launch",
        b"embeddedfile",
        b"embeddedfiles",
        b"richmedia",
        b"xfa",
        b"submitform",
        b"importdata",
        b"gotor",
        b"gotoe",
    }
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# Decompressed bytes inspected per PDF, at most (a zip bomb in a stream is refused).
MAX_INFLATED_BYTES = 50 * 1024 * 1024


def sniff_document(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF or image recognised by its content, else ``None``."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    kind = images.image_type(data)
    if kind is not None:
        return kind
    if data[:4] == b"GIF8":
        return "image/gif", "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def _names(chunk: bytes) -> set[bytes]:
    return {
        _PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name).lower()
        for name in _PDF_NAME.findall(chunk)
    }


def pdf_active_content(data: bytes) -> set[str]:
    """The active-content names a PDF uses (empty when it is a plain document).

    Looks at the file and inside every Flate-compressed stream; a stream that inflates past
    :data:`MAX_INFLATED_BYTES` in total counts as active content (it cannot be checked).
    """
    found = _names(data) & ACTIVE_PDF_NAMES
    budget = MAX_INFLATED_BYTES
    for match in _PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget + 1)
        except zlib.error:
            continue
        if len(inflated) > budget:
            return found | {"oversized-stream"}
        budget -= len(inflated)
        found |= _names(inflated) & ACTIVE_PDF_NAMES
    return {name.decode("ascii", "replace") for name in found}


def prepare_document(data: bytes, field: str = "document") -> tuple[bytes, str, str]:
    """The bytes to store, content type and extension; :class:`ValidationFailed` if refused."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(
            "document too large", fields={field: [N_("The file is larger than 10 MB.")]}
        )
    if not data:
        raise ValidationFailed("empty document", fields={field: [N_("The file is empty.")]})
    kind = sniff_document(data)
    if kind is None:
        raise ValidationFailed(
            "not a PDF or image",
            fields={field: [N_("Upload a PDF or an image (PNG, JPEG, GIF, WebP).")]},
        )
    if kind[1] == "pdf":
        if pdf_active_content(data):
            raise ValidationFailed(
                "active PDF",
                fields={
                    field: [
                        N_(
                            "This PDF contains scripts, automatic actions or embedded files. "
                            "Save it again as a plain PDF (for example with “Print to PDF”)."
                        )
                    ]
                },
            )
        return data, kind[0], kind[1]
    encoded = images.reencode(data, DOCUMENT_MAX_SIDE, extensions=IMAGE_EXTENSIONS)
    if encoded is None:
        raise ValidationFailed(
            "image refused",
            fields={
                field: [
                    N_(
                        "The image cannot be read or has too many pixels "
                        "(at most 16 megapixels; JPEG photos up to 40)."
                    )
                ]
            },
        )
    return encoded.data, encoded.content_type, encoded.extension


def check_document(data: bytes, field: str = "document") -> tuple[str, str]:
    """Content type and extension of the stored form of an acceptable document."""
    _stored, content_type, extension = prepare_document(data, field)
    return content_type, extension


def safe_filename(name: str) -> str:
    """The uploaded file's name without directories, trimmed to fit the column."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (base or "document")[:255]


def stored_filename(name: str, extension: str) -> str:
    """The download name: the uploaded name with the stored format's extension."""
    base = safe_filename(name)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem[:250] or 'document'}.{extension}"


def store_document(
    session: Session,
    upload_dir: str | Path,
    data: bytes,
    filename: str,
    *,
    event_id: int | None,
    field: str = "document",
    registration_bytes: int = 0,
    registration_limit: int | None = None,
    event_limit: int | None = None,
) -> Upload:
    """Check ``data``, store its safe form under ``upload_dir/registration/``, add an ``Upload``.

    ``registration_bytes`` is what the registration's other documents already take; the
    limits are the storage caps (413 past one).  The file is removed again if the
    transaction does not commit.
    """
    stored, content_type, extension = prepare_document(data, field)
    uploads.check_quota(
        session,
        event_id=event_id,
        adding=len(stored),
        event_limit=event_limit,
        registration_bytes=registration_bytes,
        registration_limit=registration_limit,
        field=field,
    )
    relative = uploads.write_file(session, upload_dir, "registration", extension, stored)
    upload = Upload(
        event_id=event_id,
        filename=stored_filename(filename, extension),
        content_type=content_type,
        size=len(stored),
        sha256=hashlib.sha256(stored).hexdigest(),
        storage_path=relative,
    )
    session.add(upload)
    session.flush()
    return upload

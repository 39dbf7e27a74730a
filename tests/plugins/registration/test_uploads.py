"""Innovation documents: re-encoded or refused, served safely, replaced files removed, capped."""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Upload
from core.services import uploads
from core.services.errors import StorageFull, ValidationFailed
from plugins.registration.models import Registration
from plugins.registration.uploads import pdf_active_content, prepare_document, store_document
from tests.plugins.registration.conftest import SLUG

BASE = f"/{SLUG}/registration"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SCRIPT = b"<script>alert(document.cookie)</script>"
AGENCY = {"name": "Dinas Kominfo", "kind": "government", "region": "Kota Surabaya"}
CONTACT = {"name": "Agus", "email": "agus@kominfo.example.id", "phone": "0812 1111 2222"}
RANDOM_NAME = re.compile(r"^registration/[0-9a-f]{32}\.(pdf|png|jpg)$")


def png(color: tuple[int, int, int] = (11, 93, 75), size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, format="GIF")
    return out.getvalue()


def files(app: Flask) -> set[Path]:
    """Every file under the upload folder's registration/."""
    root = Path(app.config["UPLOAD_FOLDER"]) / "registration"
    return {p for p in root.glob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def visitor(client: FlaskClient, event: Event) -> FlaskClient:
    """An anonymous client reading English."""
    client.post("/lang/en")
    return client


def _draft(visitor: FlaskClient) -> str:
    """Start a registration and fill the contact step; the path of its status page."""
    response = visitor.post(f"{BASE}/register", data=AGENCY)
    found = re.search(r"(/jatim-2026/registration/r/[^/]+/)", response.headers["Location"])
    assert found is not None
    status = found.group(1)
    assert visitor.post(f"{status}contact", data=CONTACT).status_code == 302
    return status


def _send(visitor: FlaskClient, status: str, document: bytes, name: str, **extra: Any) -> Any:
    data = {
        "innovation_0-title": "Satu",
        "innovation_0-summary": "Cepat",
        "innovation_0-category": "Kesehatan",
        "innovation_0-document": (io.BytesIO(document), name),
        **extra,
    }
    return visitor.post(f"{status}innovations", data=data, content_type="multipart/form-data")


def _document(db: Session) -> Upload | None:
    db.expire_all()
    registration = db.scalar(select(Registration))
    innovations = registration.innovations if registration else []
    upload_id = innovations[0].document_upload_id if innovations else None
    found = db.get(Upload, upload_id) if upload_id else None
    db.commit()
    return found


# --- what is kept -------------------------------------------------------------------------


def test_images_are_re_encoded_without_what_was_appended() -> None:
    stored, content_type, extension = prepare_document(png() + SCRIPT)
    assert (content_type, extension) == ("image/png", "png") and SCRIPT not in stored
    stored, content_type, extension = prepare_document(gif() + SCRIPT)
    assert (content_type, extension) == ("image/png", "png") and SCRIPT not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 8)


def test_a_pixel_bomb_is_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (6300, 6300)).save(out, format="PNG", optimize=True)
    with pytest.raises(ValidationFailed) as refused:
        prepare_document(out.getvalue())
    assert "megapixels" in refused.value.fields["document"][0]


@pytest.mark.parametrize(
    "pdf",
    [
        b"%PDF-1.4\n1 0 obj << /OpenAction 2 0 R >> endobj\n2 0 obj << /S /JavaScript >> endobj",
        b"%PDF-1.4\n1 0 obj << /AA << /O 3 0 R >> >> endobj",
        b"%PDF-1.4\n1 0 obj << /S /Launch /F (cmd.exe) >> endobj",
        b"%PDF-1.4\n1 0 obj << /Names << /EmbeddedFiles 4 0 R >> >> endobj",
        b"%PDF-1.4\n1 0 obj << /J#61vaScript 5 0 R >> endobj",  # a name written with #xx
        b"%PDF-1.5\n1 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"<< /OpenAction << /S /JS /JS (app.alert(1)) >> >>")
        + b"\nendstream\nendobj",
    ],
)
def test_pdfs_with_active_content_are_refused(pdf: bytes) -> None:
    assert pdf_active_content(pdf)
    with pytest.raises(ValidationFailed) as refused:
        prepare_document(pdf)
    assert "scripts" in refused.value.fields["document"][0]


def test_a_plain_pdf_is_kept_as_sent() -> None:
    assert pdf_active_content(PDF) == set()
    assert prepare_document(PDF) == (PDF, "application/pdf", "pdf")


def test_the_form_refuses_an_active_pdf_next_to_the_field(
    visitor: FlaskClient, db: Session, app: Flask
) -> None:
    status = _draft(visitor)
    bad = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (x) >> >> endobj\n%%EOF"
    response = _send(visitor, status, bad, "proposal.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="innovation_0-document-error">[^<]*scripts', page)
    assert _document(db) is None and files(app) == set()


# --- where and how it is stored and served ------------------------------------------------


def test_files_get_random_names_under_the_instance_folder(
    visitor: FlaskClient, db: Session, app: Flask
) -> None:
    status = _draft(visitor)
    assert _send(visitor, status, png() + SCRIPT, "../../poster.png").status_code == 302
    upload = _document(db)
    assert upload is not None and RANDOM_NAME.match(upload.storage_path)
    assert upload.filename == "poster.png" and upload.content_type == "image/png"
    folder = Path(app.config["UPLOAD_FOLDER"]).resolve()
    assert folder == (Path(app.instance_path) / "uploads").resolve()
    static = Path(app.static_folder or "").resolve()
    assert static not in folder.parents
    stored = (folder / upload.storage_path).read_bytes()
    assert SCRIPT not in stored and stored.startswith(b"\x89PNG")


def test_documents_are_served_as_attachments_with_nosniff_and_a_sandbox(
    visitor: FlaskClient, organizer: FlaskClient, db: Session
) -> None:
    status = _draft(visitor)
    assert _send(visitor, status, PDF, "proposal.pdf").status_code == 302
    upload = _document(db)
    assert upload is not None
    response = organizer.get(f"{BASE}/manage/documents/{upload.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


# --- replaced files go after the commit, never before -------------------------------------


def test_a_re_submitted_draft_deletes_the_previous_file(
    visitor: FlaskClient, db: Session, app: Flask
) -> None:
    status = _draft(visitor)
    assert _send(visitor, status, png((1, 2, 3)), "a.png").status_code == 302
    first = _document(db)
    assert first is not None and len(files(app)) == 1
    first_id = first.id
    assert _send(visitor, status, png((4, 5, 6)), "b.png").status_code == 302
    second = _document(db)
    assert second is not None and second.id != first_id
    assert files(app) == {Path(app.config["UPLOAD_FOLDER"]) / second.storage_path}
    assert db.get(Upload, first_id) is None


def test_a_refused_re_submission_keeps_the_old_file_and_leaves_no_new_one(
    visitor: FlaskClient, db: Session, app: Flask
) -> None:
    status = _draft(visitor)
    assert _send(visitor, status, PDF, "a.pdf").status_code == 302
    before = files(app)
    # The first document is good and written; the second is refused: all rolls back.
    second = {
        "innovation_1-title": "Dua",
        "innovation_1-category": "Kesehatan",
        "innovation_1-document": (io.BytesIO(b"MZ\x90\x00 an exe"), "c.pdf"),
    }
    response = _send(visitor, status, png(), "b.png", **second)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert files(app) == before
    assert _document(db) is not None


def test_files_follow_the_transaction(app: Flask, db: Session, event: Event) -> None:
    folder = app.config["UPLOAD_FOLDER"]
    kept = store_document(db, folder, PDF, "kept.pdf", event_id=event.id)
    db.commit()
    kept_path = Path(folder) / kept.storage_path

    written = store_document(db, folder, PDF, "new.pdf", event_id=event.id)
    written_path = Path(folder) / written.storage_path
    assert written_path.exists()
    db.rollback()
    assert not written_path.exists()  # never committed: gone

    uploads.discard(db, folder, [db.get(Upload, kept.id)])
    assert kept_path.exists()  # not before the commit
    db.rollback()
    assert kept_path.exists()  # and not on a rollback
    assert db.get(Upload, kept.id) is not None

    uploads.discard(db, folder, [db.get(Upload, kept.id)])
    db.commit()
    assert not kept_path.exists() and db.get(Upload, kept.id) is None


# --- storage caps -------------------------------------------------------------------------


def test_the_event_cap_refuses_with_413(app: Flask, db: Session, event: Event) -> None:
    folder = app.config["UPLOAD_FOLDER"]
    store_document(db, folder, PDF, "a.pdf", event_id=event.id, event_limit=len(PDF) * 2)
    db.commit()
    with pytest.raises(StorageFull) as refused:
        store_document(
            db, folder, PDF + b" " * 10, "b.pdf", event_id=event.id, event_limit=len(PDF) * 2
        )
    assert refused.value.status == 413
    db.rollback()
    assert len(files(app)) == 1


def test_the_registration_cap_answers_413_on_the_form(
    visitor: FlaskClient, db: Session, app: Flask
) -> None:
    app.config["UPLOAD_QUOTA_REGISTRATION_BYTES"] = len(PDF) - 1
    status = _draft(visitor)
    response = _send(visitor, status, PDF, "a.pdf")
    assert response.status_code == 413
    assert "storage limit" in response.get_data(as_text=True)
    assert files(app) == set()


def test_the_cap_message_is_translated(visitor: FlaskClient, app: Flask) -> None:
    app.config["UPLOAD_QUOTA_EVENT_BYTES"] = 10
    visitor.post("/lang/id")
    status = _draft(visitor)
    response = _send(visitor, status, PDF, "a.pdf")
    assert response.status_code == 413
    assert "Penyimpanan berkas acara ini penuh" in response.get_data(as_text=True)

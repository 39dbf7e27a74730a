"""Issue 15: the eligibility rule "required documents" — labelled uploads in the wizard and
the API, the organizers' view and download, erasure with the contact's data."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Upload
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.registration import documents, eligibility, privacy, services
from plugins.registration.models import Registration, RegistrationDocument
from tests.plugins.registration.conftest import (
    NOW,
    OFF_SLUG,
    ORGANIZER,
    SLUG,
    body,
    contact_input,
    innovation_input,
    org_input,
    set_settings,
)

BASE = f"/{SLUG}/registration"
API = f"/api/v1/events/{SLUG}/registrations"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PDF2 = PDF.replace(b"Catalog", b"Catalog /Lang (id)")
ACTIVE = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (x) >> >> endobj\n%%EOF"
RULES = {
    "required_documents": [
        {"key": "sk", "label": "SK Kepala Daerah"},
        {"key": "profil", "label": "Profil inovasi"},
    ]
}
AGENCY = {"name": "Dinas Kominfo", "kind": "government", "region": "Kota Surabaya"}
CONTACT = {"name": "Agus", "email": "agus@kominfo.example.id", "phone": "0812 1111 2222"}


@pytest.fixture
def ruled(app: Flask, db: Session, event: Event) -> Event:
    """The open event asking for two documents."""
    set_settings(app, db, event, eligibility=RULES)
    return event


def files(app: Flask) -> set[Path]:
    root = Path(app.config["UPLOAD_FOLDER"]) / "registration"
    return {p for p in root.glob("*") if p.is_file()} if root.exists() else set()


def storage(app: Flask) -> documents.Storage:
    return documents.Storage(app.config["UPLOAD_FOLDER"], 50 * 1024 * 1024, None)


def _draft(db: Session, event: Event) -> Registration:
    registration = services.start_draft(db, db.merge(event), org_input(), now=NOW)
    services.update_contact(db, db.merge(event), registration, contact_input(), now=NOW)
    services.replace_innovations(db, db.merge(event), registration, [innovation_input()], now=NOW)
    db.commit()
    return registration


def _keys(db: Session) -> dict[str, str]:
    db.expire_all()
    rows = db.execute(
        select(RegistrationDocument.key, Upload.filename).join(
            Upload, Upload.id == RegistrationDocument.upload_id
        )
    )
    found = {key: name for key, name in rows}
    db.commit()
    return found


# --- the service -----------------------------------------------------------------------------


def test_store_replace_and_the_rule_passes_once_every_label_has_a_file(
    app: Flask, db: Session, ruled: Event, ctx: Any
) -> None:
    registration = _draft(db, ruled)
    target = db.merge(ruled)
    settings = services.event_settings(target)
    problems = eligibility.check(db, target, registration, settings)
    assert "SK Kepala Daerah, Profil inovasi" in problems[0].reason
    documents.store(
        db,
        target,
        registration,
        settings,
        documents.DocumentInput("sk", "sk.pdf", PDF),
        storage(app),
    )
    db.commit()
    first = files(app)
    documents.store(
        db,
        target,
        registration,
        settings,
        documents.DocumentInput("sk", "baru.pdf", PDF2),
        storage(app),
    )
    db.commit()
    assert _keys(db) == {"sk": "baru.pdf"}
    assert len(files(app)) == 1 and files(app) != first  # the replaced file is gone
    problems = eligibility.check(db, target, registration, settings)
    assert [p.rule for p in problems] == ["required_documents"]
    documents.store(
        db,
        target,
        registration,
        settings,
        documents.DocumentInput("profil", "p.pdf", PDF),
        storage(app),
    )
    db.commit()
    assert eligibility.check(db, target, registration, settings) == []


def test_unknown_keys_bad_files_and_removal_rules(
    app: Flask, db: Session, ruled: Event, ctx: Any, registry: Any
) -> None:
    registration = _draft(db, ruled)
    target = db.merge(ruled)
    settings = services.event_settings(target)
    with pytest.raises(ValidationFailed) as unknown:
        documents.store(
            db,
            target,
            registration,
            settings,
            documents.DocumentInput("ktp", "x.pdf", PDF),
            storage(app),
        )
    assert "documents.ktp" in unknown.value.fields
    with pytest.raises(ValidationFailed) as active:
        documents.store(
            db,
            target,
            registration,
            settings,
            documents.DocumentInput("sk", "x.pdf", ACTIVE),
            storage(app),
        )
    assert "documents.sk" in active.value.fields
    db.rollback()
    assert _keys(db) == {} and files(app) == set()
    with pytest.raises(NotFound):
        documents.remove(db, registration, "sk", storage(app))
    for key in ("sk", "profil"):
        documents.store(
            db,
            target,
            registration,
            settings,
            documents.DocumentInput(key, f"{key}.pdf", PDF),
            storage(app),
        )
    documents.remove(db, registration, "profil", storage(app))
    db.commit()
    assert _keys(db) == {"sk": "sk.pdf"} and len(files(app)) == 1
    documents.store(
        db,
        target,
        registration,
        settings,
        documents.DocumentInput("profil", "p.pdf", PDF),
        storage(app),
    )
    services.submit_draft(db, registry, db.merge(ruled), registration, now=NOW)
    db.commit()
    with pytest.raises(Conflict):  # a submitted registration passed the rule with it
        documents.remove(db, registration, "sk", storage(app))


def test_the_registration_cap_counts_labelled_documents(
    app: Flask, db: Session, ruled: Event, ctx: Any
) -> None:
    registration = _draft(db, ruled)
    target = db.merge(ruled)
    settings = services.event_settings(target)
    tight = documents.Storage(app.config["UPLOAD_FOLDER"], len(PDF) + 10, None)
    documents.store(
        db, target, registration, settings, documents.DocumentInput("sk", "a.pdf", PDF), tight
    )
    with pytest.raises(Exception) as full:
        documents.store(
            db,
            target,
            registration,
            settings,
            documents.DocumentInput("profil", "b.pdf", PDF),
            tight,
        )
    assert getattr(full.value, "status", None) == 413
    # replacing one file with one of the same size stays within the cap
    documents.store(
        db, target, registration, settings, documents.DocumentInput("sk", "c.pdf", PDF), tight
    )


def test_erasing_the_contacts_data_erases_the_documents(
    app: Flask, db: Session, ruled: Event, ctx: Any
) -> None:
    registration = _draft(db, ruled)
    target = db.merge(ruled)
    settings = services.event_settings(target)
    documents.store(
        db,
        target,
        registration,
        settings,
        documents.DocumentInput("sk", "sk.pdf", PDF),
        storage(app),
    )
    db.commit()
    privacy.erase(db, None, "sri@dinkes.example.id", None, app.config["UPLOAD_FOLDER"])
    db.commit()
    assert _keys(db) == {} and files(app) == set()
    assert db.scalar(select(Upload.id)) is None


# --- the wizard --------------------------------------------------------------------------------


@pytest.fixture
def visitor(client: FlaskClient, ruled: Event) -> FlaskClient:
    client.post("/lang/en")
    return client


def _wizard_draft(visitor: FlaskClient) -> str:
    response = visitor.post(f"{BASE}/register", data=AGENCY)
    found = re.search(r"(/jatim-2026/registration/r/[^/]+/)", response.headers["Location"])
    assert found is not None
    status = found.group(1)
    assert visitor.post(f"{status}contact", data=CONTACT).status_code == 302
    innovations = visitor.post(
        f"{status}innovations",
        data={
            "innovation_0-title": "Satu",
            "innovation_0-summary": "Cepat",
            "innovation_0-category": "Kesehatan",
        },
        content_type="multipart/form-data",
    )
    assert innovations.headers["Location"].endswith("/documents")  # the next step
    return status


def _upload(visitor: FlaskClient, status: str, key: str, data: bytes, name: str) -> Any:
    return visitor.post(
        f"{status}documents/{key}",
        data={f"{key}-file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_wizard_labelled_uploads_replace_remove_and_submit(
    visitor: FlaskClient, db: Session, app: Flask
) -> None:
    status = _wizard_draft(visitor)
    page = visitor.get(f"{status}documents").get_data(as_text=True)
    assert "SK Kepala Daerah" in page and "Profil inovasi" in page
    assert 'id="sk-file"' in page and 'id="profil-file"' in page
    assert "4. Documents" in page
    refused = visitor.post(f"{status}review", data={})
    assert refused.status_code == 422
    assert "SK Kepala Daerah" in refused.get_data(as_text=True)
    assert _upload(visitor, status, "sk", PDF, "sk.pdf").status_code == 302
    assert _upload(visitor, status, "sk", PDF2, "sk-baru.pdf").status_code == 302
    assert _upload(visitor, status, "profil", PDF, "profil.pdf").status_code == 302
    assert _keys(db) == {"sk": "sk-baru.pdf", "profil": "profil.pdf"}
    assert len(files(app)) == 2
    page = visitor.get(f"{status}documents").get_data(as_text=True)
    assert "Stored: sk-baru.pdf" in page and "Remove" in page
    assert visitor.post(f"{status}documents/profil/remove").status_code == 302
    assert _keys(db) == {"sk": "sk-baru.pdf"}
    assert _upload(visitor, status, "profil", PDF, "profil.pdf").status_code == 302
    review = visitor.get(f"{status}review").get_data(as_text=True)
    assert "profil.pdf" in review
    sent = visitor.post(f"{status}review", data={})
    assert sent.status_code == 302
    db.expire_all()
    assert db.scalar(select(Registration.status)) == "pending"
    db.commit()
    # once submitted a document is replaced, never removed
    assert visitor.post(f"{status}documents/sk/remove").status_code == 302
    assert _keys(db) == {"sk": "sk-baru.pdf", "profil": "profil.pdf"}


def test_wizard_refuses_bad_files_next_to_the_document(
    visitor: FlaskClient, db: Session, app: Flask
) -> None:
    status = _wizard_draft(visitor)
    response = _upload(visitor, status, "sk", ACTIVE, "sk.pdf")
    assert response.status_code == 422
    assert re.search(r'id="sk-file-error">[^<]*scripts', response.get_data(as_text=True))
    empty = visitor.post(f"{status}documents/sk", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422
    assert "Choose a file to upload." in empty.get_data(as_text=True)
    assert _upload(visitor, status, "ktp", PDF, "x.pdf").status_code == 404
    assert _keys(db) == {} and files(app) == set()


def test_without_the_rule_there_is_no_documents_step(client: FlaskClient, event: Event) -> None:
    client.post("/lang/en")
    response = client.post(f"{BASE}/register", data=AGENCY)
    status = re.search(r"(/jatim-2026/registration/r/[^/]+/)", response.headers["Location"])
    assert status is not None
    assert client.get(f"{status.group(1)}documents").status_code == 404
    assert "Documents" not in client.get(f"{status.group(1)}contact").get_data(as_text=True)
    upload = _upload(client, status.group(1), "sk", PDF, "sk.pdf")
    assert upload.status_code == 404


def test_disabled_plugin_answers_404(client: FlaskClient, off_event: Event) -> None:
    assert client.post(f"/{OFF_SLUG}/registration/r/x/documents/sk").status_code == 404
    assert client.put(f"/api/v1/events/{OFF_SLUG}/registrations/1/documents/sk").status_code in (
        401,
        404,
    )


# --- the organizers ----------------------------------------------------------------------------


def test_organizer_sees_and_downloads_another_event_does_not(
    visitor: FlaskClient, db: Session, app: Flask, auth: Any, make: Any
) -> None:
    status = _wizard_draft(visitor)
    _upload(visitor, status, "sk", PDF, "sk.pdf")
    visitor.post(f"{status}review", data={})
    registration_id = db.scalar(select(Registration.id))
    upload_id = db.scalar(select(RegistrationDocument.upload_id))
    db.commit()
    other = make.user("lain@example.id", "Lain")
    make.event("lain-2026", plugins=["registration"], organizer=other)
    auth.login(ORGANIZER)
    page = visitor.get(f"{BASE}/manage/{registration_id}").get_data(as_text=True)
    assert 'data-document="sk"' in page and "sk.pdf" in page
    assert 'data-rule="required_documents"' in page  # "profil" is still missing
    download = visitor.get(f"{BASE}/manage/documents/{upload_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    auth.logout()
    auth.login("lain@example.id")
    assert visitor.get(f"{BASE}/manage/documents/{upload_id}").status_code in (403, 404)
    assert visitor.get(f"/lain-2026/registration/manage/documents/{upload_id}").status_code == 404


# --- the API -------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_api_registers_with_documents_and_replaces_them(
    client: FlaskClient, db: Session, app: Flask, ruled: Event, headers: dict[str, str]
) -> None:
    missing = client.post(API, json=body(documents=[{"key": "sk", "content": _b64(PDF)}]))
    assert missing.status_code == 422
    assert (
        "Profil inovasi"
        in missing.get_json()["error"]["fields"]["eligibility.required_documents"][0]
    )
    assert _keys(db) == {} and files(app) == set()
    bad = client.post(API, json=body(documents=[{"key": "sk", "content": "%%%"}]))
    assert bad.status_code == 422 and "documents.0.content" in bad.get_json()["error"]["fields"]
    docs = [
        {"key": "sk", "filename": "sk.pdf", "content": _b64(PDF)},
        {"key": "profil", "filename": "profil.pdf", "content": _b64(PDF)},
    ]
    created = client.post(API, json=body(documents=docs))
    assert created.status_code == 201, created.get_json()
    rid = created.get_json()["id"]
    shown = client.get(f"{API}/{rid}", headers=headers).get_json()
    assert {d["key"]: d["filename"] for d in shown["documents"]} == {
        "sk": "sk.pdf",
        "profil": "profil.pdf",
    }
    listed = client.get(API, headers=headers).get_json()["items"][0]
    assert len(listed["documents"]) == 2
    url = f"{API}/{rid}/documents/sk"
    assert client.put(url, json={"content": _b64(PDF2)}).status_code == 401
    replaced = client.put(
        url, json={"filename": "baru.pdf", "content": _b64(PDF2)}, headers=headers
    )
    assert replaced.status_code == 200, replaced.get_json()
    assert replaced.get_json()["filename"] == "baru.pdf"
    refused = client.put(url, json={"content": _b64(ACTIVE)}, headers=headers)
    assert refused.status_code == 422 and "documents.sk" in refused.get_json()["error"]["fields"]
    unknown = client.put(f"{API}/{rid}/documents/ktp", json={"content": _b64(PDF)}, headers=headers)
    assert unknown.status_code == 422
    assert client.delete(url, headers=headers).status_code == 409  # submitted: replace only
    assert _keys(db) == {"sk": "baru.pdf", "profil": "profil.pdf"}
    assert len(files(app)) == 2


def test_api_put_by_an_organizer_of_another_event_is_refused(
    client: FlaskClient, db: Session, ruled: Event, make: Any, api_token: Any
) -> None:
    docs = [
        {"key": "sk", "content": _b64(PDF)},
        {"key": "profil", "content": _b64(PDF)},
    ]
    rid = client.post(API, json=body(documents=docs)).get_json()["id"]
    other = make.user("lain@example.id", "Lain")
    make.event("lain-2026", plugins=["registration"], organizer=other)
    theirs = api_token("lain@example.id")
    url = f"{API}/{rid}/documents/sk"
    assert client.put(url, json={"content": _b64(PDF2)}, headers=theirs).status_code == 403
    elsewhere = f"/api/v1/events/lain-2026/registrations/{rid}/documents/sk"
    assert client.put(elsewhere, json={"content": _b64(PDF2)}, headers=theirs).status_code == 404

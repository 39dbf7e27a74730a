"""Labelled documents of a registration: the eligibility rule ``required_documents`` (issue 15).

The event lists the documents every registering agency uploads (``{key, label}``, e.g.
``sk``: "Decree of the head of the agency"); a registration keeps at most one file per key
(:class:`~plugins.registration.models.RegistrationDocument`).  Files go through the same
checks as innovation documents (:mod:`plugins.registration.uploads`: PDFs without active
content, images re-encoded, 10 MB, the registration's and the event's storage caps) and
follow their transaction (:mod:`core.services.uploads`).

* A document is uploaded or replaced while the registration can still be changed (a draft,
  or a pending registration); it is removed only from a draft — a submitted registration
  passed the rule with it.
* A key the event does not ask for is refused (422 naming ``documents.<key>``).
* Erasing the contact's personal data erases the registration's documents (:func:`erase`).

Nothing here reads Flask state: the caller passes the upload folder and caps
(:class:`Storage`) and checks the registration window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.i18n import N_
from core.models import Event, Upload
from core.services import uploads as file_store
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.registration.eligibility import RequiredDocument
from plugins.registration.models import Registration, RegistrationDocument
from plugins.registration.uploads import store_document

# Statuses in which a document may be uploaded or replaced (services.EDITABLE_STATUSES).
CHANGEABLE_STATUSES = ("draft", "pending")


@dataclass(frozen=True)
class Storage:
    """Where stored files go and the storage caps (``None``: no cap)."""

    upload_dir: str | Path
    registration_limit: int | None = None
    event_limit: int | None = None


@dataclass(frozen=True)
class DocumentInput:
    """A file sent for one required document."""

    key: str
    filename: str
    data: bytes


@dataclass
class Slot:
    """A required document and what the registration uploaded for it (``None``: nothing)."""

    key: str
    label: str
    upload: Upload | None


def required(settings: Any) -> list[RequiredDocument]:
    """The documents the event's current rules ask for (empty: the rule is off)."""
    return list(settings.eligibility.required_documents)


def uploaded(session: Session, registration: Registration) -> dict[str, Upload]:
    """``{key: upload}`` of the registration's labelled documents (one statement)."""
    rows = session.execute(
        select(RegistrationDocument.key, Upload)
        .join(Upload, Upload.id == RegistrationDocument.upload_id)
        .where(RegistrationDocument.registration_id == registration.id)
    )
    return {key: upload for key, upload in rows}


def uploaded_many(session: Session, registration_ids: list[int]) -> dict[int, dict[str, Upload]]:
    """``{registration id: {key: upload}}`` for many registrations (one statement)."""
    found: dict[int, dict[str, Upload]] = {rid: {} for rid in registration_ids}
    if not registration_ids:
        return found
    rows = session.execute(
        select(RegistrationDocument.registration_id, RegistrationDocument.key, Upload)
        .join(Upload, Upload.id == RegistrationDocument.upload_id)
        .where(RegistrationDocument.registration_id.in_(registration_ids))
        .order_by(RegistrationDocument.key)
    )
    for registration_id, key, upload in rows:
        found[registration_id][key] = upload
    return found


def slots(session: Session, registration: Registration, settings: Any) -> list[Slot]:
    """Every required document in the event's order, with the registration's upload."""
    have = uploaded(session, registration)
    return [Slot(d.key, d.label, have.get(d.key)) for d in required(settings)]


def registration_bytes(session: Session, registration: Registration) -> int:
    """What the registration's files take: its innovations' documents and labelled ones."""
    innovation_ids = [
        i.document_upload_id for i in registration.innovations if i.document_upload_id
    ]
    labelled = select(RegistrationDocument.upload_id).where(
        RegistrationDocument.registration_id == registration.id
    )
    condition = Upload.id.in_(labelled)
    if innovation_ids:
        condition = condition | Upload.id.in_(innovation_ids)
    total = session.scalar(select(func.coalesce(func.sum(Upload.size), 0)).where(condition))
    return int(total or 0)


def labelled_bytes(session: Session, registration: Registration) -> int:
    """What the registration's labelled documents take (its innovations' files aside)."""
    labelled = select(RegistrationDocument.upload_id).where(
        RegistrationDocument.registration_id == registration.id
    )
    total = session.scalar(
        select(func.coalesce(func.sum(Upload.size), 0)).where(Upload.id.in_(labelled))
    )
    return int(total or 0)


def _row(session: Session, registration: Registration, key: str) -> RegistrationDocument | None:
    return session.scalar(
        select(RegistrationDocument).where(
            RegistrationDocument.registration_id == registration.id,
            RegistrationDocument.key == key,
        )
    )


def _check_changeable(registration: Registration) -> None:
    if registration.status not in CHANGEABLE_STATUSES:
        raise Conflict(N_("This registration can no longer be changed."))


def store(
    session: Session,
    event: Event,
    registration: Registration,
    settings: Any,
    item: DocumentInput,
    storage: Storage,
) -> RegistrationDocument:
    """Store ``item`` as the registration's document ``item.key``, replacing an earlier one.

    422 (field ``documents.<key>``) for a key the event does not ask for or a refused file,
    413 past a storage cap, 409 once the registration can no longer be changed.  The
    replaced file is deleted after the commit.
    """
    _check_changeable(registration)
    field = f"documents.{item.key}"
    if item.key not in {d.key for d in required(settings)}:
        raise ValidationFailed(
            "unknown document", fields={field: [N_("The event does not ask for this document.")]}
        )
    row = _row(session, registration, item.key)
    previous = session.get(Upload, row.upload_id) if row is not None else None
    used = registration_bytes(session, registration) - (previous.size if previous else 0)
    stored = store_document(
        session,
        storage.upload_dir,
        item.data,
        item.filename,
        event_id=event.id,
        field=field,
        registration_bytes=used,
        registration_limit=storage.registration_limit,
        event_limit=storage.event_limit,
    )
    if row is None:
        row = RegistrationDocument(registration_id=registration.id, key=item.key)
        session.add(row)
    row.upload_id = stored.id
    session.flush()
    if previous is not None:
        file_store.discard(session, storage.upload_dir, [previous])
    return row


def store_all(
    session: Session,
    event: Event,
    registration: Registration,
    settings: Any,
    items: Iterable[DocumentInput],
    storage: Storage,
) -> None:
    """Store several documents; the first refusal raises (the caller rolls back)."""
    for item in items:
        store(session, event, registration, settings, item, storage)


def remove(session: Session, registration: Registration, key: str, storage: Storage) -> None:
    """Remove the draft's document ``key`` (404 when there is none; 409 once submitted)."""
    if registration.status != "draft":
        raise Conflict(
            N_("A submitted registration's documents can be replaced, not removed."),
        )
    row = _row(session, registration, key)
    if row is None:
        raise NotFound("no such document")
    upload = session.get(Upload, row.upload_id)
    session.delete(row)
    session.flush()
    file_store.discard(session, storage.upload_dir, [upload] if upload else [])


def document_for(
    session: Session, registration: Registration, key: str
) -> tuple[RegistrationDocument, Upload]:
    """The registration's document ``key`` with its upload (:class:`NotFound` if none)."""
    row = session.execute(
        select(RegistrationDocument, Upload)
        .join(Upload, Upload.id == RegistrationDocument.upload_id)
        .where(
            RegistrationDocument.registration_id == registration.id,
            RegistrationDocument.key == key,
        )
    ).first()
    if row is None:
        raise NotFound("no such document")
    return row[0], row[1]


def erase(
    session: Session, registrations: Iterable[Registration], upload_dir: str | Path | None
) -> int:
    """Delete the labelled documents of ``registrations`` (rows now, files after the commit).

    Without ``upload_dir`` (no application at hand) only the rows and ``uploads`` go.
    """
    ids = [r.id for r in registrations]
    if not ids:
        return 0
    rows = list(
        session.execute(
            select(RegistrationDocument, Upload)
            .join(Upload, Upload.id == RegistrationDocument.upload_id)
            .where(RegistrationDocument.registration_id.in_(ids))
        )
    )
    for row, _upload in rows:
        session.delete(row)
    session.flush()
    doomed = [upload for _row, upload in rows]
    if upload_dir is not None:
        file_store.discard(session, upload_dir, doomed)
    else:
        for upload in doomed:
            session.delete(upload)
        session.flush()
    return len(rows)

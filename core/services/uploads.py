"""Stored files: random names under the upload folder, removed only after a commit.

Every upload lives under ``UPLOAD_FOLDER`` (``instance/uploads``, outside the web root,
served only by views that check who may see it) with a random name
(``<folder>/<32 hex>.<ext>``); the ``Upload`` row keeps that path relative to the folder.

Files follow their transaction: :func:`write_file` writes at once but deletes the file
again if the transaction does not commit (a refused form leaves nothing on disk), and
:func:`discard` deletes a replaced file only *after* the transaction commits — never
before, and not at all when it rolls back — via the session's ``after_commit`` event.

Storage caps (:func:`check_quota`): the documents of one registration and all files of
one event are capped (``UPLOAD_QUOTA_REGISTRATION_BYTES``, ``UPLOAD_QUOTA_EVENT_BYTES``);
an upload past a cap is refused with :class:`StorageFull` (413).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from core.i18n import N_
from core.models import Upload
from core.services.errors import StorageFull

_WRITTEN = "gelar.uploads.written"
_DISCARDED = "gelar.uploads.discarded"


def write_file(
    session: Session, upload_root: str | Path, folder: str, extension: str, data: bytes
) -> str:
    """Write ``data`` under a fresh random name in ``folder``; return the relative path.

    The file is deleted again when the session's transaction ends without a commit.
    """
    relative = f"{folder}/{secrets.token_hex(16)}.{extension}"
    target = Path(upload_root) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    session.info.setdefault(_WRITTEN, []).append(target)
    return relative


def file_path(upload_root: str | Path, upload: Upload) -> Path | None:
    """The file of ``upload`` if it lies inside the upload folder (else ``None``).

    Older rows hold absolute paths, newer ones paths relative to the folder.
    """
    root = Path(upload_root).resolve()
    path = (root / upload.storage_path).resolve()
    return path if root in path.parents else None


def discard(session: Session, upload_root: str | Path, uploads: Iterable[Upload]) -> None:
    """Delete ``uploads`` (rows now) and their files once the transaction commits.

    Call it after the references to the uploads were changed and flushed.  A file that
    another row still names (older content-addressed logos) is kept.
    """
    doomed = [upload for upload in uploads if upload is not None]
    if not doomed:
        return
    paths = {upload.storage_path for upload in doomed}
    ids = {upload.id for upload in doomed}
    shared = set(
        session.scalars(
            select(Upload.storage_path).where(Upload.storage_path.in_(paths), Upload.id.not_in(ids))
        )
    )
    pending = session.info.setdefault(_DISCARDED, [])
    for upload in doomed:
        path = file_path(upload_root, upload)
        if path is not None and upload.storage_path not in shared:
            pending.append(path)
        session.delete(upload)
    session.flush()


def check_quota(
    session: Session,
    *,
    event_id: int | None,
    adding: int,
    event_limit: int | None,
    registration_bytes: int = 0,
    registration_limit: int | None = None,
    field: str = "document",
) -> None:
    """Refuse (413) an upload of ``adding`` bytes that would pass a storage cap.

    ``registration_bytes`` is what the registration keeps besides the new file.
    """
    if registration_limit is not None and registration_bytes + adding > registration_limit:
        raise StorageFull(
            "registration storage full",
            fields={
                field: [N_("The documents of this registration would exceed the storage limit.")]
            },
        )
    if event_limit is not None and event_id is not None:
        used = session.scalar(
            select(func.coalesce(func.sum(Upload.size), 0)).where(Upload.event_id == event_id)
        )
        if int(used or 0) + adding > event_limit:
            raise StorageFull(
                "event storage full",
                fields={field: [N_("The event's file storage is full. Contact the organizers.")]},
            )


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
            path.unlink()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """The transaction committed: replaced files go, newly written files stay."""
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_DISCARDED, []))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """A root transaction ended without a commit: new files go, replaced files stay."""
    if transaction.parent is not None or transaction.nested:
        return
    session.info.pop(_DISCARDED, None)
    _unlink(session.info.pop(_WRITTEN, []))

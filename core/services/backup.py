"""Backups an operator can trust: one archive with the database and the uploaded files.

Decisions:

* The archive is a ``.tar.gz`` with ``database.sqlite3`` (SQLite) or ``database.sql``
  (PostgreSQL, a plain ``pg_dump``), ``uploads/…`` and ``manifest.json`` last: Gelar's
  version, the database's Alembic revisions, the database kind, ``created_at`` and every
  other member with its size and SHA-256.  A restore checks all of them before it touches
  anything.
* SQLite is copied with the **online backup API** in one step: it reads one consistent
  snapshot while the server keeps writing (WAL), so everything committed before the backup
  began is in it.  It is never copied as a file.
* PostgreSQL goes through ``pg_dump``/``psql`` found on ``PATH``; the connection is given in
  libpq's ``PG*`` environment variables, so no password appears in a process list.
* Nothing is half-restored: an SQLite backup is migrated to head in a temporary file first
  and then copied into the target with the backup API (one write transaction); PostgreSQL
  replaces the ``public`` schema and loads the dump in one ``psql --single-transaction``
  and is then migrated (a failing migration leaves the restored, older schema, which a
  second ``gelar db upgrade`` continues).  Uploaded files are unpacked beside the upload
  folder and swapped in by renaming.
* Messages are marked with ``N_`` and translated by the caller (the ``gelar`` CLI).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from core.i18n import N_

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.sql"
UPLOADS_PREFIX = "uploads/"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; ``message`` is an ``N_`` text with ``params``."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class TargetNotEmpty(BackupError):
    """The target database already holds users or events (restore without ``--force``)."""


@dataclass
class Manifest:
    """What an archive holds: versions, database kind and every member's size and SHA-256."""

    gelar_version: str
    alembic_heads: list[str]
    database: str
    created_at: str
    files: list[dict[str, Any]] = field(default_factory=list)
    format: int = FORMAT

    def to_json(self) -> str:
        """The manifest as indented JSON."""
        return json.dumps(self.__dict__, indent=2, sort_keys=True)

    @property
    def upload_count(self) -> int:
        """How many uploaded files the archive holds."""
        return sum(1 for f in self.files if f["path"].startswith(UPLOADS_PREFIX))


def gelar_version() -> str:
    """The installed Gelar version (``unknown`` when run from an uninstalled tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gelar")
    except PackageNotFoundError:
        return "unknown"


def database_kind(database_url: str) -> str:
    """``sqlite`` or ``postgresql`` for a SQLAlchemy URL; anything else is refused."""
    backend = make_url(database_url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(N_("Unsupported database: %(kind)s."), kind=backend)
    return backend


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError(N_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(database)


def alembic_revisions(database_url: str) -> list[str]:
    """The revisions stamped in the database's ``alembic_version`` (empty when unmigrated)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return []
            rows = conn.execute(text("SELECT version_num FROM alembic_version"))
            return sorted(row[0] for row in rows)
    finally:
        engine.dispose()


def database_has_data(database_url: str) -> bool:
    """Whether the database holds any user or event row (a missing table counts as empty)."""
    if database_kind(database_url) == "sqlite" and not _sqlite_path(database_url).exists():
        return False
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            for table in ("users", "events"):
                query = text(f"SELECT 1 FROM {table} LIMIT 1")
                if inspector.has_table(table) and conn.execute(query).first():
                    return True
        return False
    finally:
        engine.dispose()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """Reads a file while hashing it, so a file's bytes are read once for tar and manifest."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data


# -- create ---------------------------------------------------------------------------------


def _sqlite_online_copy(source: Path, target: Path) -> None:
    """Copy ``source`` into ``target`` with the online backup API, in one consistent step."""
    if not source.exists():
        raise BackupError(N_("The database file %(path)s does not exist."), path=str(source))
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)  # pages=-1: the whole database in one step, one read snapshot
        dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(N_("The database copy failed its integrity check."))
    finally:
        dst.close()
        src.close()


def libpq_environment(database_url: str) -> dict[str, str]:
    """The process environment for ``pg_dump``/``psql``: the URL as ``PG*`` variables."""
    url = make_url(database_url)
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
        ("PGSSLMODE", url.query.get("sslmode")),
        ("PGOPTIONS", url.query.get("options")),
    ):
        if value:
            env[key] = str(value)
    return env


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            N_("%(tool)s was not found on PATH; install the PostgreSQL client tools."), tool=name
        )
    return found


def _run_postgres_tool(args: list[str], database_url: str) -> None:
    result = subprocess.run(
        args, env=libpq_environment(database_url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            N_("%(tool)s failed: %(detail)s"),
            tool=Path(args[0]).name,
            detail=detail[-1] if detail else str(result.returncode),
        )


def _pg_dump(database_url: str, target: Path) -> None:
    tool = _postgres_tool("pg_dump")
    _run_postgres_tool(
        [tool, "--format=plain", "--no-owner", "--no-privileges", "--file", str(target)],
        database_url,
    )


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as handle:
        info = archive.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle)
        archive.addfile(info, reader)  # type: ignore[arg-type]
    return {"path": name, "size": info.size, "sha256": reader.digest.hexdigest()}


def _upload_files(upload_folder: Path) -> Iterator[tuple[Path, str]]:
    if not upload_folder.is_dir():
        return
    for path in sorted(upload_folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, UPLOADS_PREFIX + path.relative_to(upload_folder).as_posix()


def default_archive_name(now: datetime | None = None) -> str:
    """``gelar-backup-YYYYmmdd-HHMMSS.tar.gz`` (UTC)."""
    moment = now or datetime.now(UTC)
    return f"gelar-backup-{moment:%Y%m%d-%H%M%S}.tar.gz"


def create_backup(database_url: str, upload_folder: str | Path, output: str | Path) -> Manifest:
    """Write one archive at ``output`` with the database, the uploads and a manifest.

    The archive is written under a temporary name beside ``output`` and renamed when
    complete, so a failed backup never leaves a truncated file behind.
    """
    kind = database_kind(database_url)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="gelar-backup-") as staging:
        if kind == "sqlite":
            member, dump = SQLITE_MEMBER, Path(staging) / SQLITE_MEMBER
            _sqlite_online_copy(_sqlite_path(database_url), dump)
            revisions = alembic_revisions(f"sqlite:///{dump}")
        else:
            member, dump = POSTGRES_MEMBER, Path(staging) / POSTGRES_MEMBER
            revisions = alembic_revisions(database_url)
            _pg_dump(database_url, dump)
        manifest = Manifest(gelar_version(), revisions, kind, created_at)
        partial = output.with_name(f".{output.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                manifest.files.append(_add_file(archive, dump, member))
                for path, name in _upload_files(Path(upload_folder)):
                    if path.resolve() in (partial.resolve(), output.resolve()):
                        continue  # an archive written into the upload folder is not an upload
                    try:
                        manifest.files.append(_add_file(archive, path, name))
                    except FileNotFoundError:
                        continue  # deleted while the backup ran: it is no longer referenced
                data = manifest.to_json().encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(datetime.now(UTC).timestamp())
                archive.addfile(info, io.BytesIO(data))
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# -- verify and restore ---------------------------------------------------------------------


@contextmanager
def unpacked(archive_path: str | Path) -> Iterator[tuple[Manifest, Path]]:
    """Unpack and verify an archive into a temporary folder; yields the manifest and folder.

    Refuses an unreadable archive, a missing or malformed manifest, a member whose size or
    SHA-256 differs, a missing or unlisted member, and unsafe paths.
    """
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(N_("The backup file %(path)s does not exist."), path=str(archive_path))
    with tempfile.TemporaryDirectory(prefix="gelar-restore-") as folder:
        root = Path(folder)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(root, filter="data")
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            raise BackupError(
                N_("The backup file is damaged or not a Gelar backup (%(detail)s)."),
                detail=str(exc) or type(exc).__name__,
            ) from None
        yield _verify(root), root


def _verify(root: Path) -> Manifest:
    try:
        raw = json.loads((root / MANIFEST).read_text("utf-8"))
        manifest = Manifest(**raw)
        listed = {entry["path"]: entry for entry in manifest.files}
        if not all(
            isinstance(e["path"], str)
            and isinstance(e["size"], int)
            and isinstance(e["sha256"], str)
            for e in listed.values()
        ):
            raise ValueError("malformed file entry")
    except (OSError, ValueError, TypeError, KeyError):
        raise BackupError(
            N_("The backup has no readable manifest; it is not a Gelar backup.")
        ) from None
    if manifest.format != FORMAT:
        raise BackupError(N_("Unknown backup format %(format)s."), format=manifest.format)
    if manifest.database not in ("sqlite", "postgresql"):
        raise BackupError(N_("Unsupported database: %(kind)s."), kind=manifest.database)
    present = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    present.discard(MANIFEST)
    for name in sorted(set(listed) | present):
        entry, path = listed.get(name), root / name
        if entry is None:
            raise BackupError(
                N_("The backup holds a file its manifest does not list: %(name)s."), name=name
            )
        if name not in present:
            raise BackupError(N_("The backup is missing %(name)s."), name=name)
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(
                N_("Checksum mismatch for %(name)s: the backup is damaged."), name=name
            )
    return manifest


def _check_revisions_known(revisions: list[str]) -> None:
    """Refuse a backup made by a newer Gelar (revisions this code does not know)."""
    from alembic.script import ScriptDirectory

    from core.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    known = {script.revision for script in scripts.walk_revisions()}
    unknown = [rev for rev in revisions if rev not in known]
    if unknown:
        raise BackupError(
            N_("The backup was made by a newer Gelar (unknown migrations: %(revisions)s)."),
            revisions=", ".join(unknown),
        )


def restore_backup(
    archive_path: str | Path,
    database_url: str,
    upload_folder: str | Path,
    *,
    force: bool = False,
) -> Manifest:
    """Verify the archive, restore the database and uploads, and migrate to head.

    Raises :class:`TargetNotEmpty` when the target holds users or events and ``force`` is
    false, :class:`BackupError` for a damaged archive or a backup of another database kind.
    """
    from core import migrate

    kind = database_kind(database_url)
    with unpacked(archive_path) as (manifest, root):
        if manifest.database != kind:
            raise BackupError(
                N_("This is a %(archive)s backup; the configured database is %(kind)s."),
                archive=manifest.database,
                kind=kind,
            )
        member = SQLITE_MEMBER if kind == "sqlite" else POSTGRES_MEMBER
        if not (root / member).is_file():
            raise BackupError(N_("The backup is missing %(name)s."), name=member)
        _check_revisions_known(manifest.alembic_heads)
        if not force and database_has_data(database_url):
            raise TargetNotEmpty(
                N_("The target database already has users or events; use --force to replace it.")
            )
        if kind == "sqlite":
            staged = root / SQLITE_MEMBER
            migrate.upgrade(f"sqlite:///{staged}")
            _sqlite_restore_into(staged, _sqlite_path(database_url))
        else:
            load_postgres_dump(root / POSTGRES_MEMBER, database_url)
            migrate.upgrade(database_url)
        _swap_uploads(root / UPLOADS_PREFIX.rstrip("/"), Path(upload_folder))
    return manifest


def _sqlite_restore_into(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` with the backup API (one write transaction)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
        check = dst.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(N_("The restored database failed its integrity check."))
    finally:
        dst.close()
        src.close()


def load_postgres_dump(dump: Path, database_url: str) -> None:
    """Replace the ``public`` schema with a plain SQL dump, all in one ``psql`` transaction."""
    tool = _postgres_tool("psql")
    _run_postgres_tool(
        [
            tool,
            "--no-psqlrc",
            "--quiet",
            "--set",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "--command",
            "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;",
            "--file",
            str(dump),
        ],
        database_url,
    )


def _swap_uploads(source: Path, target: Path) -> None:
    """Put the restored uploads in place of ``target`` by renaming (old files removed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".uploads-restore-", dir=target.parent))
    if source.is_dir():
        shutil.copytree(source, incoming, dirs_exist_ok=True)
    previous = target.with_name(f".{target.name}-replaced-{os.getpid()}")
    if target.exists():
        os.replace(target, previous)
    os.replace(incoming, target)
    shutil.rmtree(previous, ignore_errors=True)

"""``gelar backup create``/``restore``: round trip, writes during the backup, refusals.

Every test runs on SQLite and PostgreSQL (the ``app`` fixture).  A restore goes into a
second, empty instance: an SQLite file that does not exist yet, or the PostgreSQL database
``<test database>_restore`` (created here once, emptied for each test).
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import sqlite3
import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core import create_app
from core.db import get_db
from core.services import backup, passes
from core.services.demo import DEMO_ORGANIZER, DEMO_SLUG, seed_demo
from tests.conftest import TEST_SECRET

EVENT = f"/api/v1/events/{DEMO_SLUG}"
# Every list of the JSON API the demo fills, and the results.
LISTS = [
    "/api/v1/events",
    EVENT,
    f"{EVENT}/innovations",
    f"{EVENT}/innovations?category=health",
    f"{EVENT}/organizations",
    f"{EVENT}/exhibitors",
    f"{EVENT}/booths",
    f"{EVENT}/registrations",
    f"{EVENT}/rooms",
    f"{EVENT}/sessions",
    f"{EVENT}/schedule",
    f"{EVENT}/criteria",
    f"{EVENT}/stages",
    f"{EVENT}/results",
    f"{EVENT}/votes/tally",
]
UPLOADED = {"logos/agency.png": b"\x89PNG fake logo bytes", "docs/proposal.pdf": b"%PDF-1.7 x"}


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def target_url(backend: str, database_url: str, tmp_path: Path) -> str:
    """An empty database to restore into, of the same kind as the test's."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'restored' / 'gelar.sqlite3'}"
    source = make_url(database_url)
    name = f"{source.database}_restore"
    engine = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = source.set(database=name).render_as_string(hide_password=False)
    _empty_postgres(url)
    return url


@pytest.fixture
def target_app(target_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A second Gelar instance (own instance folder) on the empty target database."""
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": target_url,
            "INSTANCE_PATH": str(tmp_path / "restored-instance"),
            "SECRET_KEY": TEST_SECRET,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "gelar.test",
        }
    )
    yield application
    get_db(application).dispose()


@pytest.fixture
def demo(app: Flask, registry: Any) -> Flask:
    """The app with the demo seeded and two uploaded files on disk."""
    with get_db(app).transaction() as session:
        seed_demo(session, registry)
    for name, data in UPLOADED.items():
        path = Path(app.config["UPLOAD_FOLDER"]) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return app


def api_answers(application: Flask) -> dict[str, Any]:
    """Status and JSON of every list, as the demo's organizer sees them."""
    client = application.test_client()
    email, _name, password, _admin = DEMO_ORGANIZER
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    answers = {}
    for url in LISTS:
        got = client.get(url, headers=headers)
        answers[url] = (got.status_code, got.get_json())
    return answers


def make_archive(app: Flask, tmp_path: Path) -> Path:
    """``backup.create_backup`` of ``app`` into ``tmp_path/backup.tar.gz``."""
    archive = tmp_path / "backup.tar.gz"
    backup.create_backup(app.config["DATABASE_URL"], app.config["UPLOAD_FOLDER"], archive)
    return archive


def test_round_trip_answers_every_list_exactly_as_before(
    demo: Flask, target_app: Flask, tmp_path: Path, backend: str
) -> None:
    before = api_answers(demo)
    assert all(status == 200 for status, _ in before.values()), {
        url: status for url, (status, _) in before.items()
    }
    assert before[f"{EVENT}/innovations"][1]["items"]
    assert before[f"{EVENT}/results"][1]["items"]
    assert before[f"{EVENT}/booths"][1]["items"]
    assert before[f"{EVENT}/schedule"][1]

    archive = tmp_path / "nested" / "gelar.tar.gz"
    result = demo.test_cli_runner().invoke(args=["backup", "create", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert str(archive) in result.output

    restored = target_app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert api_answers(target_app) == before
    for name, data in UPLOADED.items():
        assert (Path(target_app.config["UPLOAD_FOLDER"]) / name).read_bytes() == data
    assert backup.alembic_revisions(target_app.config["DATABASE_URL"]) == (
        backup.alembic_revisions(demo.config["DATABASE_URL"])
    )


def test_manifest_lists_versions_kind_and_checksums(
    demo: Flask, tmp_path: Path, backend: str
) -> None:
    archive = make_archive(demo, tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        member = "database.sqlite3" if backend == "sqlite" else "database.sql"
        dump = tar.extractfile(member).read()  # type: ignore[union-attr]
    assert manifest["database"] == backend
    assert manifest["alembic_heads"] == backup.alembic_revisions(demo.config["DATABASE_URL"])
    assert manifest["alembic_heads"]
    assert manifest["gelar_version"]
    assert manifest["created_at"].endswith("+00:00")
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(names) - {"manifest.json"}
    assert set(listed) == {member, *(f"uploads/{n}" for n in UPLOADED)}
    import hashlib

    assert listed[member]["sha256"] == hashlib.sha256(dump).hexdigest()
    assert listed[member]["size"] == len(dump)
    data = UPLOADED["logos/agency.png"]
    assert listed["uploads/logos/agency.png"] == {
        "path": "uploads/logos/agency.png",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _voter(
    app: Flask,
    codes: list[str],
    targets: list[int],
    acked: list[tuple[str, int]],
    stop: threading.Event,
) -> None:
    client = app.test_client()
    for code in codes:
        if stop.is_set():
            return
        for innovation_id in targets:
            url = f"{EVENT}/innovations/{innovation_id}/votes"
            response = client.post(url, json={"pass": code})
            assert response.status_code == 201, response.get_json()
            acked.append((code, innovation_id))


def _restored_votes(url: str) -> set[tuple[str, int]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.code, v.innovation_id FROM voting_votes v"
                " JOIN visitor_passes p ON p.id = v.pass_id"
            )
        )
        found = {(code, innovation_id) for code, innovation_id in rows}
    engine.dispose()
    return found


def test_backup_while_votes_are_written_loses_nothing_acknowledged(
    demo: Flask, target_app: Flask, tmp_path: Path, backend: str
) -> None:
    with get_db(demo).transaction() as session:
        from core.models import Event, Innovation

        event = session.query(Event).filter_by(slug=DEMO_SLUG).one()
        codes = [p.code for p in passes.issue_passes(session, event, 500)]
        by_category: dict[str, int] = {}
        for innovation in session.query(Innovation).filter_by(event_id=event.id, status="accepted"):
            by_category.setdefault(innovation.category or "", innovation.id)
    targets = list(by_category.values())[:3]
    acked: list[tuple[str, int]] = []
    stop = threading.Event()
    voter = threading.Thread(target=_voter, args=(demo, codes, targets, acked, stop))
    voter.start()
    try:
        deadline = time.monotonic() + 60
        while len(acked) < 15 and voter.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        acknowledged_before = set(acked)  # every vote answered 201 before the backup began
        archive = make_archive(demo, tmp_path)
        still_voting = voter.is_alive()  # the votes went on during the whole backup
    finally:
        stop.set()
        voter.join(timeout=120)
    assert len(acknowledged_before) >= 15
    total_acked = set(acked)

    backup.restore_backup(
        archive, target_app.config["DATABASE_URL"], target_app.config["UPLOAD_FOLDER"]
    )
    restored = _restored_votes(target_app.config["DATABASE_URL"])
    assert acknowledged_before <= restored
    assert restored <= total_acked | _restored_votes(demo.config["DATABASE_URL"])
    assert still_voting
    if backend == "sqlite":
        path = make_url(target_app.config["DATABASE_URL"]).database
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
    client = target_app.test_client()
    tally = client.get(f"{EVENT}/votes/tally", headers=_organizer(client)).get_json()
    assert tally["votes"] == len(restored)


def _organizer(client: Any) -> dict[str, str]:
    email, _name, password, _admin = DEMO_ORGANIZER
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_restore_refuses_a_non_empty_target_unless_forced(
    demo: Flask, app: Flask, tmp_path: Path, make: Any
) -> None:
    archive = make_archive(demo, tmp_path)
    make.user("later@example.id", "Written after the backup")
    stale = Path(app.config["UPLOAD_FOLDER"]) / "logos" / "after-the-backup.png"
    stale.write_bytes(b"not in the backup")
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 1
    assert "--force" in result.output
    assert "sudah berisi" in result.output  # Bahasa Indonesia first
    with pytest.raises(backup.TargetNotEmpty):
        backup.restore_backup(archive, app.config["DATABASE_URL"], app.config["UPLOAD_FOLDER"])
    assert backup.database_has_data(app.config["DATABASE_URL"])

    forced = app.test_cli_runner().invoke(args=["backup", "restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    engine = create_engine(app.config["DATABASE_URL"])
    with engine.connect() as conn:
        later = conn.execute(text("SELECT 1 FROM users WHERE email = 'later@example.id'")).first()
    engine.dispose()
    assert later is None
    assert not stale.exists()
    assert (Path(app.config["UPLOAD_FOLDER"]) / "logos" / "agency.png").exists()


def test_an_empty_target_is_recognised(target_app: Flask) -> None:
    assert not backup.database_has_data(target_app.config["DATABASE_URL"])


def _rewrite(archive: Path, out: Path, change: Any) -> Path:
    """Copy ``archive`` to ``out`` passing each member's (info, bytes) through ``change``."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            changed = change(info, data)
            if changed is None:
                continue
            info.size = len(changed)
            dst.addfile(info, io.BytesIO(changed))
    return out


def _tamper_upload(info: tarfile.TarInfo, data: bytes) -> bytes:
    return data + b"!" if info.name == "uploads/logos/agency.png" else data


def _drop_upload(info: tarfile.TarInfo, data: bytes) -> bytes | None:
    return None if info.name == "uploads/docs/proposal.pdf" else data


def _drop_manifest(info: tarfile.TarInfo, data: bytes) -> bytes | None:
    return None if info.name == "manifest.json" else data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_tamper_upload, "uploads/logos/agency.png"),
        (_drop_upload, "uploads/docs/proposal.pdf"),
        (_drop_manifest, "manifest"),
    ],
)
def test_a_damaged_archive_is_refused_before_anything_changes(
    demo: Flask, target_app: Flask, tmp_path: Path, change: Any, expected: str
) -> None:
    archive = _rewrite(make_archive(demo, tmp_path), tmp_path / "bad.tar.gz", change)
    result = target_app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not backup.database_has_data(target_app.config["DATABASE_URL"])
    assert not Path(target_app.config["UPLOAD_FOLDER"], "logos").exists()


def test_a_truncated_or_foreign_file_is_a_clear_error(
    demo: Flask, target_app: Flask, tmp_path: Path
) -> None:
    good = make_archive(demo, tmp_path).read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good[: len(good) // 2])
    foreign = tmp_path / "notes.tar.gz"
    foreign.write_bytes(gzip.compress(b"not a tar archive at all" * 40))
    for path in (truncated, foreign, tmp_path / "missing.tar.gz"):
        result = target_app.test_cli_runner().invoke(args=["backup", "restore", str(path)])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ")
        assert "Traceback" not in result.output
        with pytest.raises(backup.BackupError):
            backup.restore_backup(
                path, target_app.config["DATABASE_URL"], target_app.config["UPLOAD_FOLDER"]
            )
    assert not backup.database_has_data(target_app.config["DATABASE_URL"])


def test_a_backup_from_a_newer_gelar_is_refused(
    demo: Flask, target_app: Flask, tmp_path: Path
) -> None:
    def newer(info: tarfile.TarInfo, data: bytes) -> bytes:
        if info.name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["alembic_heads"] = [*manifest["alembic_heads"], "f00dfeedbeef"]
        return json.dumps(manifest).encode()

    archive = _rewrite(make_archive(demo, tmp_path), tmp_path / "newer.tar.gz", newer)
    with pytest.raises(backup.BackupError, match="f00dfeedbeef"):
        backup.restore_backup(
            archive, target_app.config["DATABASE_URL"], target_app.config["UPLOAD_FOLDER"]
        )
    assert not backup.database_has_data(target_app.config["DATABASE_URL"])


def test_postgres_credentials_go_in_the_environment_not_argv(
    monkeypatch: Any, tmp_path: Path
) -> None:
    url = "postgresql+psycopg://gelar:s3cr%40t@db.example:6543/gelar?sslmode=require"
    env = backup.libpq_environment(url)
    assert env["PGPASSWORD"] == "s3cr@t"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.example",
        "6543",
        "gelar",
        "gelar",
    )
    assert env["PGSSLMODE"] == "require"
    seen: list[list[str]] = []

    def fake_run(args: list[str], **kwargs: Any) -> Any:
        seen.append(args)
        Path(args[args.index("--file") + 1]).write_text("-- dump\n")
        return type("Done", (), {"returncode": 0, "stdout": "", "stderr": ""})()

    monkeypatch.setattr(backup.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    monkeypatch.setattr(backup, "alembic_revisions", lambda _url: ["abc"])
    manifest = backup.create_backup(url, tmp_path / "uploads", tmp_path / "b.tar.gz")
    assert manifest.database == "postgresql"
    assert len(seen) == 1 and seen[0][0] == "/usr/bin/pg_dump"
    assert not any("s3cr" in arg or "db.example" in arg for arg in seen[0])


def test_missing_pg_dump_is_a_clear_error(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup, "alembic_revisions", lambda _url: [])
    with pytest.raises(backup.BackupError, match="pg_dump was not found on PATH"):
        backup.create_backup(
            "postgresql+psycopg://gelar:secret@localhost/gelar", tmp_path / "u", tmp_path / "b.tgz"
        )
    assert not (tmp_path / "b.tgz").exists()


def test_a_backup_of_the_other_database_kind_is_refused(
    demo: Flask, target_app: Flask, tmp_path: Path, backend: str
) -> None:
    other = "postgresql" if backend == "sqlite" else "sqlite"

    def relabel(info: tarfile.TarInfo, data: bytes) -> bytes:
        if info.name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), "database": other}).encode()

    archive = _rewrite(make_archive(demo, tmp_path), tmp_path / "other.tar.gz", relabel)
    result = target_app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 1
    assert other in result.output and backend in result.output
    assert not backup.database_has_data(target_app.config["DATABASE_URL"])


def test_an_unreachable_database_is_a_clear_error(app: Flask, tmp_path: Path) -> None:
    app.config["DATABASE_URL"] = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    archive = tmp_path / "never.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(archive)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output
    assert not archive.exists()


def test_sqlite_backup_holds_commits_still_in_the_wal(
    app: Flask, make: Any, backend: str, tmp_path: Path
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's write-ahead log")
    make.user("in-the-wal@example.id", "Committed, not yet checkpointed")
    live = Path(make_url(app.config["DATABASE_URL"]).database or "")
    assert Path(f"{live}-wal").stat().st_size > 0
    copied = tmp_path / "file-copy.sqlite3"
    shutil.copy(live, copied)  # what an operator's `cp` would get: the WAL's commits are missing
    query = "SELECT count(*) FROM users WHERE email = 'in-the-wal@example.id'"
    with sqlite3.connect(copied) as conn:
        assert conn.execute(query).fetchone() == (0,)

    archive = make_archive(app, tmp_path)
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path / "out", filter="data")
    with sqlite3.connect(tmp_path / "out" / "database.sqlite3") as conn:
        assert conn.execute(query).fetchone() == (1,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)

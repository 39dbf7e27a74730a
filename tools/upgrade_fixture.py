"""Rebuild the upgrade-with-data fixture: the previous release's schema with the demo loaded.

Usage (from the project root, renewed at each release with the new release's commit)::

    .venv/bin/python tools/upgrade_fixture.py [COMMIT] [--postgres URL]

The release's tree is taken from git (``git archive COMMIT``) into a temporary folder and its
own code runs ``gelar db upgrade`` and ``gelar demo`` on an empty SQLite file: the same venv
is used with ``PYTHONPATH`` pointing at that tree first, so ``core`` and the entry-point
plugins (``plugins.<name>.plugin``) import from the release, not from the working tree (the
script checks this).  The file is vacuumed and written gzip-compressed as
``tests/fixtures/upgrade/release.sqlite3.gz``, with ``release.json`` (commit, revisions,
row count per table).

With ``--postgres URL`` (a scratch database, created when missing; its ``public`` schema is
replaced) the release's code also builds the same demo on PostgreSQL and a plain ``pg_dump``
is kept as ``release.postgres.sql.gz``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "upgrade"
DEFAULT_RELEASE = "d826f83"
# Run the release's CLI; first prove that its code, not the working tree's, is imported.
_RUN_CLI = """
import sys, pathlib
import core, plugins.voting.plugin as voting
tree = pathlib.Path(sys.argv[1]).resolve()
for module in (core, voting):
    assert tree in pathlib.Path(module.__file__).resolve().parents, module.__file__
from core.cli import main
main(sys.argv[2:], prog_name="gelar")
"""


def _release_tree(commit: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def _gelar(tree: Path, database_url: str, instance: Path, *args: str) -> None:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(tree),
        GELAR_DATABASE_URL=database_url,
        GELAR_INSTANCE_PATH=str(instance),
        GELAR_SECRET_KEY="fixture-secret-key-that-is-long-enough-for-checks",
    )
    subprocess.run(
        [sys.executable, "-c", _RUN_CLI, str(tree), *args], check=True, cwd=tree, env=env
    )


def row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows per table (without ``alembic_version``) of an SQLite database."""
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in sorted(tables)
        if table != "alembic_version"
    }


def build(commit: str, postgres_url: str | None) -> None:
    """Build the fixture files from ``commit`` (see the module docstring)."""
    full = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", commit], check=True, capture_output=True, text=True
    ).stdout.strip()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gelar-release-") as scratch:
        tree, instance = Path(scratch) / "tree", Path(scratch) / "instance"
        tree.mkdir()
        _release_tree(full, tree)
        database = Path(scratch) / "release.sqlite3"
        url = f"sqlite:///{database}"
        _gelar(tree, url, instance, "db", "upgrade")
        _gelar(tree, url, instance, "demo")
        connection = sqlite3.connect(database)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("VACUUM")
        revisions = sorted(r[0] for r in connection.execute("SELECT * FROM alembic_version"))
        counts = row_counts(connection)
        connection.close()
        with database.open("rb") as src, gzip.open(OUT / "release.sqlite3.gz", "wb", 9) as dst:
            shutil.copyfileobj(src, dst)
        if postgres_url:
            _postgres(tree, instance, postgres_url)
    info = {"commit": full, "alembic_revisions": revisions, "row_counts": counts}
    (OUT / "release.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
    print(f"fixture from {full[:10]}: {sum(counts.values())} rows in {len(counts)} tables")


def _postgres(tree: Path, instance: Path, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from core.services.backup import libpq_environment

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        )
        if found.first() is None:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _gelar(tree, url, instance, "db", "upgrade")
    _gelar(tree, url, instance, "demo")
    dump = subprocess.run(
        ["pg_dump", "--format=plain", "--no-owner", "--no-privileges"],
        check=True,
        capture_output=True,
        env=libpq_environment(url),
    ).stdout
    with gzip.open(OUT / "release.postgres.sql.gz", "wb", 9) as dst:
        dst.write(dump)


def main() -> None:
    """Parse the arguments and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", nargs="?", default=DEFAULT_RELEASE)
    parser.add_argument("--postgres", metavar="URL", help="scratch PostgreSQL database")
    args = parser.parse_args()
    build(args.commit, args.postgres)


if __name__ == "__main__":
    main()

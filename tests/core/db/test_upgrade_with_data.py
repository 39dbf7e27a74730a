"""Upgrade with data: the previous release's database with the demo migrates to head.

The fixture in ``tests/fixtures/upgrade`` was made by the release's own code (see its
README and ``tools/upgrade_fixture.py``; renewed at each release).  Every row of every
table the release had must survive ``migrate.upgrade``, and the demo must answer through
the API afterwards, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from core import create_app, migrate
from core.db import get_db
from core.services import backup
from core.services.demo import DEMO_ORGANIZER, DEMO_SLUG
from tests.conftest import TEST_SECRET, skip_or_fail

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "upgrade"
RELEASE = json.loads((FIXTURE / "release.json").read_text())


@pytest.fixture(params=["sqlite", "postgres"])
def release_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database holding the release's demo, at the release's revisions."""
    if request.param == "sqlite":
        path = tmp_path / "release.sqlite3"
        with gzip.open(FIXTURE / "release.sqlite3.gz", "rb") as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        yield f"sqlite:///{path}"
        return
    base = os.environ.get("GELAR_TEST_DATABASE_URL")
    if not base:
        skip_or_fail("postgres", "GELAR_TEST_DATABASE_URL is not set")
    assert base is not None
    source = make_url(base)
    name = f"{source.database}_upgrade"
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if found.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = source.set(database=name).render_as_string(hide_password=False)
    dump = tmp_path / "release.sql"
    with gzip.open(FIXTURE / "release.postgres.sql.gz", "rb") as src, dump.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    backup.load_postgres_dump(dump, url)  # replaces the scratch database's public schema
    yield url


def row_counts(url: str) -> dict[str, int]:
    """Rows per table, without ``alembic_version``."""
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
    engine.dispose()
    return counts


def test_the_release_database_upgrades_to_head_keeping_every_row(
    release_url: str, tmp_path: Path
) -> None:
    assert backup.alembic_revisions(release_url) == RELEASE["alembic_revisions"]
    before = row_counts(release_url)
    assert before == RELEASE["row_counts"]
    assert before["innovations"] > 100 and before["voting_scores"] > 0

    migrate.upgrade(release_url)

    heads = ScriptDirectory.from_config(migrate.alembic_config(release_url)).get_heads()
    assert backup.alembic_revisions(release_url) == sorted(heads)
    assert backup.alembic_revisions(release_url) != RELEASE["alembic_revisions"]
    after = row_counts(release_url)
    assert {table: after.get(table) for table in before} == before

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": release_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": TEST_SECRET,
            "SERVER_NAME": "gelar.test",
        }
    )
    try:
        _demo_answers(app.test_client(), before)
    finally:
        get_db(app).dispose()


def _demo_answers(client: Any, before: dict[str, int]) -> None:
    events = client.get("/api/v1/events").get_json()
    assert [e["slug"] for e in events["items"]] == [DEMO_SLUG]
    event = f"/api/v1/events/{DEMO_SLUG}"
    detail = client.get(event).get_json()
    assert set(detail["plugins"]) == {"exhibitors", "registration", "symposium", "voting"}
    innovations = client.get(f"{event}/innovations?limit=500").get_json()
    assert innovations.get("total", len(innovations["items"])) == before["innovations"]
    booths = client.get(f"{event}/booths").get_json()
    assert booths["items"] and booths["total"] == before["exhibitors_booths"]
    assert client.get(f"{event}/schedule").status_code == 200
    email, _name, password, _admin = DEMO_ORGANIZER
    token = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert token.status_code == 200, token.get_json()  # the release's password hashes verify
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    for url in (f"{event}/results", f"{event}/votes/tally", f"{event}/registrations"):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.get_json())
    results = client.get(f"{event}/results", headers=headers).get_json()
    assert results["items"]

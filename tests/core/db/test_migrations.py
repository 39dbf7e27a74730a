"""Migrations and models agree, upgrade from empty or older, downgrade to base (both backends)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from core import create_app, migrate
from core.db import get_db, make_engine
from core.model_registry import load_all_models
from tests.conftest import TEST_SECRET

INITIAL_REVISION = "4d6e2442e26f"
POSTGRES_MAX_IDENTIFIER = 63


@pytest.fixture
def engine_for() -> Iterator[Any]:
    """Open engines on demand and dispose of them after the test."""
    engines: list[Engine] = []

    def _open(url: str) -> Engine:
        engine = make_engine(url)
        engines.append(engine)
        return engine

    yield _open
    for engine in engines:
        engine.dispose()


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, load_all_models())


def _model_constraint_names() -> dict[str, set[tuple[str, str]]]:
    names: dict[str, set[tuple[str, str]]] = {}
    for table in load_all_models().sorted_tables:
        found = names.setdefault(table.name, set())
        for constraint in table.constraints:
            kind = {
                sa.PrimaryKeyConstraint: "pk",
                sa.UniqueConstraint: "uq",
                sa.ForeignKeyConstraint: "fk",
                sa.CheckConstraint: "ck",
            }[type(constraint)]
            found.add((kind, str(constraint.name)))
        found.update(("ix", str(index.name)) for index in table.indexes)
    return names


def _reflected_constraint_names(engine: Engine) -> dict[str, set[tuple[str, str]]]:
    inspector = inspect(engine)
    names: dict[str, set[tuple[str, str]]] = {}
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        found = names.setdefault(table, set())
        found.add(("pk", str(inspector.get_pk_constraint(table)["name"])))
        found.update(("uq", str(c["name"])) for c in inspector.get_unique_constraints(table))
        found.update(("fk", str(c["name"])) for c in inspector.get_foreign_keys(table))
        found.update(("ck", str(c["name"])) for c in inspector.get_check_constraints(table))
        found.update(
            ("ix", str(i["name"]))
            for i in inspector.get_indexes(table)
            if "duplicates_constraint" not in i
        )
    return names


def test_models_and_migrations_agree(empty_database_url: str, engine_for: Any) -> None:
    """An empty database migrated to head matches the models: columns, types, indexes, keys."""
    migrate.upgrade(empty_database_url)

    assert _differences(engine_for(empty_database_url)) == []


def test_constraint_names_in_database_match_models(
    empty_database_url: str, engine_for: Any
) -> None:
    """Every pk/uq/fk/ck/ix name the migrations create is the one the models declare.

    Autogenerate does not compare CHECK constraints or names, so this closes that gap.
    """
    migrate.upgrade(empty_database_url)

    assert _reflected_constraint_names(engine_for(empty_database_url)) == _model_constraint_names()


def test_naming_convention_gives_stable_names() -> None:
    """Names carry their kind's prefix and fit PostgreSQL's limit (no silent truncation)."""
    for table, names in _model_constraint_names().items():
        for kind, name in names:
            assert name.startswith(f"{kind}_{table}"), (kind, name)
            assert len(name) <= POSTGRES_MAX_IDENTIFIER, name
    event_names = _model_constraint_names()["events"]
    assert ("uq", "uq_events_slug") in event_names
    assert ("ck", "ck_events_dates_ordered") in event_names
    assert ("fk", "fk_events_cloned_from_id_events") in event_names


def test_core_chain_is_linear_and_plugins_branch_off_it() -> None:
    """Core is one chain; every other head is a plugin branch labelled with its name.

    Each script is named date_revision_slug and says what it does.
    """
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    revisions = list(scripts.walk_revisions())
    core_dir = migrate.CORE_VERSIONS_DIR.resolve()
    core = [r for r in revisions if Path(r.path).resolve().parent == core_dir]
    core_ids = {r.revision for r in core}
    core_heads = [r for r in core if not (set(r.nextrev) & core_ids)]
    assert len(core_heads) == 1, [r.revision for r in core_heads]
    assert [r.revision for r in core if r.down_revision is None] == [INITIAL_REVISION]
    for script in revisions:
        if script.revision in core_ids:
            continue
        plugin_dir = Path(script.path).resolve().parent
        assert plugin_dir.name == "migrations", script.path
        # the branch root carries the plugin's name as its label
        root = script
        while root.down_revision not in core_ids and root.down_revision is not None:
            root = scripts.get_revision(root.down_revision)
        assert plugin_dir.parent.name in root.branch_labels, (script.path, root.branch_labels)
    for script in revisions:
        filename = Path(script.path).name
        assert re.fullmatch(rf"\d{{8}}_{script.revision}_[a-z0-9_]+\.py", filename), filename
        assert script.doc and script.doc.strip(), filename


def test_upgrade_from_older_revision_keeps_data(empty_database_url: str, engine_for: Any) -> None:
    """An existing database at the first revision, with data, upgrades to head intact."""
    migrate.upgrade(empty_database_url, INITIAL_REVISION)
    engine = engine_for(empty_database_url)
    with engine.begin() as conn:
        _insert_initial_rows(conn)

    migrate.upgrade(empty_database_url)

    with engine.connect() as conn:
        assert set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()) == set(
            ScriptDirectory.from_config(migrate.alembic_config(empty_database_url)).get_heads()
        )
        assert conn.execute(text("SELECT name FROM event_plugins")).scalars().all() == ["voting"]
        assert conn.execute(text("SELECT document_upload_id FROM innovations")).scalar_one() == 1
        assert conn.execute(text("SELECT status FROM outbound_mail")).scalar_one() == "queued"
    assert _differences(engine) == []


def _insert_initial_rows(conn: sa.Connection) -> None:
    """Rows written against the initial schema (raw SQL: the models may have moved on)."""
    stamp = {"at": "2019-04-01 00:00:00+00:00"}
    conn.execute(
        text(
            "INSERT INTO events (id, slug, name, year, venue, starts_on, ends_on, timezone, "
            "status, description, created_at) VALUES (1, 'jatim-2019', 'Jatim 2019', 2019, "
            "'Banyuwangi', '2019-04-24', '2019-04-24', 'Asia/Jakarta', 'published', '', :at)"
        ),
        stamp,
    )
    conn.execute(
        text(
            "INSERT INTO event_plugins (id, event_id, name, enabled, settings, updated_at) "
            "VALUES (1, 1, 'voting', TRUE, '{}', :at)"
        ),
        stamp,
    )
    conn.execute(
        text(
            "INSERT INTO organizations (id, name, kind, region, created_at) "
            "VALUES (1, 'Samsat Jawa Timur', 'government', 'Jawa Timur', :at)"
        ),
        stamp,
    )
    conn.execute(
        text(
            "INSERT INTO uploads (id, event_id, filename, content_type, size, sha256, "
            "storage_path, created_at) VALUES (1, 1, 'p.pdf', 'application/pdf', 10, "
            "'00', 'u/p.pdf', :at)"
        ),
        stamp,
    )
    conn.execute(
        text(
            "INSERT INTO innovations (id, event_id, organization_id, title, summary, category, "
            "cettar, status, document_upload_id, created_at, updated_at) VALUES (1, 1, 1, "
            "'e-Samsat', '', 'tax', '[]', 'accepted', 1, :at, :at)"
        ),
        stamp,
    )
    conn.execute(
        text(
            "INSERT INTO outbound_mail (id, recipient, subject, body_text, locale, status, "
            "attempts, created_at) VALUES (1, 'a@example.id', 'Hi', 'Hello', 'id', 'queued', "
            "0, :at)"
        ),
        stamp,
    )


def test_downgrade_to_base_and_upgrade_again(empty_database_url: str, engine_for: Any) -> None:
    """Downgrade removes every table; upgrading again rebuilds an identical schema."""
    migrate.upgrade(empty_database_url)
    migrate.downgrade(empty_database_url, "base")

    engine = engine_for(empty_database_url)
    assert inspect(engine).get_table_names() == ["alembic_version"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 0

    migrate.upgrade(empty_database_url)
    assert _differences(engine) == []


def test_gelar_db_upgrade_command(empty_database_url: str, tmp_path: Path) -> None:
    """``gelar db upgrade`` migrates an empty database, then from an older revision."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": empty_database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": TEST_SECRET,
        }
    )
    runner = app.test_cli_runner()
    try:
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "events" in inspect(get_db(app).engine).get_table_names()

        result = runner.invoke(args=["db", "downgrade", INITIAL_REVISION])
        assert result.exit_code == 0, result.output
        assert not inspect(get_db(app).engine).get_check_constraints("uploads")

        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert inspect(get_db(app).engine).get_check_constraints("uploads")
    finally:
        get_db(app).dispose()


@pytest.fixture
def sqlite_with_children(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file with an event and one plugin row pointing at it."""
    url = f"sqlite:///{tmp_path / 'batch.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        _insert_initial_rows(conn)
    yield engine
    engine.dispose()


def _rebuild_events_table(conn: sa.Connection) -> None:
    operations = Operations(MigrationContext.configure(conn))
    with operations.batch_alter_table("events", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("extra", sa.Integer()))


def test_sqlite_batch_rebuild_with_foreign_keys_on_loses_children(
    sqlite_with_children: Engine,
) -> None:
    """Why migrations switch foreign keys off: DROP TABLE cascades into the children."""
    with sqlite_with_children.begin() as conn:
        _rebuild_events_table(conn)

    with sqlite_with_children.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event_plugins")).scalar_one() == 0


def test_sqlite_batch_rebuild_with_foreign_keys_suspended_keeps_children(
    sqlite_with_children: Engine,
) -> None:
    """With keys suspended the rebuilt parent keeps its children, and the keys are back on."""
    with sqlite_with_children.connect() as conn:
        with migrate.sqlite_foreign_keys_suspended(conn), conn.begin():
            _rebuild_events_table(conn)
            migrate.check_foreign_keys(conn)
        assert conn.execute(text("SELECT count(*) FROM event_plugins")).scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_sqlite_migration_leaving_dangling_keys_is_refused(sqlite_with_children: Engine) -> None:
    """check_foreign_keys fails the migration (and it rolls back) when a key points nowhere."""
    with sqlite_with_children.connect() as conn:
        with (
            pytest.raises(migrate.ForeignKeyViolation, match="event_plugins"),
            migrate.sqlite_foreign_keys_suspended(conn),
            conn.begin(),
        ):
            conn.execute(text("DELETE FROM events"))
            migrate.check_foreign_keys(conn)
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == 1


def test_foreign_keys_cannot_be_suspended_inside_a_transaction(
    sqlite_with_children: Engine,
) -> None:
    """SQLite ignores the pragma inside a transaction, so the helper refuses loudly."""
    with sqlite_with_children.connect() as conn:
        conn.execute(text("SELECT 1"))
        with pytest.raises(RuntimeError), migrate.sqlite_foreign_keys_suspended(conn):
            pass

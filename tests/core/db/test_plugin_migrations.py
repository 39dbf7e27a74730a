"""An installed plugin's ``migrations/`` directory joins the tree (third-party: own branch)."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from core import migrate
from core.db import make_engine
from core.model_registry import plugin_migration_dirs

PLUGIN_MIGRATION = '''
"""demo_ext: notes table

Revision ID: 5e1f0c2d3b4a
Revises:
Create Date: 2026-12-01 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = "5e1f0c2d3b4a"
down_revision = None
branch_labels = ("gelar_demo_ext",)
depends_on = "4d6e2442e26f"


def upgrade() -> None:
    op.create_table(
        "demo_ext_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_demo_ext_notes_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_ext_notes")),
    )


def downgrade() -> None:
    op.drop_table("demo_ext_notes")
'''


BROKEN_MIGRATION = PLUGIN_MIGRATION.replace(
    'sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_ext_notes")),\n    )',
    'sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_ext_notes")),\n    )\n'
    '    raise RuntimeError("migration bug")',
)


@pytest.fixture
def third_party_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """Install (on sys.path) a plugin package shipping one migration on its own branch."""
    source = getattr(request, "param", PLUGIN_MIGRATION)
    site = tmp_path / "site"
    package = site / "gelar_demo_ext"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "plugin.py").write_text("", encoding="utf-8")
    (package / "migrations" / "20261201_5e1f0c2d3b4a_demo_ext_notes.py").write_text(
        textwrap.dedent(source), encoding="utf-8"
    )
    info = site / "gelar_demo_ext-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: gelar-demo-ext\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[gelar.plugins]\ndemo_ext = gelar_demo_ext.plugin\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    yield package
    sys.modules.pop("gelar_demo_ext", None)
    importlib.invalidate_caches()


def test_plugin_migrations_are_found_and_run(
    third_party_plugin: Path, empty_database_url: str
) -> None:
    """Upgrade runs core's chain and the plugin's branch; downgrade to base removes both."""
    assert third_party_plugin / "migrations" in plugin_migration_dirs()

    migrate.upgrade(empty_database_url)

    engine = make_engine(empty_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"events", "demo_ext_notes"} <= tables
        with engine.connect() as conn:
            versions = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        heads = set(
            ScriptDirectory.from_config(migrate.alembic_config(empty_database_url)).get_heads()
        )
        assert "5e1f0c2d3b4a" in versions and versions == heads

        migrate.downgrade(empty_database_url, "base")
        assert inspect(engine).get_table_names() == ["alembic_version"]
    finally:
        engine.dispose()


@pytest.mark.parametrize("third_party_plugin", [BROKEN_MIGRATION], indirect=True)
def test_failed_upgrade_changes_nothing(third_party_plugin: Path, empty_database_url: str) -> None:
    """The upgrade is one transaction: a script failing half-way leaves the database empty."""
    with pytest.raises(RuntimeError, match="migration bug"):
        migrate.upgrade(empty_database_url)

    engine = make_engine(empty_database_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()

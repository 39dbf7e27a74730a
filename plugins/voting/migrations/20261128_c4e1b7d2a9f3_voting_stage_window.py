"""voting: a judging window per stage

Each stage may have ``opens_at`` / ``closes_at`` (both optional, UTC); scores are accepted
only inside the window.  A check keeps the window ordered.  Existing stages get no window
(NULL), so they behave as before.  On SQLite batch mode rebuilds ``voting_stages``
(core.migrate keeps foreign keys off meanwhile, so criteria and assignments stay).

Revision ID: c4e1b7d2a9f3
Revises: 8a680c3a6c36
Create Date: 2026-11-28 12:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "c4e1b7d2a9f3"
down_revision = "8a680c3a6c36"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voting_stages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("opens_at", core.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("closes_at", core.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_check_constraint(
            op.f("ck_voting_stages_window_ordered"),
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at",
        )


def downgrade() -> None:
    with op.batch_alter_table("voting_stages", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_voting_stages_window_ordered"), type_="check")
        batch_op.drop_column("closes_at")
        batch_op.drop_column("opens_at")

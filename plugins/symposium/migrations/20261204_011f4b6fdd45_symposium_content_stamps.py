"""symposium: per-event content stamps (the key of the cached programme pages)

Revision ID: 011f4b6fdd45
Revises: be586cc00004
Create Date: 2026-12-04 22:40:00
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "011f4b6fdd45"
down_revision = "be586cc00004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "symposium_content_stamps",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("changed_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_symposium_content_stamps_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_symposium_content_stamps")),
    )


def downgrade() -> None:
    op.drop_table("symposium_content_stamps")

"""voting: each judge's last sync of score sheets (offline judging app)

``voting_judge_syncs`` keeps, per (event, judge), when the server last received the judge's
sheets through the bulk save, the device's clock of the newest sheet, and the row counts;
the organizer's console shows it next to the judge's progress.

Revision ID: 28430ddc0208
Revises: 528ba576790f
Create Date: 2026-12-10 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "28430ddc0208"
down_revision = "528ba576790f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voting_judge_syncs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("synced_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sheets", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_voting_judge_syncs_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["judge_id"],
            ["users.id"],
            name=op.f("fk_voting_judge_syncs_judge_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_judge_syncs")),
        sa.UniqueConstraint(
            "event_id", "judge_id", name=op.f("uq_voting_judge_syncs_event_id_judge_id")
        ),
    )
    with op.batch_alter_table("voting_judge_syncs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_judge_syncs_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_voting_judge_syncs_judge_id"), ["judge_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("voting_judge_syncs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_judge_syncs_judge_id"))
        batch_op.drop_index(batch_op.f("ix_voting_judge_syncs_event_id"))
    op.drop_table("voting_judge_syncs")

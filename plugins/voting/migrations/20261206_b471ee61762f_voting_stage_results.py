"""voting: the stored results of closed stages

``voting_stage_results`` keeps the judge figures of a stage as it closed, with the version
of the method that computed them, so an upgrade of the method never moves a closed stage.

Revision ID: b471ee61762f
Revises: c9d0e1f2a3b4
Create Date: 2026-12-06 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "b471ee61762f"
down_revision = "c9d0e1f2a3b4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voting_stage_results",
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("method_version", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("stored_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_stage_results_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stage_id", name=op.f("pk_voting_stage_results")),
    )


def downgrade() -> None:
    op.drop_table("voting_stage_results")

"""voting: stored results per stage

``voting_results_cache`` keeps the judge-dependent part of a stage's results (means,
normalised scores, spreads, outliers) with a fingerprint of its inputs, so the results are
computed once per change of scores instead of on every read.

Revision ID: b8c9d0e1f2a3
Revises: 5e2d9a7c1b84
Create Date: 2026-12-05 20:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "b8c9d0e1f2a3"
down_revision = "5e2d9a7c1b84"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voting_results_cache",
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("computed_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_results_cache_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stage_id", name=op.f("pk_voting_results_cache")),
    )


def downgrade() -> None:
    op.drop_table("voting_results_cache")

"""voting: results version counters and the stored ranking rows

``voting_results_versions`` holds a counter per event (0: global) bumped in the transaction
of every change of a results input; ``voting_results_rows`` keeps a stage's ranking, one row
per innovation (position 0: the header), keyed by the inputs' fingerprint, so a results page
is one range read.  Existing stored results are dropped (their fingerprints have a new
meaning); the next read recomputes them.

Revision ID: a8231ff56929
Revises: 28430ddc0208
Create Date: 2026-12-06 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "a8231ff56929"
down_revision = "28430ddc0208"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voting_results_versions",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_voting_results_versions")),
    )
    op.create_table(
        "voting_results_rows",
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_results_rows_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stage_id", "position", name=op.f("pk_voting_results_rows")),
    )
    op.execute("DELETE FROM voting_results_cache")


def downgrade() -> None:
    op.drop_table("voting_results_rows")
    op.drop_table("voting_results_versions")

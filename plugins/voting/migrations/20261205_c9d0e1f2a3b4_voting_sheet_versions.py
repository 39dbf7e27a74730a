"""voting: score-sheet versions and applied bulk client ids

``voting_assignments.version`` counts the writes of a sheet (existing sheets start at 0);
``voting_score_requests`` remembers each ``client_id`` a judge's bulk save applied (unique
per judge and client id) so a retried row is applied once.

Revision ID: c9d0e1f2a3b4
Revises: b8c9d0e1f2a3
Create Date: 2026-12-05 20:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "c9d0e1f2a3b4"
down_revision = "b8c9d0e1f2a3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voting_assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "voting_score_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=80), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["judge_id"],
            ["users.id"],
            name=op.f("fk_voting_score_requests_judge_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_voting_score_requests_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_score_requests")),
        sa.UniqueConstraint(
            "judge_id", "client_id", name=op.f("uq_voting_score_requests_judge_id_client_id")
        ),
    )
    with op.batch_alter_table("voting_score_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_score_requests_innovation_id"), ["innovation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("voting_score_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_score_requests_innovation_id"))
    op.drop_table("voting_score_requests")
    with op.batch_alter_table("voting_assignments", schema=None) as batch_op:
        batch_op.drop_column("version")

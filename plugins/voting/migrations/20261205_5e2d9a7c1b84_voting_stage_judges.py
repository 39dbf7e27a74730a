"""voting: a judge panel per stage

``voting_stage_judges`` lists the judges an organizer picked for a stage (unique per
stage and user; rows go with their stage or user).  A stage without rows keeps using
every judge of the event, so existing events behave as before and need no data change.

Revision ID: 5e2d9a7c1b84
Revises: c4e1b7d2a9f3
Create Date: 2026-12-05 09:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "5e2d9a7c1b84"
down_revision = "c4e1b7d2a9f3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voting_stage_judges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_stage_judges_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_voting_stage_judges_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_stage_judges")),
        sa.UniqueConstraint(
            "stage_id", "user_id", name=op.f("uq_voting_stage_judges_stage_id_user_id")
        ),
    )
    with op.batch_alter_table("voting_stage_judges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_stage_judges_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("voting_stage_judges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_stage_judges_user_id"))
    op.drop_table("voting_stage_judges")

"""voting: judges' booth visits and the window they were planned in

``voting_visit_plans`` keeps a stage's last planning window and pace (one row per stage);
``voting_visits`` holds one visit per assignment (a judge at an innovation's booth).

Revision ID: 528ba576790f
Revises: b471ee61762f
Create Date: 2026-12-10 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "528ba576790f"
down_revision = "b471ee61762f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voting_visit_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("minutes_per_visit", sa.Integer(), nullable=False),
        sa.Column("changeover_minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_voting_visit_plans_window_ordered")
        ),
        sa.CheckConstraint(
            "minutes_per_visit > 0", name=op.f("ck_voting_visit_plans_minutes_positive")
        ),
        sa.CheckConstraint(
            "changeover_minutes >= 0", name=op.f("ck_voting_visit_plans_changeover_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_visit_plans_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_visit_plans")),
        sa.UniqueConstraint("stage_id", name=op.f("uq_voting_visit_plans_stage_id")),
    )
    op.create_table(
        "voting_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_voting_visits_visit_ordered")),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_visits_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["voting_assignments.id"],
            name=op.f("fk_voting_visits_assignment_id_voting_assignments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_visits")),
        sa.UniqueConstraint("assignment_id", name=op.f("uq_voting_visits_assignment_id")),
    )
    with op.batch_alter_table("voting_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voting_visits_stage_id"), ["stage_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("voting_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_visits_stage_id"))
    op.drop_table("voting_visits")
    op.drop_table("voting_visit_plans")

"""voting: stages, rubric, assignments, scores, votes

The voting plugin's own branch off core: judging stages with their rubric (criterion
keys unique per stage, weight > 0, min < max), judge assignments and scores, and the
people's-choice votes with one vote per (event, pass, category) enforced by a unique
constraint.

Revision ID: 8a680c3a6c36
Revises: 9b3f5c1a7e20
Create Date: 2026-11-28 10:56:59.692275
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "8a680c3a6c36"
down_revision = "9b3f5c1a7e20"
branch_labels = ("voting",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voting_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("advance_rule", sa.String(length=16), nullable=False),
        sa.Column("advance_value", sa.Float(), nullable=True),
        sa.Column("tie_policy", sa.String(length=16), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "advance_rule IN ('none', 'top_n', 'cutoff')",
            name=op.f("ck_voting_stages_advance_rule_known"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'closed')", name=op.f("ck_voting_stages_status_known")
        ),
        sa.CheckConstraint(
            "tie_policy IN ('all', 'organizer')", name=op.f("ck_voting_stages_tie_policy_known")
        ),
        sa.CheckConstraint("position >= 1", name=op.f("ck_voting_stages_position_positive")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_voting_stages_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_stages")),
        sa.UniqueConstraint(
            "event_id", "position", name=op.f("uq_voting_stages_event_id_position")
        ),
    )
    with op.batch_alter_table("voting_stages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voting_stages_event_id"), ["event_id"], unique=False)

    op.create_table(
        "voting_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.String(length=120), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("min_value", sa.Float(), nullable=False),
        sa.Column("max_value", sa.Float(), nullable=False),
        sa.CheckConstraint("min_value < max_value", name=op.f("ck_voting_criteria_scale_ordered")),
        sa.CheckConstraint("weight > 0", name=op.f("ck_voting_criteria_weight_positive")),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_criteria_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_criteria")),
        sa.UniqueConstraint("stage_id", "key", name=op.f("uq_voting_criteria_stage_id_key")),
    )
    with op.batch_alter_table("voting_criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voting_criteria_stage_id"), ["stage_id"], unique=False)

    op.create_table(
        "voting_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("submitted", sa.Boolean(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_voting_assignments_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["judge_id"],
            ["users.id"],
            name=op.f("fk_voting_assignments_judge_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_assignments_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_assignments")),
        sa.UniqueConstraint(
            "stage_id",
            "judge_id",
            "innovation_id",
            name=op.f("uq_voting_assignments_stage_id_judge_id_innovation_id"),
        ),
    )
    with op.batch_alter_table("voting_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_assignments_innovation_id"), ["innovation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_voting_assignments_judge_id"), ["judge_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_voting_assignments_stage_id"), ["stage_id"], unique=False
        )

    op.create_table(
        "voting_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_voting_entries_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["voting_stages.id"],
            name=op.f("fk_voting_entries_stage_id_voting_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_entries")),
        sa.UniqueConstraint(
            "stage_id", "innovation_id", name=op.f("uq_voting_entries_stage_id_innovation_id")
        ),
    )
    with op.batch_alter_table("voting_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_entries_innovation_id"), ["innovation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_voting_entries_stage_id"), ["stage_id"], unique=False)

    op.create_table(
        "voting_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("pass_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_voting_votes_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_voting_votes_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pass_id"],
            ["visitor_passes.id"],
            name=op.f("fk_voting_votes_pass_id_visitor_passes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_votes")),
        sa.UniqueConstraint(
            "event_id",
            "pass_id",
            "category",
            name=op.f("uq_voting_votes_event_id_pass_id_category"),
        ),
    )
    with op.batch_alter_table("voting_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voting_votes_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_voting_votes_innovation_id"), ["innovation_id"], unique=False
        )

    op.create_table(
        "voting_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("criterion_key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["voting_assignments.id"],
            name=op.f("fk_voting_scores_assignment_id_voting_assignments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_scores")),
        sa.UniqueConstraint(
            "assignment_id",
            "criterion_key",
            name=op.f("uq_voting_scores_assignment_id_criterion_key"),
        ),
    )
    with op.batch_alter_table("voting_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_scores_assignment_id"), ["assignment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("voting_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_scores_assignment_id"))

    op.drop_table("voting_scores")
    with op.batch_alter_table("voting_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_votes_innovation_id"))
        batch_op.drop_index(batch_op.f("ix_voting_votes_event_id"))

    op.drop_table("voting_votes")
    with op.batch_alter_table("voting_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_entries_stage_id"))
        batch_op.drop_index(batch_op.f("ix_voting_entries_innovation_id"))

    op.drop_table("voting_entries")
    with op.batch_alter_table("voting_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_assignments_stage_id"))
        batch_op.drop_index(batch_op.f("ix_voting_assignments_judge_id"))
        batch_op.drop_index(batch_op.f("ix_voting_assignments_innovation_id"))

    op.drop_table("voting_assignments")
    with op.batch_alter_table("voting_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_criteria_stage_id"))

    op.drop_table("voting_criteria")
    with op.batch_alter_table("voting_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_stages_event_id"))

    op.drop_table("voting_stages")

"""registration: registrations and their links to innovations

Revision ID: 96fbbea76286
Revises: 9b3f5c1a7e20
Create Date: 2026-11-28 10:57:12.600051
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "96fbbea76286"
down_revision = "9b3f5c1a7e20"
branch_labels = ("registration",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registration_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("contact_user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("terms_accepted", sa.Boolean(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("offered_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'pending', 'approved', 'rejected', 'waitlisted', 'withdrawn')",
            name=op.f("ck_registration_registrations_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["contact_user_id"],
            ["users.id"],
            name=op.f("fk_registration_registrations_contact_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_registration_registrations_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_registration_registrations_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_registration_registrations_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_registrations")),
    )
    with op.batch_alter_table("registration_registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_registrations_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            "ix_registration_registrations_one_live_per_organization",
            ["event_id", "organization_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('pending', 'approved', 'rejected', 'waitlisted')"),
            postgresql_where=sa.text("status IN ('pending', 'approved', 'rejected', 'waitlisted')"),
        )
        batch_op.create_index(
            batch_op.f("ix_registration_registrations_organization_id"),
            ["organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_registration_registrations_status"), ["status"], unique=False
        )

    op.create_table(
        "registration_innovations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_registration_innovations_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration_registrations.id"],
            name="fk_registration_innovations_registration_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_innovations")),
        sa.UniqueConstraint(
            "innovation_id", name=op.f("uq_registration_innovations_innovation_id")
        ),
    )
    with op.batch_alter_table("registration_innovations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_innovations_registration_id"),
            ["registration_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_innovations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_innovations_registration_id"))

    op.drop_table("registration_innovations")
    with op.batch_alter_table("registration_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_registrations_status"))
        batch_op.drop_index(batch_op.f("ix_registration_registrations_organization_id"))
        batch_op.drop_index(
            "ix_registration_registrations_one_live_per_organization",
            sqlite_where=sa.text("status IN ('pending', 'approved', 'rejected', 'waitlisted')"),
            postgresql_where=sa.text("status IN ('pending', 'approved', 'rejected', 'waitlisted')"),
        )
        batch_op.drop_index(batch_op.f("ix_registration_registrations_event_id"))

    op.drop_table("registration_registrations")

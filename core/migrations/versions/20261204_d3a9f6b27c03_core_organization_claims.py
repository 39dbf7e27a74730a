"""core: organization claims (agencies are claimed, never matched by name)

A pending claim asks an agency's members (or a site admin) to confirm that a person
belongs to it; only a confirmed claim grants a membership.  One pending claim per agency
and e-mail (partial unique index).

Revision ID: d3a9f6b27c03
Revises: c5d2e8f41a02
Create Date: 2026-12-04 19:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "d3a9f6b27c03"
down_revision = "c5d2e8f41a02"
branch_labels = None
depends_on = None

_PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table(
        "organization_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed', 'refused')",
            name=op.f("ck_organization_claims_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_organization_claims_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_organization_claims_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_claims_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_organization_claims_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_claims")),
    )
    with op.batch_alter_table("organization_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_claims_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organization_claims_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organization_claims_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organization_claims_user_id"), ["user_id"], unique=False
        )
        batch_op.create_index(
            "ix_organization_claims_one_pending_per_email",
            ["organization_id", "email"],
            unique=True,
            sqlite_where=_PENDING,
            postgresql_where=_PENDING,
        )


def downgrade() -> None:
    with op.batch_alter_table("organization_claims", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_organization_claims_one_pending_per_email",
            sqlite_where=_PENDING,
            postgresql_where=_PENDING,
        )
        batch_op.drop_index(batch_op.f("ix_organization_claims_user_id"))
        batch_op.drop_index(batch_op.f("ix_organization_claims_status"))
        batch_op.drop_index(batch_op.f("ix_organization_claims_organization_id"))
        batch_op.drop_index(batch_op.f("ix_organization_claims_event_id"))
    op.drop_table("organization_claims")

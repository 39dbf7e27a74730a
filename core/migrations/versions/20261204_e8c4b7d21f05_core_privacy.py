"""core: privacy notices per event and consents to optional uses (issue 21)

Revision ID: e8c4b7d21f05
Revises: a4b5c6d7e8f9
Create Date: 2026-12-04 20:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "e8c4b7d21f05"
down_revision = "a4b5c6d7e8f9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("controller", sa.String(length=250), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("notice", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_privacy_notices_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notices")),
        sa.UniqueConstraint("event_id", name=op.f("uq_privacy_notices_event_id")),
    )
    op.create_table(
        "privacy_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("given_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_privacy_consents_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_privacy_consents_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_consents")),
    )
    op.create_index(
        op.f("ix_privacy_consents_event_id"), "privacy_consents", ["event_id"], unique=False
    )
    op.create_index(
        op.f("ix_privacy_consents_user_id"), "privacy_consents", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_privacy_consents_user_id"), table_name="privacy_consents")
    op.drop_index(op.f("ix_privacy_consents_event_id"), table_name="privacy_consents")
    op.drop_table("privacy_consents")
    op.drop_table("privacy_notices")

"""registration: labelled documents for the eligibility rules (issue 15)

Revision ID: 6dcde25dab99
Revises: f1a2b3c4d5e6
Create Date: 2026-12-10 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "6dcde25dab99"
down_revision = "f1a2b3c4d5e6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registration_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration_registrations.id"],
            name="fk_registration_documents_registration_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_registration_documents_upload_id_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_documents")),
        sa.UniqueConstraint(
            "registration_id", "key", name=op.f("uq_registration_documents_registration_id_key")
        ),
    )
    op.create_index(
        op.f("ix_registration_documents_registration_id"),
        "registration_documents",
        ["registration_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_registration_documents_registration_id"), table_name="registration_documents"
    )
    op.drop_table("registration_documents")

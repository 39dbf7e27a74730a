"""core: innovations across the years: identities, launch dates, replications, awards (issue 15)

Each existing innovation row becomes the one entry of a new identity with the same id
(backfill), so every innovation keeps its id and gains a history of one edition.

Revision ID: 1fa35dfe9d35
Revises: e8c4b7d21f05
Create Date: 2026-12-10 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "1fa35dfe9d35"
down_revision = "e8c4b7d21f05"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "innovation_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=250), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_innovation_identities_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovation_identities")),
    )
    op.create_index(
        op.f("ix_innovation_identities_organization_id"),
        "innovation_identities",
        ["organization_id"],
        unique=False,
    )
    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identity_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("launched_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("replicates_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_innovations_identity_id_innovation_identities"),
            "innovation_identities",
            ["identity_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_innovations_replicates_id_innovation_identities"),
            "innovation_identities",
            ["replicates_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_innovations_identity_id"), ["identity_id"])
        batch_op.create_index(batch_op.f("ix_innovations_replicates_id"), ["replicates_id"])
        batch_op.create_index(
            "ix_innovations_one_entry_per_event", ["event_id", "identity_id"], unique=True
        )
    # Backfill: one identity per existing innovation, with the innovation's own id.
    op.execute(
        "INSERT INTO innovation_identities (id, organization_id, title, created_at) "
        "SELECT id, organization_id, title, created_at FROM innovations"
    )
    op.execute("UPDATE innovations SET identity_id = id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('innovation_identities', 'id'), "
            "COALESCE((SELECT MAX(id) FROM innovation_identities), 0) + 1, false)"
        )
    op.create_table(
        "innovation_awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_innovation_awards_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_innovation_awards_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovations.id"],
            name=op.f("fk_innovation_awards_innovation_id_innovations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovation_awards")),
        sa.UniqueConstraint(
            "innovation_id", "title", name=op.f("uq_innovation_awards_innovation_id_title")
        ),
    )
    op.create_index(
        op.f("ix_innovation_awards_event_id"), "innovation_awards", ["event_id"], unique=False
    )
    op.create_index(
        op.f("ix_innovation_awards_innovation_id"),
        "innovation_awards",
        ["innovation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_innovation_awards_innovation_id"), table_name="innovation_awards")
    op.drop_index(op.f("ix_innovation_awards_event_id"), table_name="innovation_awards")
    op.drop_table("innovation_awards")
    with op.batch_alter_table("innovations", schema=None) as batch_op:
        batch_op.drop_index("ix_innovations_one_entry_per_event")
        batch_op.drop_index(batch_op.f("ix_innovations_replicates_id"))
        batch_op.drop_index(batch_op.f("ix_innovations_identity_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_innovations_replicates_id_innovation_identities"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_innovations_identity_id_innovation_identities"), type_="foreignkey"
        )
        batch_op.drop_column("replicates_id")
        batch_op.drop_column("launched_on")
        batch_op.drop_column("identity_id")
    op.drop_index(
        op.f("ix_innovation_identities_organization_id"), table_name="innovation_identities"
    )
    op.drop_table("innovation_identities")

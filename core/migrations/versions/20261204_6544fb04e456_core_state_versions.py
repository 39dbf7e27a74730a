"""core: shared state versions (the lean views' event cache, issue 17)

Revision ID: 6544fb04e456
Revises: 1fa35dfe9d35
Create Date: 2026-12-04 22:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "6544fb04e456"
down_revision = "1fa35dfe9d35"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "state_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_state_versions")),
    )
    op.bulk_insert(table, [{"name": "events", "version": 0}])


def downgrade() -> None:
    op.drop_table("state_versions")

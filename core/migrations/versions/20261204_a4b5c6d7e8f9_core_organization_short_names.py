"""core: organizations get a short name and aliases (searched by catalogue, floor plan, vote)

Revision ID: a4b5c6d7e8f9
Revises: d3a9f6b27c03
Create Date: 2026-12-04 20:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "a4b5c6d7e8f9"
down_revision = "d3a9f6b27c03"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("short_name", sa.String(length=80), nullable=False, server_default=sa.text("''"))
        )
        batch_op.add_column(
            sa.Column("aliases", sa.String(length=1000), nullable=False, server_default=sa.text("''"))
        )


def downgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("aliases")
        batch_op.drop_column("short_name")

"""voting: daily exhibition hours of a visit plan

``voting_visit_plans`` gains ``daily_start`` and ``daily_end`` (event time, both or neither):
visits happen only within each day's hours of the window, never at night.

Revision ID: 549b0679b541
Revises: a8231ff56929
Create Date: 2026-12-11 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "549b0679b541"
down_revision = "a8231ff56929"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voting_visit_plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("daily_start", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("daily_end", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("voting_visit_plans", schema=None) as batch_op:
        batch_op.drop_column("daily_end")
        batch_op.drop_column("daily_start")

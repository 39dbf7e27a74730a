"""registration: remember whether a registration created its agency

Approval grants the contact a membership without anyone's confirmation only when the
registration itself created the agency (and it still has no members); an agency matched
by name gets a claim instead.  Existing rows: unknown, so ``false`` (the safe side).

Revision ID: f1a2b3c4d5e6
Revises: 96fbbea76286
Create Date: 2026-12-04 19:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "f1a2b3c4d5e6"
down_revision = "96fbbea76286"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registration_registrations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "created_organization",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_registrations", schema=None) as batch_op:
        batch_op.drop_column("created_organization")

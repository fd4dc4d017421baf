"""Mail from a person: the writer's name and address on the outbox, a signature per person.

Revision ID: a7c4e2f9b185
Revises: f5b2d8e4a613
Create Date: 2026-12-02 23:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a7c4e2f9b185"
down_revision = "f5b2d8e4a613"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_mail") as batch:
        batch.add_column(
            sa.Column("from_name", sa.String(200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("reply_to", sa.String(254), nullable=True))
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("signature", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("person") as batch:
        batch.drop_column("signature")
    with op.batch_alter_table("outbox_mail") as batch:
        batch.drop_column("reply_to")
        batch.drop_column("from_name")

"""Who checked a translation: "checked by <name>" only when someone edited or confirmed it.

Revision ID: b8d5f3a0c296
Revises: a7c4e2f9b185
Create Date: 2026-12-02 23:40:00

Translations marked reviewed before this keep their label but name no one.
"""

import sqlalchemy as sa
from alembic import op

revision = "b8d5f3a0c296"
down_revision = "a7c4e2f9b185"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("message_translation") as batch:
        batch.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_message_translation_reviewed_by_id_person",
            "person",
            ["reviewed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("message_translation") as batch:
        batch.drop_constraint("fk_message_translation_reviewed_by_id_person", type_="foreignkey")
        batch.drop_column("reviewed_by_id")

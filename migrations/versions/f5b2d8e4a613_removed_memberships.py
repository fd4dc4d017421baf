"""Removed memberships: why a person removed from a visit had been chosen, kept for their return.

Revision ID: f5b2d8e4a613
Revises: e3a1c5d7f902
Create Date: 2026-12-02 23:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f5b2d8e4a613"
down_revision = "e3a1c5d7f902"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "removed_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "lead",
                "participant",
                "host",
                "interpreter",
                "researcher",
                "observer",
                name="membershiprole",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("selection_reason", sa.Text(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("visit_id", "person_id", name="removed_once"),
    )
    with op.batch_alter_table("removed_membership") as batch:
        batch.create_index("ix_removed_membership_person_id", ["person_id"])


def downgrade():
    op.drop_table("removed_membership")

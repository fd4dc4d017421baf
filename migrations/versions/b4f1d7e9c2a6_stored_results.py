"""Stored results shared by every app server: each commit marks the scopes of data it changed
with a fresh version, and heavy views (itinerary, calendar file, network, report) are kept with
the versions they were computed from.

Revision ID: b4f1d7e9c2a6
Revises: a3e9c5f1b742
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b4f1d7e9c2a6"
down_revision = "a3e9c5f1b742"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "data_version",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_data_version")),
    )
    op.create_table(
        "stored_view",
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("versions", sa.String(length=250), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_view")),
    )


def downgrade():
    op.drop_table("stored_view")
    op.drop_table("data_version")

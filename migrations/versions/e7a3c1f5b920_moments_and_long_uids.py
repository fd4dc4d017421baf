"""Itinerary items from other programs' calendars: a moment (a start and no end) is an item
that ends as it starts, and a calendar UID with its RECURRENCE-ID fits the uid column whole.

Revision ID: e7a3c1f5b920
Revises: fef94cda7195
Create Date: 2026-12-03 08:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e7a3c1f5b920"
down_revision = "fef94cda7195"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("itinerary_item") as batch:
        batch.drop_constraint(batch.f("ck_itinerary_item_ends_after_start"), type_="check")
        batch.create_check_constraint(
            batch.f("ck_itinerary_item_ends_not_before_start"), "ends_at >= starts_at"
        )
        batch.alter_column(
            "uid", existing_type=sa.String(length=100), type_=sa.String(length=255)
        )


def downgrade():
    # A moment gets the minute that the older schema needs.
    op.execute(
        "UPDATE itinerary_item SET ends_at = starts_at + INTERVAL '1 minute' "
        "WHERE ends_at = starts_at"
        if op.get_bind().dialect.name == "postgresql"
        else "UPDATE itinerary_item SET ends_at = datetime(starts_at, '+1 minute') "
        "WHERE ends_at = starts_at"
    )
    with op.batch_alter_table("itinerary_item") as batch:
        batch.drop_constraint(batch.f("ck_itinerary_item_ends_not_before_start"), type_="check")
        batch.create_check_constraint(
            batch.f("ck_itinerary_item_ends_after_start"), "ends_at > starts_at"
        )
        batch.alter_column(
            "uid", existing_type=sa.String(length=255), type_=sa.String(length=100)
        )

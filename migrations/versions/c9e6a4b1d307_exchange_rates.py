"""Exchange rates: a table of published reference rates, and costs whose rate is not known.

Revision ID: c9e6a4b1d307
Revises: b8d5f3a0c296
Create Date: 2026-12-03 07:20:00

Until now a cost's rate defaulted to 1, so a cost in euros entered without a rate counted as
as many pounds. A rate of exactly 1 between two different currencies is taken to be that
default: it becomes "not known" (left out of totals, marked "rate needed") for a lead to give.
"""

import sqlalchemy as sa
from alembic import op

revision = "c9e6a4b1d307"
down_revision = "b8d5f3a0c296"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("per_euro", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.CheckConstraint("per_euro > 0", name=op.f("ck_exchange_rate_per_euro_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate")),
        sa.UniqueConstraint("day", "currency", name="one_rate_a_day"),
    )
    with op.batch_alter_table("exchange_rate") as batch:
        batch.create_index(batch.f("ix_exchange_rate_day"), ["day"], unique=False)
    with op.batch_alter_table("cost") as batch:
        batch.alter_column("rate", existing_type=sa.Numeric(precision=14, scale=6), nullable=True)
    op.execute(
        """
        UPDATE cost SET rate = NULL
        WHERE rate = 1
          AND currency <> COALESCE(
            (SELECT programme.reporting_currency FROM visit
             JOIN programme ON programme.id = visit.programme_id
             WHERE visit.id = cost.visit_id),
            'GBP')
        """
    )


def downgrade():
    # The older schema cannot say "not known"; it gets back the 1 it used to count with.
    op.execute("UPDATE cost SET rate = 1 WHERE rate IS NULL")
    with op.batch_alter_table("cost") as batch:
        batch.alter_column("rate", existing_type=sa.Numeric(precision=14, scale=6), nullable=False)
    with op.batch_alter_table("exchange_rate") as batch:
        batch.drop_index(batch.f("ix_exchange_rate_day"))
    op.drop_table("exchange_rate")

"""Date polls remind those who have not answered, once, at a time the lead chooses before the
deadline: when to remind, when the poll did, and when each invitee was reminded.

Plain ADD COLUMNs, not batches (SQLite's batch copies the table and drops the old one, and the
drop would cascade to the poll's options, invitees and votes).

Revision ID: b3f7d1e5a926
Revises: a9e2c6d4f815
Create Date: 2026-12-07 16:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b3f7d1e5a926'
down_revision = 'a9e2c6d4f815'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('date_poll', sa.Column('remind_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('date_poll', sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('poll_invitee', sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('poll_invitee', 'reminded_at')
    op.drop_column('date_poll', 'reminded_at')
    op.drop_column('date_poll', 'remind_at')

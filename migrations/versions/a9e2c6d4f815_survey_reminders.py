"""Survey waves remind the people who have not answered, each once: when the reminder went.

A plain ADD COLUMN, not a batch (SQLite's batch copies the table and drops the old one).

Revision ID: a9e2c6d4f815
Revises: f1d5b3a7c924
Create Date: 2026-12-07 16:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a9e2c6d4f815'
down_revision = 'f1d5b3a7c924'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('survey_respondent', sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('survey_respondent', 'reminded_at')

"""REFI-QDA projects in and out: imported codes, text sources and coded selections keep their
GUIDs (and a source its name, a code its colour), so that a project exported again, or imported
twice, is recognised.

Plain ADD COLUMNs, not batches: on SQLite a batch copies the table and drops the old one, and
the drop would cascade to the rows that belong to it (a reflection's passages, a code's
codings).

Revision ID: f1d5b3a7c924
Revises: e8c4a2f6b913
Create Date: 2026-12-07 15:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'f1d5b3a7c924'
down_revision = 'e8c4a2f6b913'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('code', sa.Column('qda_guid', sa.String(length=40), nullable=True))
    op.add_column('code', sa.Column('colour', sa.String(length=7), server_default='', nullable=False))
    op.add_column('coded_segment', sa.Column('qda_guid', sa.String(length=40), nullable=True))
    op.add_column('reflection', sa.Column('qda_guid', sa.String(length=40), nullable=True))
    op.add_column('reflection', sa.Column('qda_name', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    op.drop_column('reflection', 'qda_name')
    op.drop_column('reflection', 'qda_guid')
    op.drop_column('coded_segment', 'qda_guid')
    op.drop_column('code', 'colour')
    op.drop_column('code', 'qda_guid')

"""A programme's library of visit designs: a visit's itinerary skeleton, guide, codebook,
protocol, checklist and glossary terms, kept to start the next visit from.

Revision ID: a8c3e5f7b912
Revises: f7b2d9c5e461
Create Date: 2026-12-07 23:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a8c3e5f7b912'
down_revision = 'f7b2d9c5e461'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visit_design',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('source_visit_id', sa.Integer(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['person.id'], name=op.f('fk_visit_design_added_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_visit_design_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_visit_id'], ['visit.id'], name=op.f('fk_visit_design_source_visit_id_visit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_design'))
    )
    for column in ('added_by_id', 'programme_id', 'source_visit_id'):
        op.create_index(op.f(f'ix_visit_design_{column}'), 'visit_design', [column], unique=False)


def downgrade():
    for column in ('added_by_id', 'programme_id', 'source_visit_id'):
        op.drop_index(op.f(f'ix_visit_design_{column}'), table_name='visit_design')
    op.drop_table('visit_design')

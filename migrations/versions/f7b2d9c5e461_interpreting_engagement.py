"""Engaging an interpreter for a whole day or several items at once: one request with its
journey, cancellation terms and rates, one fee per day of work; each booking may belong to one.

Revision ID: f7b2d9c5e461
Revises: e6a1c4b8f359
Create Date: 2026-12-07 23:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'f7b2d9c5e461'
down_revision = 'e6a1c4b8f359'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('interpreting_engagement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('interpreter_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('arrives_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('journey_minutes', sa.Integer(), nullable=False),
    sa.Column('cancellation_terms', sa.JSON(), nullable=False),
    sa.Column('day_rate', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('half_day_rate', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('estimate', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('fees_cost_id', sa.Integer(), nullable=True),
    sa.Column('cancellation_cost_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cancellation_cost_id'], ['cost.id'], name=op.f('fk_interpreting_engagement_cancellation_cost_id_cost'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['fees_cost_id'], ['cost.id'], name=op.f('fk_interpreting_engagement_fees_cost_id_cost'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interpreter_id'], ['interpreter.id'], name=op.f('fk_interpreting_engagement_interpreter_id_interpreter'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_interpreting_engagement_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interpreting_engagement'))
    )
    for column in ('cancellation_cost_id', 'fees_cost_id', 'interpreter_id', 'visit_id'):
        op.create_index(op.f(f'ix_interpreting_engagement_{column}'), 'interpreting_engagement', [column], unique=False)
    # No table refers to booking, so SQLite may copy it to add the foreign key (a table that
    # others refer to must never be copied: dropping the old one would cascade to them).
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('engagement_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_booking_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_booking_engagement_id_interpreting_engagement'), 'interpreting_engagement', ['engagement_id'], ['id'], ondelete='CASCADE')

def downgrade():
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_booking_engagement_id_interpreting_engagement'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_booking_engagement_id'))
        batch_op.drop_column('engagement_id')
    for column in ('cancellation_cost_id', 'fees_cost_id', 'interpreter_id', 'visit_id'):
        op.drop_index(op.f(f'ix_interpreting_engagement_{column}'), table_name='interpreting_engagement')
    op.drop_table('interpreting_engagement')

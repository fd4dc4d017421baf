"""What each person was last told about an itinerary item, so that later edits reach them
together in one mail of what changed since.

Revision ID: c4e8a2f6d137
Revises: b3f7d1e5a926
Create Date: 2026-12-07 16:13:03
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e8a2f6d137'
down_revision = 'b3f7d1e5a926'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('itinerary_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('told', sa.Text(), nullable=False),
    sa.Column('told_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['itinerary_item.id'], name=op.f('fk_itinerary_notice_item_id_itinerary_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_itinerary_notice_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerary_notice')),
    sa.UniqueConstraint('item_id', 'person_id', name='one_notice_per_person')
    )
    with op.batch_alter_table('itinerary_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerary_notice_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerary_notice_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('itinerary_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerary_notice_person_id'))
        batch_op.drop_index(batch_op.f('ix_itinerary_notice_item_id'))

    op.drop_table('itinerary_notice')

"""When someone leaves their post, a lead hands their open actions, contacts to keep up and
open threads to a successor: the hand-over and the contacts it passed on.

Revision ID: d5f9b3a7e248
Revises: c4e8a2f6d137
Create Date: 2026-12-07 16:19:36
"""
from alembic import op
import sqlalchemy as sa


revision = 'd5f9b3a7e248'
down_revision = 'c4e8a2f6d137'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hand_over',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('leaver_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actions_moved', sa.Integer(), nullable=False),
    sa.Column('threads_moved', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['user_account.id'], name=op.f('fk_hand_over_by_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['leaver_id'], ['person.id'], name=op.f('fk_hand_over_leaver_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['successor_id'], ['person.id'], name=op.f('fk_hand_over_successor_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hand_over'))
    )
    with op.batch_alter_table('hand_over', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hand_over_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hand_over_leaver_id'), ['leaver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hand_over_successor_id'), ['successor_id'], unique=False)

    op.create_table('hand_over_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hand_over_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hand_over_id'], ['hand_over.id'], name=op.f('fk_hand_over_contact_hand_over_id_hand_over'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_hand_over_contact_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hand_over_contact'))
    )
    with op.batch_alter_table('hand_over_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hand_over_contact_hand_over_id'), ['hand_over_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hand_over_contact_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('hand_over_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hand_over_contact_person_id'))
        batch_op.drop_index(batch_op.f('ix_hand_over_contact_hand_over_id'))

    op.drop_table('hand_over_contact')
    with op.batch_alter_table('hand_over', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hand_over_successor_id'))
        batch_op.drop_index(batch_op.f('ix_hand_over_leaver_id'))
        batch_op.drop_index(batch_op.f('ix_hand_over_by_user_id'))

    op.drop_table('hand_over')

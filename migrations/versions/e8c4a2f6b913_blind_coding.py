"""Blinded double coding: a programme can code blind, and each researcher says when they have
finished coding (from then on they see the others' codes).

Revision ID: e8c4a2f6b913
Revises: d7b3f9a1c4e2
Create Date: 2026-12-07 15:20:30
"""
from alembic import op
import sqlalchemy as sa


revision = 'e8c4a2f6b913'
down_revision = 'd7b3f9a1c4e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('finished_coding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coder_id'], ['user_account.id'], name=op.f('fk_finished_coding_coder_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_finished_coding_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finished_coding')),
    sa.UniqueConstraint('programme_id', 'coder_id', name='finished_once')
    )
    with op.batch_alter_table('finished_coding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finished_coding_coder_id'), ['coder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finished_coding_programme_id'), ['programme_id'], unique=False)

    # A plain ADD COLUMN, not a batch: SQLite's batch mode would copy the programme table and
    # drop the old one, and the drop would cascade to every programme's codes and researchers.
    op.add_column('programme', sa.Column('blind_coding', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    op.drop_column('programme', 'blind_coding')

    with op.batch_alter_table('finished_coding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finished_coding_programme_id'))
        batch_op.drop_index(batch_op.f('ix_finished_coding_coder_id'))

    op.drop_table('finished_coding')

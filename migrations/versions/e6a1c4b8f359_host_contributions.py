"""The host's side of a visit: the staff time their side gave it and what they gained, in
their own words and language.

Revision ID: e6a1c4b8f359
Revises: d5f9b3a7e248
Create Date: 2026-12-07 16:24:30
"""
from alembic import op
import sqlalchemy as sa


revision = 'e6a1c4b8f359'
down_revision = 'd5f9b3a7e248'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('host_contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('staff', sa.String(length=300), nullable=False),
    sa.Column('gained', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_host_contribution_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_host_contribution_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_host_contribution')),
    sa.UniqueConstraint('visit_id', 'person_id', name='one_account_per_host')
    )
    with op.batch_alter_table('host_contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_host_contribution_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_host_contribution_visit_id'), ['visit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('host_contribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_host_contribution_visit_id'))
        batch_op.drop_index(batch_op.f('ix_host_contribution_person_id'))

    op.drop_table('host_contribution')

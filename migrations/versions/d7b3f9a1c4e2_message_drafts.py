"""Drafts of messages to hosts, kept while a worker translates them and back: the writing page
answers at once whatever the translation service does.

Revision ID: d7b3f9a1c4e2
Revises: c5a2e8f4d1b7
Create Date: 2026-12-04 19:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'd7b3f9a1c4e2'
down_revision = 'c5a2e8f4d1b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('writer_person_id', sa.Integer(), nullable=False),
    sa.Column('recipient_person_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('target_language', sa.String(length=12), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('subject_language', sa.String(length=12), nullable=False),
    sa.Column('translation', sa.Text(), nullable=False),
    sa.Column('subject_translation', sa.String(length=300), nullable=False),
    sa.Column('back_translation', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('waiting', 'translated', 'failed', name='draftstate', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('failure_reason', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recipient_person_id'], ['person.id'], name=op.f('fk_message_draft_recipient_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_message_draft_thread_id_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['writer_person_id'], ['person.id'], name=op.f('fk_message_draft_writer_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_draft'))
    )
    with op.batch_alter_table('message_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_draft_recipient_person_id'), ['recipient_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_draft_thread_id'), ['thread_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_draft_writer_person_id'), ['writer_person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('message_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_draft_writer_person_id'))
        batch_op.drop_index(batch_op.f('ix_message_draft_thread_id'))
        batch_op.drop_index(batch_op.f('ix_message_draft_recipient_person_id'))

    op.drop_table('message_draft')

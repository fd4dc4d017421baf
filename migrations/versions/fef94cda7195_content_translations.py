"""Visit content translated for readers of another language: titles, objectives, itinerary,
social-media protocol, embargoes and organisations' descriptions, each kept beside its original.

Revision ID: fef94cda7195
Revises: d4f7b2c9e815
Create Date: 2026-12-03 08:00:49.267938

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "fef94cda7195"
down_revision = "d4f7b2c9e815"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("source_language", sa.String(length=8), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("target_language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "machine",
                "reviewed",
                name="translationstatus",
                native_enum=False,
                create_constraint=True,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("failure_reason", sa.String(length=40), nullable=False),
        sa.Column("failure_detail", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["person.id"],
            name=op.f("fk_content_translation_reviewed_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
            name=op.f("fk_content_translation_visit_id_visit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_translation")),
        sa.UniqueConstraint(
            "kind", "record_id", "field", "target_language", name="one_per_field_and_language"
        ),
    )
    with op.batch_alter_table("content_translation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_translation_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_content_translation_visit_id"), ["visit_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("content_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_translation_visit_id"))
        batch_op.drop_index(batch_op.f("ix_content_translation_status"))

    op.drop_table("content_translation")

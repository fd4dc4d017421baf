"""Glossary terms belong to the installation, a programme, a host city or one visit.

Revision ID: d4f7b2c9e815
Revises: c9e6a4b1d307
Create Date: 2026-12-03 08:00:00

Terms already stored hold everywhere, as before, except the notes cop itself seeded about
Paris's own institutions, which now hold in visits to Paris only.
"""

import sqlalchemy as sa
from alembic import op

revision = "d4f7b2c9e815"
down_revision = "c9e6a4b1d307"
branch_labels = None
depends_on = None

ONE_SCOPE = (
    "(CASE WHEN visit_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN programme_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN host_city = '' THEN 0 ELSE 1 END) <= 1"
)


def upgrade():
    with op.batch_alter_table("glossary_term") as batch:
        batch.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("host_city", sa.String(length=120), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("host_country", sa.String(length=2), nullable=False, server_default="")
        )
        batch.create_index(batch.f("ix_glossary_term_programme_id"), ["programme_id"])
        batch.create_foreign_key(
            batch.f("fk_glossary_term_programme_id_programme"),
            "programme",
            ["programme_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_check_constraint(batch.f("ck_glossary_term_one_scope"), ONE_SCOPE)
    op.execute(
        "UPDATE glossary_term SET host_city = 'Paris', host_country = 'FR' "
        "WHERE visit_id IS NULL AND language_a = 'fr' "
        "AND term_a IN ('Conseil de Paris', 'maire de Paris')"
    )


def downgrade():
    with op.batch_alter_table("glossary_term") as batch:
        batch.drop_constraint(batch.f("ck_glossary_term_one_scope"), type_="check")
        batch.drop_constraint(
            batch.f("fk_glossary_term_programme_id_programme"), type_="foreignkey"
        )
        batch.drop_index(batch.f("ix_glossary_term_programme_id"))
        batch.drop_column("host_country")
        batch.drop_column("host_city")
        batch.drop_column("programme_id")

"""Checklist keys: each standard check knows which one it is, so cop can tick it itself.

Revision ID: e3a1c5d7f902
Revises: d91e5a7c3b28
Create Date: 2026-12-02 22:40:00

Checks made from the template before this kept only their title, in the language of whoever
made them; the titles of the template in English and French are written out here so that those
checks get their key too. A check whose title was changed keeps no key and stays a manual one.
"""

import sqlalchemy as sa
from alembic import op

revision = "e3a1c5d7f902"
down_revision = "d91e5a7c3b28"
branch_labels = None
depends_on = None

TEMPLATE_TITLES = {
    "objective": (
        "Objective agreed and the problem at home it serves written down",
        "Objectif convenu et problème local auquel il répond mis par écrit",
    ),
    "coordinator": ("A named coordinator on each side", "Un coordinateur désigné de chaque côté"),
    "dates": (
        "Dates agreed with the host (public holidays checked)",
        "Dates convenues avec l’hôte (jours fériés vérifiés)",
    ),
    "agenda": (
        "Formal agenda with names, titles and short bios",
        "Programme officiel avec noms, fonctions et courtes biographies",
    ),
    "invitations": ("Invitations sent", "Invitations envoyées"),
    "travel": (
        "Travel booked (passports valid for Schengen, insurance)",
        "Voyage réservé (passeports valables pour Schengen, assurance)",
    ),
    "accommodation": ("Accommodation booked", "Hébergement réservé"),
    "budget": ("Budget agreed and who pays", "Budget convenu et qui paie"),
    "access_needs": (
        "Access and dietary needs asked for, with explicit consent",
        "Besoins d’accessibilité et alimentaires demandés, avec consentement explicite",
    ),
    "interpreter_booked": ("Interpreter booked", "Interprète réservé"),
    "interpreter_briefed": (
        "Interpreter briefed (agenda, glossary, documents, names)",
        "Interprète briefé (programme, glossaire, documents, noms)",
    ),
    "social_media": (
        "Social-media protocol agreed with the host",
        "Protocole réseaux sociaux convenu avec l’hôte",
    ),
    "consents": (
        "Photo, video and interview consents collected",
        "Consentements photo, vidéo et entretien recueillis",
    ),
    "privacy_notice": (
        "Privacy notice given; sharing the participant list abroad agreed",
        "Avis de confidentialité remis ; partage de la liste des participants à l’étranger "
        "convenu",
    ),
    "thank_you": ("Thank-you letters sent", "Lettres de remerciement envoyées"),
}


def upgrade():
    with op.batch_alter_table("planning_task") as batch:
        batch.add_column(sa.Column("key", sa.String(30), nullable=True))
    task = sa.table("planning_task", sa.column("title", sa.String), sa.column("key", sa.String))
    for key, titles in TEMPLATE_TITLES.items():
        op.execute(task.update().where(task.c.title.in_(titles)).values(key=key))


def downgrade():
    with op.batch_alter_table("planning_task") as batch:
        batch.drop_column("key")

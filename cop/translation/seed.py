"""The terms of ../shared/DOMAIN.md that do not translate one-to-one (French -> English)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.translation.models import GlossaryTerm

# French term, English rendering ("" where there is none), explanation, keep as is
TERMS = [
    (
        "budget participatif",
        "participatory budgeting (PB)",
        "In Paris capital spending only; much Scottish PB was small grants.",
        False,
    ),
    ("budget d'investissement", "capital budget", "", False),
    ("budget de fonctionnement", "revenue budget", "", False),
    (
        "mairie d'arrondissement",
        "district town hall",
        "Delegated powers, no taxes; the nearest Scottish unit is a multi-member ward, "
        "not a borough council.",
        False,
    ),
    ("Conseil de Paris", "the city council", "Acts as both commune and département.", False),
    (
        "maire de Paris",
        "leader of the council",
        "Closer to Council Leader than to Lord Provost.",
        False,
    ),
    ("adjoint", "deputy with a portfolio", "Roughly a convener.", False),
    (
        "conseil de quartier",
        "neighbourhood council",
        "Set up and often chaired by the council, consultative; Scottish community councils "
        "are independent elected volunteers.",
        False,
    ),
    (
        "quartiers populaires",
        "priority neighbourhoods",
        "Not 'popular'; the nearest Scottish marker is SIMD areas.",
        False,
    ),
    ("porteur de projet", "proposer", "The person or group behind a proposal.", False),
    ("recevabilité", "eligibility check", "", False),
    ("faisabilité", "technical feasibility and costing", "", False),
    ("co-construction", "merged, co-written project", "", False),
    ("regroupement", "bundled projects", "", False),
    (
        "commission ad hoc",
        "selection panel",
        "The panel fixing the ballot; no exact Scottish equivalent.",
        False,
    ),
    ("lauréat", "winning project", "", False),
    ("budget primitif", "initial annual budget", "Adopted in December.", False),
    ("élus", "elected members", "", False),
    ("agents", "officers", "", False),
    (
        "volontaire du Service Civique",
        "young civic-service volunteer",
        "Receives an allowance; neither an unpaid volunteer nor the civil service.",
        False,
    ),
    (
        "Community Planning Partnership",
        "",
        "No French equivalent: a statutory multi-agency local partnership in Scotland.",
        True,
    ),
]


# Paris's own institutions: notes about them belong in visits to Paris, not to Lyon.
PARIS_ONLY = frozenset({"Conseil de Paris", "maire de Paris"})


def seed_glossary(session: Session) -> int:
    """Add the terms not yet in the global glossary; returns how many were added."""
    existing = set(
        session.scalars(select(GlossaryTerm.term_a).where(GlossaryTerm.visit_id.is_(None)))
    )
    added = 0
    for french, english, explanation, keep in TERMS:
        if french in existing:
            continue
        source_language, source, target_language, target = (
            ("en", french, "fr", "") if keep else ("fr", french, "en", english)
        )
        session.add(
            GlossaryTerm(
                language_a=source_language,
                term_a=source,
                language_b=target_language,
                term_b=target,
                explanation=explanation,
                do_not_translate=keep,
                domain="participatory budgeting",
                host_city="Paris" if french in PARIS_ONLY else "",
                host_country="FR" if french in PARIS_ONLY else "",
            )
        )
        added += 1
    return added

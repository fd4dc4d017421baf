"""A person's own reflections (no Flask here): everything they wrote, with what researchers
coded in it, as one JSON-ready document; and deleting all of it (codes on it go with it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cop.reflections import logic
from cop.reflections.models import Passage, Reflection
from cop.research.models import Code, CodedSegment


def reflections_of(
    session: Session, person_id: int | None, *, newest_first: bool = False
) -> list[Reflection]:
    if person_id is None:
        return []
    return list(
        session.scalars(
            select(Reflection)
            .where(Reflection.person_id == person_id)
            .options(
                selectinload(Reflection.visit),
                selectinload(Reflection.ratings),
                selectinload(Reflection.passages)
                .selectinload(Passage.segments)
                .selectinload(CodedSegment.code),
            )
            .order_by(Reflection.created_at.desc() if newest_first else Reflection.created_at)
        )
    )


def personal_export(
    session: Session, person_id: int | None, holder: str, now: datetime
) -> dict[str, Any]:
    reflections = reflections_of(session, person_id)
    rated = {rating.code_id for reflection in reflections for rating in reflection.ratings}
    theme_names = {
        code.id: logic.code_name(code)
        for code in session.scalars(select(Code).where(Code.id.in_(rated)))
    }
    return {
        "person": holder,
        "downloaded_at": now.isoformat(),
        "reflections": [_reflection(r, theme_names) for r in reflections],
    }


def _reflection(reflection: Reflection, theme_names: dict[int, str]) -> dict[str, Any]:
    return {
        "visit": reflection.visit.title,
        "phase": reflection.phase.value,
        "source": reflection.source.value,
        "consent": reflection.consent.value,
        "submitted_at": reflection.submitted_at.isoformat() if reflection.submitted_at else None,
        "video_reference": reflection.video_reference,
        "satisfaction": reflection.satisfaction,
        "self_ratings": {
            theme_names.get(rating.code_id, str(rating.code_id)): rating.score
            for rating in reflection.ratings
        },
        "passages": [
            {
                "question": passage.question_text,
                "speaker": passage.speaker,
                "starts_ms": passage.starts_ms,
                "ends_ms": passage.ends_ms,
                "text": passage.text,
                "codes": [
                    {"code": logic.code_name(segment.code), "quote": segment.quote}
                    for segment in passage.segments
                ],
            }
            for passage in reflection.passages
        ],
    }


def delete_all(session: Session, person_id: int | None) -> int:
    """Delete every reflection of the person; returns how many."""
    reflections = (
        []
        if person_id is None
        else list(session.scalars(select(Reflection).where(Reflection.person_id == person_id)))
    )
    for reflection in reflections:
        session.delete(reflection)
    return len(reflections)

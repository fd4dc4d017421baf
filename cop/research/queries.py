"""The research room's queries, as Select objects with their eager loads (no Flask here)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from cop.directory.models import Person
from cop.reflections.logic import readable_by_researchers
from cop.reflections.models import Passage, Reflection
from cop.research.models import CodedSegment
from cop.visits.models import Visit


def readable_segments(programme_id: int) -> Select:
    """Coded segments of submitted reflections whose writers let researchers read them."""
    return (
        select(CodedSegment)
        .join(Passage, Passage.id == CodedSegment.passage_id)
        .join(Reflection, Reflection.id == Passage.reflection_id)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(
            Visit.programme_id == programme_id,
            readable_by_researchers(),
        )
        .options(
            selectinload(CodedSegment.passage)
            .selectinload(Passage.reflection)
            .selectinload(Reflection.person)
            .selectinload(Person.organisation),
            selectinload(CodedSegment.passage)
            .selectinload(Passage.reflection)
            .selectinload(Reflection.visit),
            selectinload(CodedSegment.coder),
            selectinload(CodedSegment.code),
        )
        .order_by(Reflection.id, Passage.position, CodedSegment.char_start, CodedSegment.id)
    )

"""Value-creation stories (no Flask here): one person's coded passages in the order of the
value-creation cycles (immediate, potential, applied, realised, reframing value), with their
actions at home; and finding the person a pseudonym stands for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cop.actions.models import Action
from cop.directory.models import Person
from cop.pseudonyms import pseudonym
from cop.reflections import logic
from cop.reflections.defaults import CYCLES_ROOT
from cop.reflections.models import Passage, Reflection
from cop.research.models import Code, CodedSegment
from cop.research.quotes import Quote, quotes_of
from cop.visits.models import Membership, Visit


@dataclass(frozen=True)
class Story:
    reflections: list[Reflection]  # those the reader may read, oldest first
    by_cycle: list[tuple[Code, list[Quote]]]  # every cycle, in the cycles' order, words once
    actions: list[Action]

    @property
    def named(self) -> bool:
        """Whether the person agreed to be named in any of it (their actions name them)."""
        return any(r.consent.researchers_see_name for r in self.reflections)


def story_of(session: Session, programme_id: int, person_id: int, reader: logic.Reader) -> Story:
    reflections = [
        reflection
        for reflection in session.scalars(
            select(Reflection)
            .join(Visit, Visit.id == Reflection.visit_id)
            .where(Visit.programme_id == programme_id, Reflection.person_id == person_id)
            .options(selectinload(Reflection.person), selectinload(Reflection.visit))
            .order_by(Reflection.created_at)
        )
        if logic.may_read(reader, reflection)
    ]
    by_cycle = []
    for cycle in logic.children_of(session, programme_id, CYCLES_ROOT):
        segments = session.scalars(
            select(CodedSegment)
            .join(Passage, Passage.id == CodedSegment.passage_id)
            .where(
                Passage.reflection_id.in_([r.id for r in reflections]),
                CodedSegment.code_id.in_(logic.descendants(session, cycle)),
            )
            .options(
                selectinload(CodedSegment.passage).selectinload(Passage.reflection),
                selectinload(CodedSegment.code),
            )
            .order_by(CodedSegment.created_at)
        ).all()
        by_cycle.append((cycle, quotes_of(segments)))
    actions = session.scalars(
        select(Action)
        .join(Visit, Visit.id == Action.visit_id)
        .where(Visit.programme_id == programme_id, Action.owner_id == person_id)
        .order_by(Action.created_at)
    ).all()
    return Story(reflections, by_cycle, list(actions))


def person_behind(session: Session, programme_id: int, key: str, secret: str) -> Person | None:
    """The person of the programme's visits whose pseudonym is ``key``, or None."""
    members = (
        select(Membership.person_id)
        .join(Visit, Visit.id == Membership.visit_id)
        .where(Visit.programme_id == programme_id)
    )
    # Writers who are no members: the people of sources imported from a REFI-QDA project.
    writers = (
        select(Reflection.person_id)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(Visit.programme_id == programme_id)
    )
    person_ids = session.scalars(members.union(writers)).all()
    for person_id in person_ids:
        if pseudonym(secret, person_id) == key:
            return session.get(Person, person_id)
    return None

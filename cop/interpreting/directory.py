"""The interpreters' directory as the database holds it: finding interpreters by language pair
and knowledge, whose directory entry a new interpreter is, and their pairs (no Flask here)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from cop.directory.models import Person
from cop.interpreting.models import Interpreter, Knowledge, LanguagePair


def directory_query(pairs: list[tuple[str, str]], knowledge: Knowledge | None) -> Select:
    """Interpreters by name who work in every one of ``pairs`` and, if given, know ``knowledge``."""
    query = (
        select(Interpreter)
        .join(Person, Person.id == Interpreter.person_id)
        .options(selectinload(Interpreter.pairs), selectinload(Interpreter.person))
        .order_by(Person.name)
    )
    for source, target in pairs:
        query = query.where(
            Interpreter.id.in_(
                select(LanguagePair.interpreter_id).where(
                    LanguagePair.source == source, LanguagePair.target == target
                )
            )
        )
    if knowledge is not None:
        query = query.where(Interpreter.knowledge.includes(knowledge))
    return query


class EntryProblem(ValueError):
    """Why an address cannot be given to this interpreter: ``already_interpreter`` (its person
    is in the directory as an interpreter already) or ``address_taken`` (someone else has it)."""


def person_for(session: Session, email: str, interpreter: Interpreter | None) -> Person | None:
    """The directory entry the interpreter is, or None for a new person. A new interpreter
    joins the person who already has the address, unless that person interprets already."""
    if interpreter is not None:
        person = interpreter.person
        if email != person.email and session.scalar(
            select(Person.id).where(Person.email == email, Person.id != person.id)
        ):
            raise EntryProblem("address_taken")
        return person
    person = session.scalar(select(Person).where(Person.email == email))
    if person is not None and session.scalar(
        select(Interpreter.id).where(Interpreter.person_id == person.id)
    ):
        raise EntryProblem("already_interpreter")
    return person


def replace_pairs(interpreter: Interpreter, pairs: list[tuple[str, str]]) -> None:
    """Keep the pairs that stay (replacing them all would insert a pair before deleting its
    twin, which the one-row-per-pair rule refuses), drop the others, add the new ones."""
    wanted = set(pairs)
    kept = [pair for pair in interpreter.pairs if (pair.source, pair.target) in wanted]
    have = {(pair.source, pair.target) for pair in kept}
    interpreter.pairs = [
        *kept,
        *(LanguagePair(source=s, target=t) for s, t in sorted(wanted) if (s, t) not in have),
    ]

"""From a new tie to what it led to (no Flask here): for each tie first made in the window after
a visit, the passages in which either person reflects on the other and the actions at home
those passages fed, placed in Wenger-Trayner's value-creation cycles (immediate, potential,
applied, realised, reframing value) by the codes researchers gave them.

A tie is shown only where both people let researchers read their reflections (at least one
reflection of each is readable), and only readable passages are shown. A passage reflects on
the other person when it names them: their full name, or their surname as a word."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cop.actions.models import Action
from cop.directory.models import Person
from cop.network import analysis
from cop.network.loading import DEFAULT_SOURCES, load_scope, windows_around
from cop.network.report import graph_in
from cop.reflections import logic
from cop.reflections.defaults import CYCLES_ROOT
from cop.reflections.models import Consent, Passage, Reflection
from cop.research.models import CodedSegment
from cop.visits.models import Visit

SHORTEST_SURNAME = 3


@dataclass(frozen=True)
class NewTie:
    first: Hashable
    second: Hashable
    since: date


def new_ties(
    session: Session, programme_id: int, visit_id: int | None = None
) -> tuple[list[NewTie], tuple[date, date] | None]:
    """Ties between two people in the window after the visit that were not there before,
    each with the day of its first contact after; and the window after."""
    windows = windows_around(session, programme_id, visit_id)
    if windows is None:
        return [], None
    scope = load_scope(session, programme_id, DEFAULT_SOURCES)
    before, after = graph_in(scope, *windows.before), graph_in(scope, *windows.after)
    made = analysis.undirected_pairs(after) - analysis.undirected_pairs(before)
    since: dict[frozenset, date] = {}
    for tie in analysis.in_window(scope.ties, *windows.after):
        pair = frozenset((tie.source, tie.target))
        if pair in made:
            since[pair] = min(since.get(pair, tie.day), tie.day)
    ties = [NewTie(*sorted(pair), since[pair]) for pair in made if len(pair) == 2]
    return sorted(ties, key=lambda tie: (tie.since, tie.first, tie.second)), windows.after


def names_in(text: str, person: Person) -> bool:
    """Whether the text names the person: their full name, or their surname as a word."""
    folded = text.casefold()
    full = person.name.strip().casefold()
    if full and full in folded:
        return True
    surname = full.split()[-1] if full.split() else ""
    return (
        len(surname) >= SHORTEST_SURNAME
        and re.search(rf"\b{re.escape(surname)}\b", folded) is not None
    )


@dataclass
class TieValue:
    """What a new tie led to: each person's passages naming the other, by value cycle (a
    passage no cycle code was given is under ``None``), and the actions they fed."""

    tie: NewTie
    labels: tuple[str, str]
    passages: list[tuple[Passage, tuple[str, ...]]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    def by_cycle(self) -> dict[str | None, list[Passage]]:
        found: dict[str | None, list[Passage]] = defaultdict(list)
        for passage, cycles in self.passages:
            for cycle in cycles or (None,):
                found[cycle].append(passage)
        return found


def value_of_ties(
    session: Session,
    programme_id: int,
    ties: list[NewTie],
    label: Callable[[Person, bool], str],
) -> list[TieValue]:
    """The value-creation rows of the ties both people's consent lets researchers read.
    ``label(person, named)`` is how a person is shown (named: they agreed to be)."""
    people = {tie.first for tie in ties} | {tie.second for tie in ties}
    reflections = session.scalars(
        select(Reflection)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(
            Visit.programme_id == programme_id,
            Reflection.person_id.in_(people),
            logic.readable_by_researchers(),
        )
        .options(selectinload(Reflection.person), selectinload(Reflection.passages))
    ).all()
    by_person: dict[Hashable, list[Reflection]] = defaultdict(list)
    for reflection in reflections:
        by_person[reflection.person_id].append(reflection)
    persons = {
        person.id: person for person in session.scalars(select(Person).where(Person.id.in_(people)))
    }
    cycle_codes = logic.children_of(session, programme_id, CYCLES_ROOT)
    cycles = {code.id: logic.code_name(code) for code in cycle_codes}
    below = {
        code_id: code.id for code in cycle_codes for code_id in logic.descendants(session, code)
    }
    coded: dict[int, set[str]] = defaultdict(set)
    for passage_id, code_id in session.execute(
        select(CodedSegment.passage_id, CodedSegment.code_id).where(CodedSegment.code_id.in_(below))
    ):
        coded[passage_id].add(cycles[below[code_id]])
    rows = []
    for tie in ties:
        if not by_person.get(tie.first) or not by_person.get(tie.second):
            continue  # one of them has not let researchers read anything
        value = TieValue(
            tie,
            (
                label(persons[tie.first], _named(by_person[tie.first])),
                label(persons[tie.second], _named(by_person[tie.second])),
            ),
        )
        for writer, other in ((tie.first, tie.second), (tie.second, tie.first)):
            for reflection in by_person[writer]:
                for passage in reflection.passages:
                    if names_in(passage.text, persons[other]):
                        order = [c for c in cycles.values() if c in coded.get(passage.id, ())]
                        value.passages.append((passage, tuple(order)))
        passage_ids = [passage.id for passage, _cycles in value.passages]
        if passage_ids:
            value.actions = list(
                session.scalars(
                    select(Action).where(Action.passage_id.in_(passage_ids)).order_by(Action.id)
                )
            )
        rows.append(value)
    return rows


def _named(reflections: list[Reflection]) -> bool:
    """Named only where every readable reflection of theirs lets researchers see their name."""
    return all(r.consent in (Consent.NAMED, Consent.QUOTABLE) for r in reflections)


VALUE_COLUMNS = [
    "first_person",
    "second_person",
    "tie_since",
    "kind",
    "by",
    "value_cycles",
    "text",
    "phase",
    "action_status",
]


def value_rows(values: list[TieValue]) -> list[list]:
    """One row per passage and per action of each tie, for the CSV a researcher exports."""
    rows = []
    for value in values:
        first, second = value.labels
        labels = {value.tie.first: first, value.tie.second: second}
        for passage, cycles in value.passages:
            reflection = passage.reflection
            rows.append(
                [
                    first,
                    second,
                    value.tie.since.isoformat(),
                    "passage",
                    labels.get(reflection.person_id, ""),
                    "; ".join(cycles),
                    passage.text,
                    reflection.phase.value,
                    "",
                ]
            )
        for action in value.actions:
            rows.append(
                [
                    first,
                    second,
                    value.tie.since.isoformat(),
                    "action",
                    labels.get(action.owner_id, ""),
                    "",
                    action.title,
                    "",
                    action.status.value,
                ]
            )
    return rows

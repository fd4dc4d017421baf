"""The case-by-code matrix of QDA tools (no Flask here): people, or their organisations, by
codes, each cell the number of coded passages (a passage two coders gave the same code counts
once), only from reflections researchers may read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.directory.models import Organisation, Person
from cop.reflections.logic import readable_by_researchers
from cop.reflections.models import Consent, Passage, Reflection
from cop.research.models import CodedSegment
from cop.visits.models import Visit

NO_ORGANISATION = 0


class CaseKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class CodedRow:
    """One coded passage of one writer, as the matrix reads it."""

    person_id: int
    person_name: str
    named: bool
    organisation_id: int | None
    organisation_name: str
    code_id: int
    passage_id: int


@dataclass(frozen=True)
class Case:
    """A row of the matrix: a person (``person_id`` set), or an organisation (``key`` its id,
    0 for people of none)."""

    key: str
    label: str
    counts: dict[int, int]
    person_id: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def coded_rows(session: Session, programme_id: int) -> list[CodedRow]:
    """Each readable coded passage of the programme with its code and its writer. One query."""
    named = Reflection.consent.in_((Consent.NAMED, Consent.QUOTABLE))
    return [
        CodedRow(*row)
        for row in session.execute(
            select(
                Person.id,
                Person.name,
                named,
                Organisation.id,
                Organisation.name,
                CodedSegment.code_id,
                CodedSegment.passage_id,
            )
            .select_from(CodedSegment)
            .join(Passage, Passage.id == CodedSegment.passage_id)
            .join(Reflection, Reflection.id == Passage.reflection_id)
            .join(Visit, Visit.id == Reflection.visit_id)
            .join(Person, Person.id == Reflection.person_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Visit.programme_id == programme_id, readable_by_researchers())
            .distinct()
        )
    ]


def tally(
    rows: Iterable[CodedRow],
    kind: CaseKind,
    *,
    person_label: Callable[[int, str, bool], str],
    no_organisation: str,
) -> list[Case]:
    """Cases by code, each passage once per case and code, cases in the order of their labels."""
    passages: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    labels: dict[str, tuple[str, int | None]] = {}
    for row in rows:
        if kind is CaseKind.PERSON:
            key = str(row.person_id)
            # A writer named in one reflection and not in another is one person, shown under
            # the pseudonym unless every reflection of theirs is named.
            shown = person_label(row.person_id, row.person_name, row.named)
            hidden = person_label(row.person_id, row.person_name, False)
            label = labels.get(key, (shown, row.person_id))[0]
            labels[key] = (label if label == shown else hidden, row.person_id)
        else:
            organisation = row.organisation_id or NO_ORGANISATION
            key = str(organisation)
            labels[key] = (row.organisation_name or no_organisation, None)
        passages[key][row.code_id].add(row.passage_id)
    cases = [
        Case(
            key,
            labels[key][0],
            {code_id: len(found) for code_id, found in by_code.items()},
            labels[key][1],
        )
        for key, by_code in passages.items()
    ]
    return sorted(cases, key=lambda case: (case.label.casefold(), case.key))

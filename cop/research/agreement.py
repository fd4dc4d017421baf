"""Agreement between coders, code by code (no Flask here): Cohen's kappa for a pair of coders,
Krippendorff's alpha for any number of them.

The unit is the passage (a written answer or a speaker's turn): for each code, each coder either
applied it somewhere in the passage or did not. Only passages of reflections that both coders have
coded count, so that a reflection one of them has not reached yet does not read as disagreement.
Per code this gives a 2 x 2 table, its percent agreement and Cohen's kappa:

    p_o = (both + neither) / n
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)      with p_a, p_b each coder's rate of applying it
    kappa = (p_o - p_e) / (1 - p_e)

Kappa is undefined when p_e is 1 (both coders applied the code everywhere, or nowhere).

Krippendorff's alpha (computed by the ``krippendorff`` package, nominal level) takes every coder
who has coded the reflection a unit belongs to, handles the others as missing, and works on
either unit: the passage (applied somewhere in it or not, as kappa) or the character (inside one
of the coder's spans of the code or not), so that two coders who chose the same passage but
different words are told apart. Units only one coder has reached do not count. Alpha is
undefined when no unit has two coders or when every value given is the same."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import krippendorff
import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class CodeAgreement:
    code_id: int
    both: int
    only_first: int
    only_second: int
    neither: int

    @property
    def units(self) -> int:
        return self.both + self.only_first + self.only_second + self.neither

    @property
    def percent(self) -> float | None:
        if not self.units:
            return None
        return 100 * (self.both + self.neither) / self.units

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self.both, self.only_first, self.only_second, self.neither)


def cohen_kappa(both: int, only_first: int, only_second: int, neither: int) -> float | None:
    """Cohen's kappa of a 2 x 2 table, or None when it is undefined."""
    units = both + only_first + only_second + neither
    if units == 0:
        return None
    observed = (both + neither) / units
    first_rate = (both + only_first) / units
    second_rate = (both + only_second) / units
    expected = first_rate * second_rate + (1 - first_rate) * (1 - second_rate)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement_by_code(
    units: Iterable[int],
    first: set[tuple[int, int]],
    second: set[tuple[int, int]],
    code_ids: Iterable[int],
) -> list[CodeAgreement]:
    """``first`` and ``second`` hold (unit, code) pairs each coder applied; ``units`` are the
    passages both coders have been through."""
    unit_list = list(units)
    results = []
    for code_id in code_ids:
        counts = {"both": 0, "only_first": 0, "only_second": 0, "neither": 0}
        for unit in unit_list:
            in_first = (unit, code_id) in first
            in_second = (unit, code_id) in second
            if in_first and in_second:
                counts["both"] += 1
            elif in_first:
                counts["only_first"] += 1
            elif in_second:
                counts["only_second"] += 1
            else:
                counts["neither"] += 1
        results.append(CodeAgreement(code_id=code_id, **counts))
    return results


class Unit(StrEnum):
    """What a coder's decision is about."""

    PASSAGE = "passage"
    CHARACTER = "character"


@dataclass(frozen=True)
class Applied:
    """A coder applied a code to characters ``start`` up to ``end`` of a passage."""

    coder_id: int
    passage_id: int
    code_id: int
    start: int
    end: int
    segment_id: int = 0


@dataclass(frozen=True)
class CodedPassage:
    """A passage and the coders who have coded its reflection (they each decided on it)."""

    passage_id: int
    length: int
    coders: frozenset[int]


@dataclass(frozen=True)
class CodeAlpha:
    """Krippendorff's alpha of one code (``code_id`` None: every code at once)."""

    code_id: int | None
    alpha: float | None
    units: int
    coders: int


def value_counts(
    passages: Sequence[CodedPassage], applied: Iterable[Applied], code_id: int, unit: Unit
) -> np.ndarray:
    """One row per unit that at least two coders decided on: how many said "not this code"
    and how many said "this code" (the ``value_counts`` form of the krippendorff package)."""
    spans: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for coding in applied:
        if coding.code_id == code_id:
            spans[(coding.passage_id, coding.coder_id)].append((coding.start, coding.end))
    rows = []
    for passage in passages:
        deciding = len(passage.coders)
        if deciding < 2:
            continue
        if unit is Unit.PASSAGE:
            said_yes = sum(1 for coder in passage.coders if (passage.passage_id, coder) in spans)
            rows.append(np.array([[deciding - said_yes, said_yes]]))
            continue
        if passage.length == 0:
            continue
        said_yes = np.zeros(passage.length, dtype=np.int64)
        for coder in passage.coders:
            covered = np.zeros(passage.length, dtype=bool)
            for start, end in spans.get((passage.passage_id, coder), ()):
                covered[max(start, 0) : min(end, passage.length)] = True
            said_yes += covered
        rows.append(np.column_stack([deciding - said_yes, said_yes]))
    if not rows:
        return np.zeros((0, 2), dtype=np.int64)
    return np.concatenate(rows)


def alpha_of(counts: np.ndarray) -> float | None:
    """Nominal Krippendorff's alpha of a ``value_counts`` table, None where it is undefined."""
    pairable = counts[counts.sum(axis=1) >= 2]
    if len(pairable) == 0 or (pairable.sum(axis=0) == 0).any():
        return None
    return float(
        krippendorff.alpha(
            value_counts=pairable, value_domain=[0, 1], level_of_measurement="nominal"
        )
    )


def alpha_by_code(
    passages: Sequence[CodedPassage],
    applied: Sequence[Applied],
    code_ids: Iterable[int],
    unit: Unit,
) -> tuple[list[CodeAlpha], CodeAlpha]:
    """Alpha of each code, and of all of them together (each unit and code one decision)."""
    coders = len({coder for passage in passages for coder in passage.coders})
    results, tables = [], []
    for code_id in code_ids:
        counts = value_counts(passages, applied, code_id, unit)
        tables.append(counts)
        results.append(CodeAlpha(code_id, alpha_of(counts), len(counts), coders))
    together = np.concatenate(tables) if tables else np.zeros((0, 2), dtype=np.int64)
    return results, CodeAlpha(None, alpha_of(together), len(together), coders)


@dataclass(frozen=True)
class ProgrammeCodings:
    """Everything agreement needs from a programme: who applied what where, and which
    passages each coder has been through."""

    applied: list[Applied]
    passages: list[CodedPassage]

    @property
    def coder_ids(self) -> list[int]:
        return sorted({coding.coder_id for coding in self.applied})

    def pairs(self, coder_id: int) -> set[tuple[int, int]]:
        """(passage, code) pairs the coder applied, for Cohen's kappa."""
        return {(c.passage_id, c.code_id) for c in self.applied if c.coder_id == coder_id}

    def shared_by(self, first: int, second: int) -> list[CodedPassage]:
        return [p for p in self.passages if {first, second} <= p.coders]


@dataclass(frozen=True)
class Disagreement:
    """Two coders decided differently on a code in a passage: each one's spans of it."""

    passage_id: int
    code_id: int
    first: tuple[Applied, ...]
    second: tuple[Applied, ...]


def _covered(spans: Iterable[Applied], length: int) -> frozenset[int]:
    return frozenset(
        position for span in spans for position in range(max(span.start, 0), min(span.end, length))
    )


def disagreements(
    codings: ProgrammeCodings, first: int, second: int, unit: Unit
) -> list[Disagreement]:
    """Where two coders disagree, passage by passage and code by code, in the passages both
    decided on: one applied a code the other did not, or (characters) chose other words."""
    spans: dict[tuple[int, int, int], list[Applied]] = defaultdict(list)
    codes_in: dict[int, set[int]] = defaultdict(set)
    for coding in codings.applied:
        if coding.coder_id in (first, second):
            spans[(coding.passage_id, coding.code_id, coding.coder_id)].append(coding)
            codes_in[coding.passage_id].add(coding.code_id)
    found = []
    for passage in codings.shared_by(first, second):
        for code_id in sorted(codes_in.get(passage.passage_id, ())):
            by_first = tuple(spans.get((passage.passage_id, code_id, first), ()))
            by_second = tuple(spans.get((passage.passage_id, code_id, second), ()))
            if unit is Unit.PASSAGE:
                differ = bool(by_first) != bool(by_second)
            else:
                differ = _covered(by_first, passage.length) != _covered(by_second, passage.length)
            if differ:
                found.append(Disagreement(passage.passage_id, code_id, by_first, by_second))
    return found


def programme_codings(session: Session, programme_id: int) -> ProgrammeCodings:
    """The codings of the programme's reflections that researchers may read, and each of their
    passages with the coders who have coded its reflection. Two queries."""
    from cop.reflections.logic import readable_by_researchers
    from cop.reflections.models import Passage, Reflection
    from cop.research.models import CodedSegment
    from cop.visits.models import Visit

    readable = (
        select(Reflection.id)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(Visit.programme_id == programme_id, readable_by_researchers())
    )
    rows = session.execute(
        select(
            CodedSegment.id,
            CodedSegment.coder_id,
            CodedSegment.passage_id,
            CodedSegment.code_id,
            CodedSegment.char_start,
            CodedSegment.char_end,
            Passage.reflection_id,
        )
        .join(Passage, Passage.id == CodedSegment.passage_id)
        .where(Passage.reflection_id.in_(readable))
        .order_by(CodedSegment.id)
    ).all()
    applied = [
        Applied(r.coder_id, r.passage_id, r.code_id, r.char_start, r.char_end, r.id) for r in rows
    ]
    coders_of: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        coders_of[row.reflection_id].add(row.coder_id)
    coded_reflections = (
        select(Passage.reflection_id)
        .join(CodedSegment, CodedSegment.passage_id == Passage.id)
        .where(Passage.reflection_id.in_(readable))
    )
    passages = [
        CodedPassage(row.id, row.length or 0, frozenset(coders_of[row.reflection_id]))
        for row in session.execute(
            select(Passage.id, Passage.reflection_id, func.length(Passage.text).label("length"))
            .where(Passage.reflection_id.in_(coded_reflections))
            .order_by(Passage.reflection_id, Passage.position, Passage.id)
        )
    ]
    return ProgrammeCodings(applied, passages)

"""The evaluation's measures: small pure functions from what the tool holds to figures (no
database, no Flask, no wording). Each is tested alone; the report computes them in one place
and its sections only word and tabulate the results.

Inputs are model objects already loaded (reflections, coded segments, actions) or the planning
log's rows; people are counted by person id, passages by passage id, so two coders applying one
code to one passage count once."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cop.actions.models import Action, ActionStatus
from cop.planning.logic import CostRow, EffortRow, in_reporting_currency
from cop.reflections.models import Phase, Reflection
from cop.research.models import Code, CodedSegment

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def per(total: Decimal, count: int) -> Decimal | None:
    """A unit cost, or None when there is nothing to divide by."""
    return money(total / count) if count else None


@dataclass(frozen=True)
class CodeCount:
    code: Code
    passages: int
    people: int


def code_counts(coded: Iterable[tuple[Code, list[CodedSegment]]]) -> list[CodeCount]:
    """Coded passages and people per code, the most coded first (then by the code's order)."""
    counts = [
        CodeCount(
            code,
            len({s.passage_id for s in segments}),
            len({s.passage.reflection.person_id for s in segments}),
        )
        for code, segments in coded
    ]
    return sorted(counts, key=lambda count: -count.passages)


def passages_coded(coded: Iterable[tuple[Code, list[CodedSegment]]]) -> int:
    """Distinct passages coded with any of the codes (a learning point counts once)."""
    return len({s.passage_id for _code, segments in coded for s in segments})


@dataclass(frozen=True)
class Satisfaction:
    mean: float | None
    answers: int


def satisfaction(reflections: Iterable[Reflection]) -> Satisfaction:
    """The mean of the 1-5 satisfaction given after the visit."""
    scores = [
        r.satisfaction for r in reflections if r.phase is Phase.AFTER and r.satisfaction is not None
    ]
    return Satisfaction(round(statistics.mean(scores), 2) if scores else None, len(scores))


@dataclass(frozen=True)
class RatingChange:
    code: Code
    people: int
    before: float
    after: float

    @property
    def change(self) -> float:
        return round(self.after - self.before, 2)


@dataclass(frozen=True)
class Ratings:
    changes: list[RatingChange]  # themes someone rated both before and after
    risen: set[int]  # people whose rating of some theme rose


def rating_changes(reflections: Iterable[Reflection], themes: list[Code]) -> Ratings:
    """Self-ratings against the baseline: for each theme, the people who rated it before and
    after the visit, and their mean ratings then and now."""
    before: dict[tuple[int, int], int] = {}
    after: dict[tuple[int, int], int] = {}
    for reflection in reflections:
        if reflection.phase not in (Phase.BEFORE, Phase.AFTER):
            continue
        target = before if reflection.phase is Phase.BEFORE else after
        for rating in reflection.ratings:
            target[(reflection.person_id, rating.code_id)] = rating.score
    changes, risen = [], set()
    for theme in themes:
        pairs = [
            (person_id, before[(person_id, code_id)], after[(person_id, code_id)])
            for person_id, code_id in before
            if code_id == theme.id and (person_id, code_id) in after
        ]
        risen |= {person_id for person_id, old, new in pairs if new > old}
        if pairs:
            changes.append(
                RatingChange(
                    theme,
                    len(pairs),
                    round(statistics.mean(old for _p, old, _n in pairs), 2),
                    round(statistics.mean(new for _p, _o, new in pairs), 2),
                )
            )
    return Ratings(changes, risen)


def coded_people(segments: Iterable[CodedSegment]) -> dict[str, set[int]]:
    """For each default code key, the people with a passage coded with it."""
    people: dict[str, set[int]] = defaultdict(set)
    for segment in segments:
        if segment.code.default_key:
            people[segment.code.default_key].add(segment.passage.reflection.person_id)
    return people


@dataclass(frozen=True)
class Kirkpatrick:
    """The people with evidence of each of Kirkpatrick's four levels."""

    reaction: set[int]
    learning: set[int]
    behaviour: set[int]
    results: set[int]

    def counts(self) -> list[int]:
        return [len(self.reaction), len(self.learning), len(self.behaviour), len(self.results)]


def kirkpatrick(
    reflections: Iterable[Reflection],
    actions: Iterable[Action],
    risen: set[int],
    coded: dict[str, set[int]],
) -> Kirkpatrick:
    """Reaction: gave a satisfaction or was coded so; learning: a self-rating rose; behaviour:
    an action under way or done; results: an action done with evidence; each level also
    reached by a passage coded with it."""
    actions = list(actions)
    return Kirkpatrick(
        {r.person_id for r in reflections if r.satisfaction is not None}
        | coded.get("reaction", set()),
        risen | coded.get("learning", set()),
        {a.owner_id for a in actions if a.status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE)}
        | coded.get("behaviour", set()),
        {a.owner_id for a in actions if a.status is ActionStatus.DONE and a.evidence}
        | coded.get("results", set()),
    )


@dataclass(frozen=True)
class ActionCounts:
    by_status: dict[ActionStatus, int]  # every status, zero included
    by_organisation: dict[str, Counter]  # organisation name ("" for none) -> statuses
    by_theme: dict[Code | None, Counter]  # theme (None for none) -> statuses

    @property
    def open(self) -> int:
        return self.by_status[ActionStatus.PLANNED] + self.by_status[ActionStatus.IN_PROGRESS]


def action_counts(actions: Iterable[Action]) -> ActionCounts:
    by_status: Counter = Counter()
    by_organisation: dict[str, Counter] = defaultdict(Counter)
    by_theme: dict[Code | None, Counter] = defaultdict(Counter)
    for action in actions:
        by_status[action.status] += 1
        by_organisation[action.organisation.name if action.organisation else ""][action.status] += 1
        by_theme[action.theme][action.status] += 1
    return ActionCounts(
        {status: by_status.get(status, 0) for status in ActionStatus},
        dict(by_organisation),
        dict(by_theme),
    )


def days_to_done(action: Action) -> int | None:
    """Days from recording an action to its first update marking it done."""
    done = [u for u in action.updates if u.status is ActionStatus.DONE]
    if not done:
        return None
    return (done[0].created_at.date() - action.created_at.date()).days


@dataclass(frozen=True)
class Median:
    value: float | None
    count: int


def median_days_to_done(actions: Iterable[Action]) -> Median:
    durations = [d for d in (days_to_done(a) for a in actions) if d is not None]
    return Median(statistics.median(durations) if durations else None, len(durations))


@dataclass(frozen=True)
class Hours:
    """Hours of the planning log, by phase (its value), category (its value) and person."""

    by_phase: dict[str, float]
    by_category: dict[str, float]
    by_person: dict[str, float]
    total: float


def hours(efforts: Iterable[EffortRow]) -> Hours:
    by: dict[str, dict[str, float]] = {"phase": {}, "category": {}, "person": {}}
    total_minutes = 0
    for row in efforts:
        total_minutes += row.minutes
        for kind, key in (("phase", row.phase), ("category", row.category), ("person", row.person)):
            by[kind][key] = by[kind].get(key, 0) + row.minutes / 60
    rounded = {
        kind: {key: round(value, 2) for key, value in sorted(found.items(), key=lambda i: -i[1])}
        for kind, found in by.items()
    }
    return Hours(
        rounded["phase"], rounded["category"], rounded["person"], round(total_minutes / 60, 2)
    )


@dataclass(frozen=True)
class Costs:
    by_category: dict[str, Decimal]  # category value -> amount in the reporting currency
    total: Decimal
    # Costs with no rate known are in no total: how many, and their amounts per currency paid.
    without_rate: int = 0
    uncounted: dict[str, Decimal] = field(default_factory=dict)


def costs(rows: Iterable[CostRow]) -> Costs:
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    uncounted: dict[str, Decimal] = defaultdict(Decimal)
    without_rate = 0
    for cost in rows:
        if cost.rate is None:
            without_rate += 1
            uncounted[cost.currency] += cost.amount
            continue
        by_category[cost.category] += in_reporting_currency(cost.amount, cost.rate)
    ordered = {key: money(value) for key, value in sorted(by_category.items(), key=lambda i: -i[1])}
    return Costs(
        ordered,
        money(sum(by_category.values(), Decimal(0))),
        without_rate,
        {currency: money(amount) for currency, amount in sorted(uncounted.items())},
    )


@dataclass(frozen=True)
class UnitCosts:
    total: Decimal
    participants: int
    learning_points: int
    implemented_actions: int

    @property
    def per_participant(self) -> Decimal | None:
        return per(self.total, self.participants)

    @property
    def per_learning_point(self) -> Decimal | None:
        return per(self.total, self.learning_points)

    @property
    def per_implemented_action(self) -> Decimal | None:
        return per(self.total, self.implemented_actions)


def implemented(actions: Iterable[Action]) -> int:
    return sum(1 for a in actions if a.status is ActionStatus.DONE)

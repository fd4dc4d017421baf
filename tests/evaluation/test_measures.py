"""The evaluation's measures, each alone, on objects made here (no database, no app): what
counts once, what is left out, and what a visit with nothing yet gives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from cop.actions.models import Action, ActionStatus, ActionUpdate
from cop.directory.models import Organisation
from cop.evaluation import measures
from cop.planning.logic import CostRow, EffortRow
from cop.reflections.models import Passage, Phase, Reflection, SelfRating
from cop.research.models import Code, CodedSegment

MAINSTREAMING = Code(id=1, default_key="mainstreaming", position=0)
RESOURCING = Code(id=2, default_key="resourcing", position=1)


def reflection(person_id: int, phase: Phase = Phase.AFTER, **fields) -> Reflection:
    ratings = [
        SelfRating(code_id=code, score=score) for code, score in fields.pop("ratings", {}).items()
    ]
    return Reflection(person_id=person_id, phase=phase, ratings=ratings, **fields)


def segment(passage_id: int, person_id: int, code: Code) -> CodedSegment:
    passage = Passage(
        id=passage_id, text="Paris names a PB officer", reflection=reflection(person_id)
    )
    return CodedSegment(passage_id=passage_id, passage=passage, code=code, char_start=0, char_end=5)


def action(owner_id: int, status: ActionStatus, **fields) -> Action:
    return Action(owner_id=owner_id, status=status, title="An action", **fields)


def test_two_coders_on_one_passage_count_as_one_coded_passage() -> None:
    coded = [
        (MAINSTREAMING, [segment(10, 1, MAINSTREAMING), segment(10, 1, MAINSTREAMING)]),
        (RESOURCING, [segment(11, 1, RESOURCING), segment(12, 2, RESOURCING)]),
    ]
    counts = measures.code_counts(coded)
    assert [(c.code, c.passages, c.people) for c in counts] == [
        (RESOURCING, 2, 2),
        (MAINSTREAMING, 1, 1),
    ]
    assert measures.passages_coded(coded) == 3


def test_satisfaction_is_the_mean_of_answers_after_the_visit() -> None:
    found = measures.satisfaction(
        [
            reflection(1, satisfaction=5),
            reflection(2, satisfaction=4),
            reflection(3, satisfaction=None),
            reflection(4, Phase.BEFORE, satisfaction=1),  # not asked before; not counted
        ]
    )
    assert (found.mean, found.answers) == (4.5, 2)
    assert measures.satisfaction([]) == measures.Satisfaction(None, 0)


def test_ratings_compare_only_people_who_rated_before_and_after() -> None:
    ratings = measures.rating_changes(
        [
            reflection(1, Phase.BEFORE, ratings={1: 2}),
            reflection(1, Phase.AFTER, ratings={1: 4}),
            reflection(2, Phase.BEFORE, ratings={1: 3}),
            reflection(2, Phase.AFTER, ratings={1: 3}),
            reflection(3, Phase.AFTER, ratings={1: 5}),  # no baseline
        ],
        [MAINSTREAMING, RESOURCING],
    )
    [change] = ratings.changes
    assert (change.code, change.people, change.before, change.after, change.change) == (
        MAINSTREAMING,
        2,
        2.5,
        3.5,
        1.0,
    )
    assert ratings.risen == {1}


def test_kirkpatrick_levels_come_from_ratings_actions_and_codes() -> None:
    levels = measures.kirkpatrick(
        [reflection(1, satisfaction=4), reflection(2)],
        [
            action(3, ActionStatus.IN_PROGRESS),
            action(4, ActionStatus.DONE, evidence="Budget paper to committee"),
            action(5, ActionStatus.DONE, evidence=""),
        ],
        risen={2},
        coded={"reaction": {6}, "results": {7}},
    )
    assert levels.reaction == {1, 6}
    assert levels.learning == {2}
    assert levels.behaviour == {3, 4, 5}
    assert levels.results == {4, 7}  # done without evidence is behaviour, not results
    assert levels.counts() == [2, 1, 3, 2]


def test_coded_people_are_found_by_the_codes_default_key() -> None:
    applied = Code(id=3, default_key="applied")
    renamed = Code(id=4, default_key=None, name="Own code")
    found = measures.coded_people([segment(1, 1, applied), segment(2, 2, renamed)])
    assert found == {"applied": {1}}


def test_actions_are_counted_by_status_organisation_and_theme() -> None:
    glasgow = Organisation(name="Glasgow City Council")
    counts = measures.action_counts(
        [
            action(1, ActionStatus.PLANNED, organisation=glasgow, theme=MAINSTREAMING),
            action(2, ActionStatus.DONE, organisation=glasgow),
            action(3, ActionStatus.IN_PROGRESS),
        ]
    )
    assert counts.by_status == {
        ActionStatus.PLANNED: 1,
        ActionStatus.IN_PROGRESS: 1,
        ActionStatus.DONE: 1,
        ActionStatus.DROPPED: 0,
    }
    assert counts.open == 2
    assert sum(counts.by_organisation["Glasgow City Council"].values()) == 2
    assert counts.by_organisation[""][ActionStatus.IN_PROGRESS] == 1
    assert counts.by_theme[MAINSTREAMING][ActionStatus.PLANNED] == 1


def test_days_to_done_run_from_recording_to_the_first_done_update() -> None:
    def recorded(day: int, done_days: list[int]) -> Action:
        return action(
            1,
            ActionStatus.DONE,
            created_at=datetime(2017, 1, day, tzinfo=UTC),
            updates=[
                ActionUpdate(status=ActionStatus.DONE, created_at=datetime(2017, 1, d, tzinfo=UTC))
                for d in done_days
            ],
        )

    assert measures.days_to_done(recorded(1, [11, 20])) == 10
    assert measures.days_to_done(recorded(1, [])) is None
    median = measures.median_days_to_done([recorded(1, [11]), recorded(1, [21]), recorded(1, [])])
    assert (median.value, median.count) == (15, 2)


def test_hours_and_costs_are_grouped_largest_first() -> None:
    day = date(2016, 12, 8)
    found = measures.hours(
        [
            EffortRow("Ruth", day, 90, "organising", "before"),
            EffortRow("Ruth", day, 30, "travel", "during"),
            EffortRow("Iain", day, 180, "travel", "during"),
        ]
    )
    assert found.by_phase == {"during": 3.5, "before": 1.5}
    assert list(found.by_person) == ["Iain", "Ruth"] and found.total == 5.0
    spent = measures.costs(
        [
            CostRow(day, "travel", "Train", Decimal("100"), "EUR", Decimal("0.85"), "", "before"),
            CostRow(day, "venue", "Room", Decimal("40"), "GBP", Decimal("1"), "", "during"),
        ]
    )
    assert spent.by_category == {"travel": Decimal("85.00"), "venue": Decimal("40.00")}
    assert spent.total == Decimal("125.00")


def test_unit_costs_are_missing_rather_than_divided_by_zero() -> None:
    units = measures.UnitCosts(
        Decimal("1000"), participants=3, learning_points=0, implemented_actions=2
    )
    assert units.per_participant == Decimal("333.33")
    assert units.per_learning_point is None
    assert units.per_implemented_action == Decimal("500.00")
    assert (
        measures.implemented([action(1, ActionStatus.DONE), action(2, ActionStatus.DROPPED)]) == 1
    )

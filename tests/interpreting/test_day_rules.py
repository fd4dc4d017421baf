"""The interpreters' day as rules: team strength by AIIC's guidance, items at the same time,
relay, rest after travel, fees by the day and cancellation terms. Frozen inputs, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from cop.interpreting import teams
from cop.interpreting.teams import CancellationTerm, Finding, Interpreting, WorkItem
from cop.itinerary.logic import Slot

SOLO = 30
FR_EN = frozenset({("fr", "en"), ("en", "fr")})


def at(hour: int, minute: int = 0, day: int = 8) -> datetime:
    # 8 December 2016 in UTC; Paris is an hour ahead, the same day for these hours.
    return datetime(2016, 12, day, hour, minute, tzinfo=UTC)


def slot(title: str, start: datetime, end: datetime, item_id: int = 0) -> Slot:
    return Slot(item_id or hash(title) % 1000, title, start, end, "Europe/Paris")


def simultaneous(name: str, pairs: frozenset = FR_EN, **travel) -> Interpreting:
    return Interpreting(name, pairs, simultaneous=True, **travel)


def consecutive(name: str, pairs: frozenset = FR_EN) -> Interpreting:
    return Interpreting(name, pairs)


@pytest.mark.parametrize(
    ("minutes", "team"),
    [(20, 1), (30, 1), (31, 2), (240, 2), (241, 3), (360, 3), (480, 4), (481, 5), (600, 5)],
)
def test_team_strength_follows_aiic_one_alone_only_briefly_two_to_half_a_day(minutes, team):
    assert teams.team_strength(minutes, SOLO) == team


def test_a_day_of_simultaneous_work_needs_a_team_of_three_when_two_are_asked():
    morning = WorkItem(
        slot("Plenary", at(8), at(11)), "fr", (simultaneous("Anne"), simultaneous("Paul"))
    )
    afternoon = WorkItem(
        slot("Workshop", at(13), at(15, 30)), "fr", (simultaneous("Anne"), simultaneous("Paul"))
    )
    findings = teams.day_findings([morning, afternoon], ["en", "fr"], SOLO)
    assert findings == [Finding("team", minutes=330, needed=3, booked=2)]


def test_one_interpreter_alone_for_an_hour_of_simultaneous_work_is_short_of_a_colleague():
    alone = WorkItem(slot("Question time", at(9), at(10)), "fr", (simultaneous("Anne"),))
    findings = teams.day_findings([alone], ["en", "fr"], SOLO)
    assert Finding("alone", ("Question time",), minutes=60, needed=2, booked=1) in findings
    assert Finding("team", minutes=60, needed=2, booked=1) in findings


def test_consecutive_work_asks_no_team_of_the_simultaneous_kind():
    talk = WorkItem(slot("Walk", at(9), at(12)), "fr", (consecutive("Anne"),))
    assert teams.day_findings([talk], ["en", "fr"], SOLO) == []


def test_items_at_the_same_time_each_need_their_own_interpreter():
    first = WorkItem(slot("Budget office", at(9), at(10, 30)), "fr", (consecutive("Anne"),))
    second = WorkItem(slot("Youth council", at(10), at(11)), "fr", (consecutive("Anne"),))
    third = WorkItem(slot("Lunch talk", at(12), at(13)), "fr", (consecutive("Paul"),))
    findings = teams.day_findings([first, second, third], ["en", "fr"], SOLO)
    assert findings == [
        Finding("parallel", ("Budget office", "Youth council"), names=("Anne",), needed=2)
    ]


def test_items_chained_by_overlaps_form_one_group():
    work = [
        WorkItem(slot("A", at(9), at(10)), "fr"),
        WorkItem(slot("B", at(9, 30), at(11)), "fr"),
        WorkItem(slot("C", at(10, 45), at(12)), "fr"),
    ]
    [group] = teams.parallel_groups(work)
    assert [w.slot.title for w in group] == ["A", "B", "C"]


def test_touching_items_do_not_run_at_the_same_time():
    work = [WorkItem(slot("A", at(9), at(10)), "fr"), WorkItem(slot("B", at(10), at(11)), "fr")]
    assert teams.parallel_groups(work) == []


def test_relay_through_a_third_language_is_found_and_named():
    # A Spanish speaker in Paris: María works from Spanish into French, Anne from French into
    # English; the visitors hear Spanish only through French.
    maria = consecutive("María", frozenset({("es", "fr"), ("fr", "es")}))
    work = WorkItem(slot("Madrid's experience", at(14), at(15)), "es", (maria, consecutive("Anne")))
    findings = teams.day_findings([work], ["en", "fr", "es"], SOLO)
    assert Finding("relay", ("Madrid's experience",), source="es", target="en", pivot="fr") in (
        findings
    )
    assert Finding("relay", ("Madrid's experience",), source="en", target="es", pivot="fr") in (
        findings
    )
    assert [f.kind for f in findings if f.kind not in ("relay",)] == []


def test_a_direction_no_one_works_in_is_named_as_uncovered():
    only_into_english = consecutive("Anne", frozenset({("fr", "en")}))
    work = WorkItem(slot("Visit of a school", at(9), at(10)), "fr", (only_into_english,))
    findings = teams.day_findings([work], ["en", "fr"], SOLO)
    assert findings == [
        Finding("uncovered", ("Visit of a school",), source="en", target="fr"),
    ]


def test_an_item_no_one_is_asked_for_is_not_reported_as_relay_or_uncovered():
    assert (
        teams.day_findings([WorkItem(slot("Open", at(9), at(10)), "fr")], ["en", "fr"], SOLO) == []
    )


def test_after_a_long_journey_the_interpreter_needs_a_night_before_working():
    arrived = at(7) - timedelta(hours=1)
    anne = consecutive("Anne")
    travelled = Interpreting("Anne", anne.pairs, arrives_at=arrived, journey_minutes=7 * 60)
    work = [WorkItem(slot("Morning", at(9), at(10)), "fr", (travelled,))]
    assert teams.day_findings(work, ["en", "fr"], SOLO) == [
        Finding("rest", names=("Anne",), minutes=180, needed=720)
    ]


def test_after_a_short_journey_an_hour_is_enough():
    anne = Interpreting("Anne", FR_EN, arrives_at=at(8), journey_minutes=90)
    assert (
        teams.day_findings([WorkItem(slot("M", at(9), at(10)), "fr", (anne,))], ["en", "fr"], SOLO)
        == []
    )
    late = Interpreting("Anne", FR_EN, arrives_at=at(8, 30), journey_minutes=90)
    assert teams.day_findings(
        [WorkItem(slot("M", at(9), at(10)), "fr", (late,))], ["en", "fr"], SOLO
    ) == [Finding("rest", names=("Anne",), minutes=30, needed=60)]


def test_a_day_whose_items_fit_in_four_hours_costs_half_a_day_else_a_day():
    morning = [slot("A", at(8), at(9, 30)), slot("B", at(10), at(12))]
    fees = teams.day_fees(morning, Decimal("750"), Decimal("450"))
    assert fees.total == Decimal("450") and fees.days[0].half_day
    whole = [*morning, slot("C", at(14), at(16))]
    assert teams.day_fees(whole, Decimal("750"), Decimal("450")).total == Decimal("750")
    two_days = [*whole, slot("D", at(9, day=9), at(10, day=9))]
    fees = teams.day_fees(two_days, Decimal("750"), Decimal("450"))
    assert fees.total == Decimal("1200")
    assert [(f.day, f.half_day) for f in fees.days] == [
        (date(2016, 12, 8), False),
        (date(2016, 12, 9), True),
    ]


def test_without_a_day_rate_a_long_day_has_no_estimate():
    assert teams.day_fees([slot("A", at(8), at(16))], None, Decimal("450")) is None
    assert teams.day_fees([slot("A", at(8), at(9))], Decimal("750"), None).total == Decimal("750")


@pytest.mark.parametrize(
    ("notice", "percent"), [(45, 0), (30, 0), (29, 50), (7, 50), (6, 100), (0, 100), (-1, 100)]
)
def test_the_share_due_on_cancelling_depends_on_the_notice(notice, percent):
    terms = [CancellationTerm(30, 50), CancellationTerm(7, 100)]
    assert teams.cancellation_percent(terms, notice) == percent


def test_terms_are_read_as_typed_in_either_language():
    expected = [CancellationTerm(30, 50), CancellationTerm(7, 100)]
    assert teams.parse_terms("7 days: 100 %, 30 days: 50 %") == expected
    assert teams.parse_terms("30 jours : 50 % ; 7 jours : 100 %") == expected
    assert teams.parse_terms("  ") == []


@pytest.mark.parametrize("text", ["30 days", "30: 150", "30: 50, 7: 20", "30: 50, 30: 60", "0: 50"])
def test_terms_that_cannot_hold_are_refused(text):
    with pytest.raises(ValueError):
        teams.parse_terms(text)

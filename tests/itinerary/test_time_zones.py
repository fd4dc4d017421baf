"""Wall-clock times in the host's zone, across daylight-saving changes, and the itinerary checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from cop.itinerary.logic import (
    NonexistentLocalTime,
    Slot,
    check_itinerary,
    group_by_local_day,
    home_zones,
    in_zone,
    offset_hours,
    to_utc,
)

PARIS = "Europe/Paris"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_ten_oclock_in_paris_stays_ten_oclock_on_both_sides_of_the_clock_change() -> None:
    # Paris moved from UTC+1 to UTC+2 on 26 March 2017.
    before = to_utc(date(2017, 3, 25), time(10, 0), PARIS)
    after = to_utc(date(2017, 3, 27), time(10, 0), PARIS)
    assert before == utc(2017, 3, 25, 9, 0)
    assert after == utc(2017, 3, 27, 8, 0)
    assert in_zone(before, PARIS).time() == in_zone(after, PARIS).time() == time(10, 0)


def test_a_time_the_clocks_skip_is_refused() -> None:
    with pytest.raises(NonexistentLocalTime):
        to_utc(date(2017, 3, 26), time(2, 30), PARIS)


def test_a_time_that_happens_twice_takes_its_first_occurrence() -> None:
    # On 29 October 2017 Paris went from 03:00 back to 02:00.
    assert to_utc(date(2017, 10, 29), time(2, 30), PARIS) == utc(2017, 10, 29, 0, 30)


def test_paris_is_one_hour_ahead_of_glasgow_in_winter() -> None:
    assert offset_hours(utc(2016, 12, 8, 9), PARIS, "Europe/London") == 1
    assert offset_hours(utc(2016, 12, 8, 9), "Europe/London", PARIS) == -1


def test_days_follow_the_hosts_midnight_not_utcs() -> None:
    class Item:
        def __init__(self, starts_at: datetime) -> None:
            self.starts_at = starts_at

    late = Item(to_utc(date(2016, 12, 8), time(23, 30), PARIS))  # 22:30 UTC
    early = Item(to_utc(date(2016, 12, 9), time(0, 30), PARIS))  # still 8 December in UTC
    days = group_by_local_day([early, late], PARIS)
    assert [(day, len(items)) for day, items in days] == [
        (date(2016, 12, 8), 1),
        (date(2016, 12, 9), 1),
    ]


def slot(number: int, start: tuple, end: tuple, place: str = "", travel: int = 0) -> Slot:
    day = date(2016, 12, 8)
    return Slot(
        item_id=number,
        title=f"Item {number}",
        starts_at=to_utc(day, time(*start), PARIS),
        ends_at=to_utc(day, time(*end), PARIS),
        place=place,
        travel_minutes=travel,
    )


def test_overlapping_items_are_flagged() -> None:
    warnings = check_itinerary(
        [slot(1, (9, 30), (11, 0)), slot(2, (10, 30), (12, 0)), slot(3, (12, 0), (13, 0))],
        PARIS,
        None,
        None,
    )
    assert [(w.kind, w.item_id, w.other_id) for w in warnings] == [("overlap", 2, 1)]


def test_an_all_day_item_frames_the_day_and_overlaps_nothing() -> None:
    free_day = Slot(
        4,
        "Conference day",
        to_utc(date(2016, 12, 8), time(0), PARIS),
        to_utc(date(2016, 12, 9), time(0), PARIS),
        place="Hôtel de Ville",
    )
    warnings = check_itinerary(
        [free_day, slot(1, (9, 30), (11, 0), "Mairie du 14e", travel=40)], PARIS, None, None
    )
    assert warnings == []


def test_a_gap_shorter_than_the_travel_time_is_flagged() -> None:
    warnings = check_itinerary(
        [
            slot(1, (9, 30), (12, 45), "Hôtel de Ville"),
            slot(2, (13, 0), (14, 0), "Mairie du 14e", travel=40),
            slot(3, (15, 0), (16, 0), "Hôtel de Ville", travel=40),
        ],
        PARIS,
        None,
        None,
    )
    assert [(w.kind, w.item_id, w.minutes) for w in warnings] == [("travel", 2, 40)]


def test_items_outside_the_visit_dates_are_flagged() -> None:
    inside = slot(1, (9, 0), (10, 0))
    outside = Slot(
        2,
        "Dinner",
        to_utc(date(2016, 12, 10), time(19), PARIS),
        to_utc(date(2016, 12, 10), time(21), PARIS),
    )
    warnings = check_itinerary([inside, outside], PARIS, date(2016, 12, 8), date(2016, 12, 9))
    assert [(w.kind, w.item_id) for w in warnings] == [("outside_dates", 2)]


def test_the_visitors_home_zones_leave_out_the_hosts() -> None:
    zones = [PARIS, "Europe/London", "Europe/London", None, "America/Montreal"]
    assert home_zones(zones, PARIS) == ["Europe/London", "America/Montreal"]

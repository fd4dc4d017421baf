"""Whether an interpreter can take an item: clashes at their edges, across time zones and a change
of summer time, travel between places, unavailable days and simultaneous work alone."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from cop.interpreting.logic import (
    Slot,
    booking_problems,
    format_pairs,
    parse_pairs,
    term_used,
)
from cop.itinerary.logic import to_utc

SOLO_LIMIT = 30


def slot(
    item_id: int,
    day: date,
    start: time,
    end: time,
    zone: str = "Europe/Paris",
    place: str = "Hôtel de Ville",
    travel: int = 0,
) -> Slot:
    return Slot(
        item_id=item_id,
        title=f"Item {item_id}",
        starts_at=to_utc(day, start, zone),
        ends_at=to_utc(day, end, zone),
        time_zone=zone,
        place=place,
        travel_minutes=travel,
    )


DAY = date(2016, 12, 8)


def kinds(problems) -> list[str]:
    return [problem.kind for problem in problems]


def test_touching_items_do_not_clash() -> None:
    morning = slot(1, DAY, time(9, 30), time(11, 0))
    next_one = slot(2, DAY, time(11, 0), time(12, 0))
    assert booking_problems(next_one, [morning], [], False, SOLO_LIMIT) == []


def test_one_minute_of_overlap_is_a_clash() -> None:
    morning = slot(1, DAY, time(9, 30), time(11, 1))
    next_one = slot(2, DAY, time(11, 0), time(12, 0))
    problems = booking_problems(next_one, [morning], [], False, SOLO_LIMIT)
    assert kinds(problems) == ["clash"] and problems[0].refuses
    assert problems[0].other == "Item 1"


def test_the_same_instant_in_two_time_zones_clashes() -> None:
    # 09:00 in London is 10:00 in Paris in December.
    in_london = slot(1, DAY, time(9, 0), time(10, 0), zone="Europe/London", place="")
    in_paris = slot(2, DAY, time(10, 30), time(11, 0))
    assert kinds(booking_problems(in_paris, [in_london], [], False, SOLO_LIMIT)) == ["clash"]
    after_london = slot(3, DAY, time(11, 0), time(12, 0))
    assert booking_problems(after_london, [in_london], [], False, SOLO_LIMIT) == []


def test_the_night_summer_time_begins_is_compared_in_real_time() -> None:
    # In Paris the clocks go from 02:00 to 03:00 on 26 March 2017: 01:00-03:30 lasts 1.5 hours.
    spring = date(2017, 3, 26)
    night = slot(1, spring, time(1, 0), time(3, 30))
    assert night.ends_at - night.starts_at == datetime(2017, 1, 1, 1, 30) - datetime(2017, 1, 1)
    just_after = slot(2, spring, time(3, 30), time(4, 0))
    assert booking_problems(just_after, [night], [], False, SOLO_LIMIT) == []
    # London changes an hour later in UTC terms: 02:45 there (BST) is 03:45 in Paris (CEST).
    in_london = slot(3, spring, time(2, 45), time(3, 15), zone="Europe/London", place="")
    assert kinds(booking_problems(in_london, [just_after], [], False, SOLO_LIMIT)) == ["clash"]
    a_little_later = slot(4, spring, time(3, 0), time(3, 15), zone="Europe/London", place="")
    assert booking_problems(a_little_later, [just_after], [], False, SOLO_LIMIT) == []


def test_too_little_time_to_travel_between_places_is_a_warning() -> None:
    hotel_de_ville = slot(1, DAY, time(9, 30), time(11, 0), place="Hôtel de Ville")
    mairie = slot(2, DAY, time(11, 15), time(12, 0), place="Mairie du 14e", travel=30)
    problems = booking_problems(mairie, [hotel_de_ville], [], False, SOLO_LIMIT)
    assert kinds(problems) == ["travel"] and problems[0].minutes == 15
    assert not problems[0].refuses
    # Booking the earlier item second counts the later item's travel time too.
    assert kinds(booking_problems(hotel_de_ville, [mairie], [], False, SOLO_LIMIT)) == ["travel"]
    enough = slot(3, DAY, time(11, 30), time(12, 0), place="Mairie du 14e", travel=30)
    assert booking_problems(enough, [hotel_de_ville], [], False, SOLO_LIMIT) == []
    same_place = slot(4, DAY, time(11, 0), time(12, 0), place="Hôtel de Ville", travel=30)
    assert booking_problems(same_place, [hotel_de_ville], [], False, SOLO_LIMIT) == []


def test_unavailable_days_are_read_in_the_items_zone() -> None:
    away = [(date(2016, 12, 12), date(2016, 12, 16))]
    friday = slot(1, date(2016, 12, 9), time(14, 0), time(16, 30))
    assert booking_problems(friday, [], away, False, SOLO_LIMIT) == []
    # 00:30 in Paris on the 12th is still the 11th in UTC: the interpreter is away all the same.
    after_midnight = slot(2, date(2016, 12, 12), time(0, 30), time(1, 30))
    assert after_midnight.starts_at.date() == date(2016, 12, 11)
    problems = booking_problems(after_midnight, [], away, False, SOLO_LIMIT)
    assert kinds(problems) == ["unavailable"] and problems[0].refuses
    # An item ending at midnight does not reach into the next day.
    until_midnight = slot(3, date(2016, 12, 11), time(22, 0), time(0, 0))
    until_midnight = Slot(
        **{
            **until_midnight.__dict__,
            "ends_at": to_utc(date(2016, 12, 12), time(0, 0), "Europe/Paris"),
        }
    )
    assert booking_problems(until_midnight, [], away, False, SOLO_LIMIT) == []


def test_long_simultaneous_work_asks_for_a_second_interpreter() -> None:
    half_hour = slot(1, DAY, time(9, 0), time(9, 30))
    assert booking_problems(half_hour, [], [], True, SOLO_LIMIT) == []
    steering_group = slot(2, DAY, time(14, 0), time(16, 30))
    problems = booking_problems(steering_group, [], [], True, SOLO_LIMIT)
    assert kinds(problems) == ["second_interpreter"] and problems[0].minutes == 150
    assert booking_problems(steering_group, [], [], False, SOLO_LIMIT) == []
    assert booking_problems(steering_group, [], [], True, SOLO_LIMIT, 1) == []


def test_the_item_itself_is_not_a_clash_with_itself() -> None:
    item = slot(1, DAY, time(9, 0), time(10, 0))
    assert booking_problems(item, [item], [], False, SOLO_LIMIT) == []


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("fr>en", [("fr", "en")]),
        ("fr<>en", [("en", "fr"), ("fr", "en")]),
        ("en<fr, de>en", [("de", "en"), ("fr", "en")]),
        (" FR > EN ;es>en", [("es", "en"), ("fr", "en")]),
    ],
)
def test_language_pairs_keep_their_direction(text: str, pairs: list) -> None:
    assert parse_pairs(text) == pairs


@pytest.mark.parametrize("text", ["french", "fr-en", "fr>fr", "f>en"])
def test_unreadable_pairs_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_pairs(text)


def test_pairs_are_written_back_as_they_are_typed() -> None:
    assert format_pairs([("fr", "en"), ("en", "fr"), ("de", "en")]) == "de>en, en<>fr"


def test_glossary_terms_are_found_in_the_plural_too() -> None:
    assert term_used("conseil de quartier", "Les conseils de quartier et les élus")
    assert term_used("arrondissement", "the 14th Arrondissement")
    assert not term_used("budget", "budgetary")

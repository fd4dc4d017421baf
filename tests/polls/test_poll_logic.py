"""Holidays, weekends and ranking of candidate dates."""

from __future__ import annotations

from datetime import date

from cop.polls.logic import (
    Place,
    holidays_between,
    parse_options,
    rank_options,
    weekend_days,
)
from cop.polls.models import Answer

SCOTLAND = Place("GB", "SCT")
FRANCE = Place("FR")


def test_st_andrews_day_is_a_holiday_in_scotland_but_not_in_france() -> None:
    found = holidays_between({SCOTLAND, FRANCE}, date(2016, 11, 28), date(2016, 12, 2))
    assert [(h.day, h.name, h.place.code) for h in found] == [
        (date(2016, 11, 30), "Saint Andrew's Day", "GB-SCT")
    ]


def test_french_holidays_are_named_in_french_for_a_french_reader() -> None:
    [armistice] = holidays_between({FRANCE}, date(2016, 11, 11), date(2016, 11, 11), "fr")
    assert armistice.name == "Armistice"
    [in_english] = holidays_between({FRANCE}, date(2016, 11, 11), date(2016, 11, 11), "en")
    assert in_english.name == "Armistice Day"


def test_a_country_the_package_does_not_know_shows_no_holidays() -> None:
    assert holidays_between({Place("XX")}, date(2016, 1, 1), date(2016, 1, 3)) == []


def test_weekends_are_listed() -> None:
    assert weekend_days(date(2016, 12, 8), date(2016, 12, 12)) == [
        date(2016, 12, 10),
        date(2016, 12, 11),
    ]


def test_options_rank_by_yes_then_if_need_be_with_problems_last() -> None:
    votes = [
        (1, Answer.YES, "Morag", False),
        (1, Answer.IF_NEED_BE, "Claire", True),
        (2, Answer.YES, "Morag", False),
        (2, Answer.YES, "Claire", True),
        (3, Answer.YES, "Morag", False),
        (3, Answer.NO, "Claire", True),
        (4, Answer.YES, "Morag", False),
        (4, Answer.YES, "Claire", True),
    ]
    holiday = holidays_between({SCOTLAND}, date(2016, 11, 30), date(2016, 11, 30))
    ranked = rank_options([1, 2, 3, 4], votes, {4: holiday}, {})
    assert [score.option_id for score in ranked] == [2, 1, 4, 3]
    assert ranked[-1].key_person_no == ["Claire"]
    assert ranked[2].flagged and ranked[2].holidays[0].name == "Saint Andrew's Day"


def test_candidate_dates_are_read_one_per_line() -> None:
    windows, problems = parse_options(
        "2016-12-08 to 2016-12-09\n2016-12-15\n\nnext Tuesday\n2016-12-09 to 2016-12-08\n2016-12-15"
    )
    assert windows == [
        (date(2016, 12, 8), date(2016, 12, 9)),
        (date(2016, 12, 15), date(2016, 12, 15)),
    ]
    assert problems == ["next Tuesday", "2016-12-09 to 2016-12-08"]

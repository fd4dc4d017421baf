"""Public holidays, weekends and the ranking of candidate dates, on plain values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

from cop.polls.models import Answer


@dataclass(frozen=True)
class Place:
    """A country and, where holidays differ inside it, a subdivision (GB-SCT for Scotland)."""

    country: str
    subdivision: str | None = None

    @property
    def code(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    place: Place


def days_of(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _calendar(place: Place, years: list[int], language: str) -> holidays.HolidayBase | None:
    try:
        probe = holidays.country_holidays(place.country, subdiv=place.subdivision)
    except NotImplementedError:
        return None  # a country the package does not know: no holidays shown
    supported = getattr(probe, "supported_languages", ()) or ()
    chosen = next((code for code in supported if code.split("_")[0] == language), None)
    return holidays.country_holidays(
        place.country, subdiv=place.subdivision, years=years, language=chosen
    )


def holidays_between(
    places: Iterable[Place], first: date, last: date, language: str = "en"
) -> list[Holiday]:
    """Public holidays of every place within the days, named in the reader's language when the
    package has that language for the country (otherwise in its default)."""
    years = sorted({first.year, last.year})
    found: list[Holiday] = []
    for place in sorted(set(places), key=lambda each: each.code):
        calendar = _calendar(place, years, language)
        if calendar is None:
            continue
        for day in days_of(first, last):
            if day in calendar:
                found.append(Holiday(day, calendar.get(day), place))
    return sorted(found, key=lambda holiday: (holiday.day, holiday.place.code))


def weekend_days(first: date, last: date) -> list[date]:
    return [day for day in days_of(first, last) if day.weekday() >= 5]


@dataclass
class OptionScore:
    option_id: int
    yes: int = 0
    if_need_be: int = 0
    no: int = 0
    key_person_no: list[str] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)
    weekend: list[date] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.key_person_no or self.holidays)

    def sort_key(self) -> tuple:
        # Fewest problems first, then most "yes", then most "if need be", then fewest "no".
        return (bool(self.key_person_no), bool(self.holidays), -self.yes, -self.if_need_be, self.no)


def rank_options(
    option_ids: list[int],
    votes: Iterable[tuple[int, Answer, str, bool]],
    holidays_by_option: dict[int, list[Holiday]],
    weekends_by_option: dict[int, list[date]],
) -> list[OptionScore]:
    """Scores for each option, best first. ``votes`` are (option, answer, voter, key person)."""
    scores = {option_id: OptionScore(option_id) for option_id in option_ids}
    for option_id, answer, voter, key_person in votes:
        score = scores[option_id]
        if answer == Answer.YES:
            score.yes += 1
        elif answer == Answer.IF_NEED_BE:
            score.if_need_be += 1
        else:
            score.no += 1
            if key_person:
                score.key_person_no.append(voter)
    for option_id, score in scores.items():
        score.holidays = holidays_by_option.get(option_id, [])
        score.weekend = weekends_by_option.get(option_id, [])
    return sorted(scores.values(), key=lambda score: (score.sort_key(), score.option_id))


def parse_options(text: str) -> tuple[list[tuple[date, date]], list[str]]:
    """Candidate dates, one per line: "2016-12-08" or "2016-12-08 to 2016-12-09".

    Returns the windows and the lines that could not be read."""
    windows: list[tuple[date, date]] = []
    problems: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.replace("–", " to ").split(" to ")]
        try:
            if len(parts) == 1:
                first = last = date.fromisoformat(parts[0])
            elif len(parts) == 2:
                first, last = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
            else:
                raise ValueError(line)
        except ValueError:
            problems.append(line)
            continue
        if last < first or (last - first).days > 30:
            problems.append(line)
            continue
        if (first, last) not in windows:
            windows.append((first, last))
    return sorted(windows), problems

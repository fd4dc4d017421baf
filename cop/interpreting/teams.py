"""The interpreters' day: what a day of the itinerary asks of its interpreters, as rules of plain
data (no Flask, no database), in the manner of ``cop.interpreting.logic``.

The rules follow AIIC's guidance on team strength for a meeting with two working languages in
simultaneous or whispered interpreting: one interpreter alone only for a short stretch (up to
about 40 minutes; an installation sets its own, shorter, limit), two up to three and a half to
four hours, three up to six, four up to eight. Relay (interpreting a language through a third
one) should be avoided, and an interpreter who travelled far needs rest before they work.
Interpreters are engaged by the day: one contract a day, a half day's fee for up to four hours.

Times are compared in UTC; "the day" is read on the host's clock (each item's own zone)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from cop.itinerary.logic import Slot

# AIIC's team strength for simultaneous (and whispered) work with two working languages: the
# longest stretch each team size may cover. Beyond the last, one more per further two hours.
TEAM_STRENGTH = ((240, 2), (360, 3), (480, 4))
BEYOND_A_DAY_MINUTES_PER_INTERPRETER = 120
# Rest after travel: a journey longer than this is a long one, after which the interpreter
# should have a night's rest before working; after a shorter one, an hour to reach the venue.
LONG_JOURNEY_MINUTES = 4 * 60
REST_AFTER_LONG_JOURNEY = timedelta(hours=12)
REST_AFTER_SHORT_JOURNEY = timedelta(hours=1)
# A day's work that fits in this stretch is a half day (one fee, the half-day rate).
HALF_DAY = timedelta(hours=4)


def team_strength(minutes: int, solo_limit_minutes: int) -> int:
    """How many interpreters a stretch of simultaneous work needs."""
    if minutes <= solo_limit_minutes:
        return 1
    for longest, team in TEAM_STRENGTH:
        if minutes <= longest:
            return team
    last_longest, last_team = TEAM_STRENGTH[-1]
    beyond = minutes - last_longest
    return last_team - (-beyond // BEYOND_A_DAY_MINUTES_PER_INTERPRETER)


@dataclass(frozen=True)
class WorkItem:
    """An item of the day that needs interpreting, with who holds it (requested or confirmed):
    ``team`` names each interpreter with the directions they work in and whether they do so
    in simultaneous (or whispered) mode for this item."""

    slot: Slot
    language: str
    team: tuple[Interpreting, ...] = ()

    @property
    def minutes(self) -> int:
        return int((self.slot.ends_at - self.slot.starts_at).total_seconds() // 60)

    @property
    def simultaneous(self) -> bool:
        return any(person.simultaneous for person in self.team)


@dataclass(frozen=True)
class Interpreting:
    name: str
    pairs: frozenset[tuple[str, str]]
    simultaneous: bool = False
    # When the interpreter arrives before this day's work, and how long they travelled.
    arrives_at: datetime | None = None
    journey_minutes: int = 0


@dataclass(frozen=True)
class Finding:
    """Something the organiser should see about a day's interpreting.

    ``kind``:
    - team: the day's simultaneous work needs ``needed`` interpreters, ``booked`` are held
      (``minutes`` of such work);
    - alone: an item of ``minutes`` of simultaneous work has only ``booked`` interpreter(s);
    - parallel: ``items`` run at the same time and need separate interpreters (``names``: an
      interpreter asked for more than one of them);
    - relay: ``items`` reaches ``target`` from ``source`` only through ``pivot``;
    - uncovered: no one held for ``items`` works from ``source`` into ``target``;
    - rest: ``names`` arrives ``minutes`` before their first item, short of the rest they need
      (``needed`` minutes).
    """

    kind: str
    items: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    minutes: int = 0
    needed: int = 0
    booked: int = 0
    source: str = ""
    target: str = ""
    pivot: str = ""


def _worked_minutes(slots: Iterable[Slot]) -> int:
    """Minutes covered by the slots, overlaps counted once."""
    total, reach = timedelta(0), None
    for slot in sorted(slots, key=lambda s: s.starts_at):
        start = slot.starts_at if reach is None else max(slot.starts_at, reach)
        if slot.ends_at > start:
            total += slot.ends_at - start
        reach = slot.ends_at if reach is None else max(reach, slot.ends_at)
    return int(total.total_seconds() // 60)


def parallel_groups(work: Sequence[WorkItem]) -> list[list[WorkItem]]:
    """Items that run at the same time as each other, chained (A with B, B with C), in order."""
    groups: list[list[WorkItem]] = []
    reach: datetime | None = None
    for item in sorted(work, key=lambda w: (w.slot.starts_at, w.slot.ends_at)):
        if groups and reach is not None and item.slot.starts_at < reach:
            groups[-1].append(item)
            reach = max(reach, item.slot.ends_at)
        else:
            groups.append([item])
            reach = item.slot.ends_at
    return [group for group in groups if len(group) > 1]


def directions_needed(language: str, languages: Iterable[str]) -> list[tuple[str, str]]:
    """What an item spoken in ``language`` asks for in a visit of ``languages``: into each other
    language and back (the visitors ask questions)."""
    others = sorted({code for code in languages if code and code != language})
    return [direction for other in others for direction in ((language, other), (other, language))]


def day_findings(
    work: Sequence[WorkItem], languages: Iterable[str], solo_limit_minutes: int
) -> list[Finding]:
    """Everything to see about one day's interpreting, in the order an organiser acts on it."""
    languages = list(languages)
    findings: list[Finding] = []
    simultaneous = [w for w in work if w.simultaneous]
    if simultaneous:
        minutes = _worked_minutes(w.slot for w in simultaneous)
        needed = team_strength(minutes, solo_limit_minutes)
        booked = len({p.name for w in simultaneous for p in w.team if p.simultaneous})
        if booked < needed:
            findings.append(Finding("team", minutes=minutes, needed=needed, booked=booked))
    for item in simultaneous:
        held = sum(1 for p in item.team if p.simultaneous)
        needed = team_strength(item.minutes, solo_limit_minutes)
        if held < needed:
            findings.append(
                Finding(
                    "alone",
                    (item.slot.title,),
                    minutes=item.minutes,
                    needed=needed,
                    booked=held,
                )
            )
    for group in parallel_groups(work):
        seen: dict[str, int] = {}
        for item in group:
            for name in {p.name for p in item.team}:
                seen[name] = seen.get(name, 0) + 1
        findings.append(
            Finding(
                "parallel",
                tuple(w.slot.title for w in group),
                names=tuple(sorted(name for name, count in seen.items() if count > 1)),
                needed=len(group),
            )
        )
    for item in work:
        findings.extend(_language_findings(item, languages))
    findings.extend(_rest_findings(work))
    return findings


def _language_findings(item: WorkItem, languages: list[str]) -> list[Finding]:
    """Relay or a missing direction, for an item someone is held for (an item no one holds is
    shown as needing an interpreter, not as a missing direction)."""
    if not item.team:
        return []
    held = set().union(*(p.pairs for p in item.team))
    found: list[Finding] = []
    for source, target in directions_needed(item.language, languages):
        if (source, target) in held:
            continue
        pivots = sorted(
            middle for (first, middle) in held if first == source and (middle, target) in held
        )
        if pivots:
            found.append(
                Finding("relay", (item.slot.title,), source=source, target=target, pivot=pivots[0])
            )
        else:
            found.append(Finding("uncovered", (item.slot.title,), source=source, target=target))
    return found


def rest_needed(journey_minutes: int) -> timedelta:
    if journey_minutes > LONG_JOURNEY_MINUTES:
        return REST_AFTER_LONG_JOURNEY
    return REST_AFTER_SHORT_JOURNEY


def rest_short(
    starts_at: datetime, arrives_at: datetime, journey_minutes: int
) -> tuple[int, int] | None:
    """The minutes of rest between arriving and first working, and the minutes needed, when
    there are too few; None when the rest is enough."""
    rest = starts_at - arrives_at
    needed = rest_needed(journey_minutes)
    if rest >= needed:
        return None
    return max(0, int(rest.total_seconds() // 60)), int(needed.total_seconds() // 60)


def _rest_findings(work: Sequence[WorkItem]) -> list[Finding]:
    first_work: dict[str, tuple[datetime, Interpreting]] = {}
    for item in work:
        for person in item.team:
            if person.arrives_at is None:
                continue
            known = first_work.get(person.name)
            if known is None or item.slot.starts_at < known[0]:
                first_work[person.name] = (item.slot.starts_at, person)
    found = []
    for name, (starts_at, person) in sorted(first_work.items()):
        assert person.arrives_at is not None
        short = rest_short(starts_at, person.arrives_at, person.journey_minutes)
        if short is not None:
            found.append(Finding("rest", names=(name,), minutes=short[0], needed=short[1]))
    return found


# What an engagement costs, and what cancelling part of it costs.


@dataclass(frozen=True)
class CancellationTerm:
    """Cancelled less than ``days`` days before the work: ``percent`` of its fee is due."""

    days: int
    percent: int


@dataclass(frozen=True)
class DayFee:
    day: date
    amount: Decimal
    half_day: bool


@dataclass(frozen=True)
class Fees:
    days: list[DayFee] = field(default_factory=list)

    @property
    def total(self) -> Decimal | None:
        if not self.days:
            return None
        return sum((fee.amount for fee in self.days), Decimal(0))


def day_fees(
    slots: Iterable[Slot], day_rate: Decimal | None, half_day_rate: Decimal | None
) -> Fees | None:
    """One fee per day of work on the host's clock: the half-day rate when the day's items all
    fit in four hours (first start to last end), else the day rate; None without the rate that
    a day needs."""
    by_day: dict[date, list[Slot]] = {}
    for slot in slots:
        for day in slot.local_days():
            by_day.setdefault(day, []).append(slot)
    fees = []
    for day, on_day in sorted(by_day.items()):
        span = max(s.ends_at for s in on_day) - min(s.starts_at for s in on_day)
        if span <= HALF_DAY and half_day_rate is not None:
            fees.append(DayFee(day, half_day_rate, True))
        elif day_rate is None:
            return None
        else:
            fees.append(DayFee(day, day_rate, False))
    return Fees(fees)


def cancellation_percent(terms: Iterable[CancellationTerm], notice_days: int) -> int:
    """The share of the fee due when work is cancelled ``notice_days`` days before it."""
    return max((t.percent for t in terms if notice_days < t.days), default=0)


def parse_terms(text: str) -> list[CancellationTerm]:
    """Terms as typed, one notice per part, like "30 days: 50 %, 7 days: 100 %" (the words are
    the reader's; the two figures are what counts), longest notice first. ValueError naming the
    part that cannot be read, repeats a notice, asks for more than 100 % or for less at a
    shorter notice."""
    terms: list[CancellationTerm] = []
    for part in re.split(r"[,;\n]+", text):
        if not part.strip():
            continue
        figures = re.findall(r"\d+", part)
        if len(figures) != 2 or not (0 < int(figures[1]) <= 100) or int(figures[0]) == 0:
            raise ValueError(part.strip())
        terms.append(CancellationTerm(int(figures[0]), int(figures[1])))
    terms.sort(key=lambda t: -t.days)
    for longer, shorter in zip(terms, terms[1:], strict=False):
        if shorter.days == longer.days or shorter.percent < longer.percent:
            raise ValueError(f"{shorter.days}: {shorter.percent}")
    return terms

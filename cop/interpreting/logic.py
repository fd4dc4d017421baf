"""Whether an interpreter can take an itinerary item (no Flask here; what it costs is
``cop.interpreting.teams.day_fees``).

Two steps, as Indico does for room bookings: the database gives the interpreter's other bookings
near the item, then these functions classify each problem. Times are compared in UTC, so items in
different time zones and across a change of summer time compare as the instants they are; days
(unavailability) are read in each item's own zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cop.itinerary.logic import Slot

PAIR = re.compile(r"^\s*([a-zA-Z]{2,3})\s*(>|<>|<)\s*([a-zA-Z]{2,3})\s*$")


@dataclass(frozen=True)
class Problem:
    """``kind``: clash, unavailable, parallel (two items asked together that run at the same
    time: all three refuse the booking), travel, second_interpreter, rest (these only warn).
    ``other`` names the other item, ``minutes`` the time short or too long (for rest, the rest
    there is; ``needed``, the rest needed)."""

    kind: str
    other: str = ""
    minutes: int = 0
    needed: int = 0

    @property
    def refuses(self) -> bool:
        return self.kind in ("clash", "unavailable", "parallel")


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """ "fr>en, en<>es" as directed pairs; ValueError naming the part that cannot be read."""
    pairs: list[tuple[str, str]] = []
    for part in re.split(r"[,;\n]+", text):
        if not part.strip():
            continue
        match = PAIR.match(part)
        if match is None or match.group(1).lower() == match.group(3).lower():
            raise ValueError(part.strip())
        first, arrow, second = match.group(1).lower(), match.group(2), match.group(3).lower()
        if arrow in (">", "<>"):
            pairs.append((first, second))
        if arrow in ("<", "<>"):
            pairs.append((second, first))
    return sorted(set(pairs))


def format_pairs(pairs: list[tuple[str, str]]) -> str:
    """Directed pairs written back the way they are typed, both ways as "<>"."""
    found = set(pairs)
    written, seen = [], set()
    for source, target in sorted(found):
        if (source, target) in seen:
            continue
        if (target, source) in found:
            written.append(f"{source}<>{target}")
            seen.add((target, source))
        else:
            written.append(f"{source}>{target}")
        seen.add((source, target))
    return ", ".join(written)


def booking_problems(
    slot: Slot,
    confirmed: list[Slot],
    unavailable: list[tuple[date, date]],
    simultaneous: bool,
    solo_limit_minutes: int,
    simultaneous_colleagues: int = 0,
) -> list[Problem]:
    """What stands against booking the interpreter for ``slot``, given their other confirmed
    items (the item itself excluded), their unavailable days and the mode."""
    problems: list[Problem] = []
    for other in confirmed:
        if other.item_id == slot.item_id:
            continue
        # Touching items (one ends as the next begins) do not overlap.
        if other.starts_at < slot.ends_at and slot.starts_at < other.ends_at:
            problems.append(Problem("clash", other.title))
            continue
        if other.place == slot.place or not (other.place and slot.place):
            continue
        if other.ends_at <= slot.starts_at:
            gap = slot.starts_at - other.ends_at
            needed = timedelta(minutes=slot.travel_minutes)
        else:
            gap = other.starts_at - slot.ends_at
            needed = timedelta(minutes=other.travel_minutes)
        if gap < needed:
            problems.append(
                Problem("travel", other.title, int((needed - gap).total_seconds() // 60))
            )
    days = slot.local_days()
    for first, last in unavailable:
        if any(first <= day <= last for day in days):
            problems.append(Problem("unavailable", f"{first.isoformat()}–{last.isoformat()}"))
            break
    length = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    if simultaneous and length > solo_limit_minutes and simultaneous_colleagues == 0:
        problems.append(Problem("second_interpreter", minutes=length))
    return problems


def term_used(term: str, text: str) -> bool:
    """Whether a glossary term appears in a text, its words also in the plural ("conseil de
    quartier" in "les conseils de quartier")."""
    words = [re.escape(word) + r"[sx]?" for word in term.lower().split()]
    if not words:
        return False
    pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
    return re.search(pattern, text.lower()) is not None

"""Time-zone arithmetic and the checks of an itinerary, on plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class NonexistentLocalTime(ValueError):
    """A wall-clock time the clocks skip on that day (spring forward)."""


def to_utc(day: date, at: time, zone_name: str) -> datetime:
    """The UTC moment of a wall-clock time in a zone; refuses times the clocks skip.

    Ambiguous times (the repeated hour in autumn) take their first occurrence."""
    zone = ZoneInfo(zone_name)
    local = datetime.combine(day, at, tzinfo=zone)
    round_trip = local.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{day} {at} does not exist in {zone_name}")
    return local.astimezone(UTC)


def in_zone(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone_name))


def whole_days(starts_at: datetime, ends_at: datetime, zone_name: str) -> tuple[date, date] | None:
    """The first and last day of an item that runs from midnight to midnight on the host's
    clock (an all-day event of a calendar), else None: it is shown and exported as days, not
    as hours."""
    zone = ZoneInfo(zone_name)
    starts, ends = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if ends <= starts or starts.time() != time(0) or ends.time() != time(0):
        return None
    return starts.date(), ends.date() - timedelta(days=1)


def offset_hours(moment: datetime, zone_name: str, other_zone: str) -> float:
    """How many hours ``zone_name`` is ahead of ``other_zone`` at that moment."""
    first = in_zone(moment, zone_name).utcoffset() or timedelta()
    second = in_zone(moment, other_zone).utcoffset() or timedelta()
    return (first - second).total_seconds() / 3600


@dataclass(frozen=True)
class Slot:
    """An itinerary item as the checks need it (the itinerary's own and the interpreters')."""

    item_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str = "UTC"
    place: str = ""
    travel_minutes: int = 0

    def local_days(self) -> set[date]:
        """The days it touches in its own zone."""
        zone = ZoneInfo(self.time_zone)
        first = self.starts_at.astimezone(zone).date()
        # An item ending exactly at midnight does not reach into the next day.
        last = (self.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
        return {first + timedelta(days=n) for n in range((last - first).days + 1)}


@dataclass(frozen=True)
class ItineraryWarning:
    kind: str  # overlap, travel, outside_dates
    item_id: int
    other_id: int | None = None
    minutes: int = 0


def check_itinerary(
    slots: Iterable[Slot], zone_name: str, first_day: date | None, last_day: date | None
) -> list[ItineraryWarning]:
    """Overlapping items, gaps shorter than the travel time, items outside the visit's days."""
    everything: Sequence[Slot] = sorted(slots, key=lambda slot: (slot.starts_at, slot.item_id))
    # An all-day item is the day's frame (a free day, a conference), not a meeting that the
    # day's meetings overlap or must travel from.
    ordered = [
        slot for slot in everything if whole_days(slot.starts_at, slot.ends_at, zone_name) is None
    ]
    warnings: list[ItineraryWarning] = []
    for position, slot in enumerate(ordered):
        for later in ordered[position + 1 :]:
            if later.starts_at >= slot.ends_at:
                break
            warnings.append(ItineraryWarning("overlap", later.item_id, slot.item_id))
    if first_day is not None and last_day is not None:
        for slot in everything:
            starts = in_zone(slot.starts_at, zone_name).date()
            ends = in_zone(slot.ends_at - timedelta(microseconds=1), zone_name).date()
            if starts < first_day or ends > last_day:
                warnings.append(ItineraryWarning("outside_dates", slot.item_id))
    for previous, following in zip(ordered, ordered[1:], strict=False):
        gap = int((following.starts_at - previous.ends_at).total_seconds() // 60)
        moving = following.place and previous.place and following.place != previous.place
        if moving and 0 <= gap < following.travel_minutes:
            warnings.append(
                ItineraryWarning(
                    "travel", following.item_id, previous.item_id, following.travel_minutes
                )
            )
    return warnings


def group_by_local_day(
    items: Iterable, zone_name: str, moment: str = "starts_at"
) -> list[tuple[date, list]]:
    """Items grouped by their day in the host's zone (not UTC, whose midnight falls elsewhere)."""
    days: dict[date, list] = {}
    for item in sorted(items, key=lambda each: getattr(each, moment)):
        days.setdefault(in_zone(getattr(item, moment), zone_name).date(), []).append(item)
    return sorted(days.items())


def home_zones(zone_names: Iterable[str | None], visit_zone: str) -> list[str]:
    """The visitors' own zones that differ from the host's, most common first."""
    counts: dict[str, int] = {}
    for name in zone_names:
        if name and name != visit_zone:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))

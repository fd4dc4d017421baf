"""Reading a host's agenda (.ics) into itinerary changes.

A file that is not a calendar is refused whole, saying why. In a calendar, each event that
cannot be imported (an unreadable value, a rule the library cannot expand) is listed with its
property and value and the rest imports; repeating events are expanded within the visit's days;
two calendars one after the other read as one. Without DTEND or DURATION an event follows
RFC 5545: a date lasts the day, a date-time is a moment."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 2000
UID_LENGTH = 255  # the item's uid column


class CalendarRefused(ValueError):
    """``reason`` is a key the view turns into a sentence; ``detail`` names the culprit."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ImportedEvent:
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    notes: str
    cancelled: bool
    repeats: bool = False  # one occurrence of a repeating event
    # Dates, not times (first and last day): from midnight to midnight on the host's clock.
    days: tuple[date, date] | None = None

    @property
    def all_day(self) -> bool:
        return self.days is not None


@dataclass(frozen=True)
class PlannedChange:
    kind: str  # new, changed, unchanged
    event: ImportedEvent
    item_id: int | None = None


def decode(data: bytes) -> str:
    """Text of a file in UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class LeftOut:
    """An event of the file that is not imported, and why; the rest of the file imports."""

    event: str  # how its reader knows it: its title, else its start, else its UID
    reason: str  # missing_start, missing_uid, bad_value, bad_rule, ends_before_start,
    # unknown_timezone or repeats_without_dates
    detail: str = ""  # the property and its value, as the file has them


@dataclass(frozen=True)
class Agenda:
    events: list[ImportedEvent]
    left_out: list[LeftOut]


class _Skip(Exception):  # noqa: N818 - an event left out, not an error of the file
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def _moment(event: Any, name: str, default_zone: ZoneInfo) -> datetime | date | None:
    if name not in event:
        return None
    value = event.decoded(name)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            tzid = event[name].params.get("TZID")
            if tzid:
                raise _Skip("unknown_timezone", str(tzid))
            value = value.replace(tzinfo=default_zone)  # a floating time: the host's clock
        return value.astimezone(UTC)
    if isinstance(value, date):
        return value
    raise _Skip("bad_value", f"{name} {event.get(name)}")


def _read_calendar(data: bytes) -> Calendar:
    """The file as one calendar (several calendars one after the other read as one), or the
    reason it is not a calendar at all."""
    if len(data) > MAX_BYTES:
        raise CalendarRefused("too_large")
    if not data.strip():
        raise CalendarRefused("empty")
    try:
        calendars = Calendar.from_ical(decode(data), multiple=True)
    except (ValueError, IndexError, KeyError) as error:
        raise CalendarRefused("not_calendar", str(error)[:120]) from error
    if not calendars:
        raise CalendarRefused("not_calendar")
    for found in calendars:
        if found.name != "VCALENDAR":
            raise CalendarRefused("bare_component", found.name or "")
    if len(calendars) == 1:
        return calendars[0]
    merged = Calendar()
    for found in calendars:
        for component in found.subcomponents:
            merged.add_component(component)
    return merged


def _end_of(event: Any, starts: datetime, zone: ZoneInfo) -> datetime:
    """DTEND, else DTSTART plus DURATION, else (RFC 5545) the start itself: an event with a
    date-time and neither is a moment, not an invented hour."""
    ends = _moment(event, "DTEND", zone)
    if ends is None and "DURATION" in event:
        duration = event.decoded("DURATION")
        if not isinstance(duration, timedelta):
            raise _Skip("bad_value", f"DURATION {event.get('DURATION')}")
        ends = starts + duration
    if ends is None:
        ends = starts
    if not isinstance(ends, datetime) or ends < starts:
        raise _Skip("ends_before_start")
    return ends


def _days(event: Any, first: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """An all-day event from midnight of its first day to midnight after its last, on the
    host's clock: DTEND is the day after the last (RFC 5545), DURATION counts whole days, and
    with neither the event lasts its one day."""
    last_after = first + timedelta(days=1)
    if "DTEND" in event:
        ends = event.decoded("DTEND")
        if isinstance(ends, datetime) or not isinstance(ends, date):
            raise _Skip("bad_value", f"DTEND {event['DTEND'].to_ical().decode()}")
        last_after = ends
    elif "DURATION" in event:
        duration = event.decoded("DURATION")
        if not isinstance(duration, timedelta) or duration.days < 1:
            raise _Skip("bad_value", f"DURATION {event['DURATION'].to_ical().decode()}")
        last_after = first + timedelta(days=duration.days)
    if last_after <= first:
        raise _Skip("ends_before_start")

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), zone).astimezone(UTC)

    return midnight(first), midnight(last_after)


def _label(event: Any) -> str:
    title = str(event.get("SUMMARY", "")).strip()
    if title:
        return title
    if "DTSTART" in event and not event.errors:
        return event["DTSTART"].to_ical().decode()
    return str(event.get("UID", "")).strip() or "VEVENT"


def _imported(event: Any, key: str, zone: ZoneInfo, repeats: bool) -> ImportedEvent:
    if event.errors:
        name = event.errors[0][0]
        raise _Skip(
            "bad_rule" if name in ("RRULE", "RDATE", "EXDATE") else "bad_value",
            f"{name} {event.get(name)}",
        )
    starts = _moment(event, "DTSTART", zone)
    if starts is None:
        raise _Skip("missing_start")
    days = None
    if isinstance(starts, datetime):
        ends = _end_of(event, starts, zone)
    else:
        first = starts
        starts, ends = _days(event, first, zone)
        days = (first, (ends.astimezone(zone) - timedelta(days=1)).date())
    return ImportedEvent(
        uid=key,
        title=_label(event)[:200],
        starts_at=starts,
        ends_at=ends,
        days=days,
        # One line: Apple writes the place's name and its address on two.
        place=", ".join(
            line.strip() for line in str(event.get("LOCATION", "")).splitlines() if line.strip()
        )[:200],
        notes=str(event.get("DESCRIPTION", "")).strip()[:5000],
        cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
        repeats=repeats,
    )


def _occurrence_key(uid: str, occurrence: Any) -> str:
    """An occurrence of a series is known by its UID and RECURRENCE-ID (its original start),
    which is how calendar programs name a moved instance: it keeps its item on re-import."""
    original = occurrence.decoded("RECURRENCE-ID")
    if isinstance(original, datetime):
        stamp = original.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    else:
        stamp = original.strftime("%Y%m%d")
    return _stable(f"{uid}/{stamp}")


def _stable(key: str) -> str:
    """Keys fit the item's column whole; a longer one is replaced by its digest (still stable)."""
    if len(key) <= UID_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _newest(components: list[Any]) -> Any:
    """Of the same event given twice (two calendars of one file), the later revision."""

    def revision(component: Any) -> tuple[int, str]:
        try:
            sequence = int(component.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            sequence = 0
        return sequence, str(component.get("DTSTAMP", ""))

    return max(components, key=revision)


def _series(
    components: list[Any], timezones: list[Any], window: tuple[datetime, datetime]
) -> list[Any]:
    """The occurrences of a series within the window (RRULE, RDATE and EXDATE applied, moved
    instances in their new place), by recurring-ical-events."""
    calendar = Calendar()
    for component in [*timezones, *components]:
        calendar.add_component(component)
    return list(recurring_ical_events.of(calendar).between(*window))


def parse_agenda(
    data: bytes, default_zone: str, visit_days: tuple[date, date] | None = None
) -> Agenda:
    """The timed events of a calendar file, repeating ones expanded within the visit's days;
    each event that cannot be imported is listed with the reason, and the rest imports."""
    calendar = _read_calendar(data)
    zone = ZoneInfo(default_zone)
    components = calendar.walk("VEVENT")
    if not components:
        raise CalendarRefused("no_events")
    if len(components) > MAX_EVENTS:
        raise CalendarRefused("too_many_events", str(len(components)))
    timezones = calendar.walk("VTIMEZONE")
    window = None
    if visit_days is not None:
        first, last = visit_days
        window = (
            datetime.combine(first, time(0), zone),
            datetime.combine(last + timedelta(days=1), time(0), zone),
        )
    by_uid: dict[str, list[Any]] = {}
    left_out: list[LeftOut] = []
    for component in components:
        uid = str(component.get("UID", "")).strip()
        if not uid:
            left_out.append(LeftOut(_label(component), "missing_uid"))
            continue
        by_uid.setdefault(uid, []).append(component)
    found: list[ImportedEvent] = []
    for uid, group in by_uid.items():
        repeating = any(
            part in component for component in group for part in ("RRULE", "RDATE", "RECURRENCE-ID")
        )
        try:
            if not repeating:
                found.append(_imported(_newest(group), _stable(uid), zone, repeats=False))
                continue
            if window is None:
                raise _Skip("repeats_without_dates")
            for occurrence in _series(group, timezones, window):
                found.append(_imported(occurrence, _occurrence_key(uid, occurrence), zone, True))
        except _Skip as skipped:
            left_out.append(LeftOut(_label(group[0]), skipped.reason, skipped.detail))
        except Exception as error:  # noqa: BLE001 - a series the library cannot expand
            master = next((c for c in group if "RECURRENCE-ID" not in c), group[0])
            rule = master.get("RRULE")
            detail = f"RRULE {rule.to_ical().decode()}" if rule is not None else str(error)[:120]
            left_out.append(LeftOut(_label(master), "bad_rule", detail))
    return Agenda(found, left_out)


def plan_changes(events: list[ImportedEvent], existing: dict[str, dict]) -> list[PlannedChange]:
    """Compare with the visit's items by UID; ``existing`` maps a UID to the item's id, title,
    starts_at, ends_at, place and cancelled."""
    changes = []
    for event in sorted(events, key=lambda each: (each.starts_at, each.uid)):
        item = existing.get(event.uid)
        if item is None:
            changes.append(PlannedChange("new", event))
            continue
        same = (
            item["title"] == event.title
            and item["starts_at"] == event.starts_at
            and item["ends_at"] == event.ends_at
            and item["place"] == event.place
            and item["cancelled"] == event.cancelled
        )
        changes.append(PlannedChange("unchanged" if same else "changed", event, item["id"]))
    return changes

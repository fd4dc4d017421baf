"""Reading a host's agenda (.ics) into itinerary changes, refusing anything doubtful whole.

Every refusal names what is wrong, so that the person can ask the host for a better file;
nothing is applied from a file that has a single problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

MAX_BYTES = 2 * 1024 * 1024
MAX_EVENTS = 2000


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


def _moment(event, name: str, default_zone: ZoneInfo, label: str) -> datetime | date | None:
    if name not in event:
        return None
    value = event.decoded(name)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            tzid = event[name].params.get("TZID")
            if tzid:
                raise CalendarRefused("unknown_timezone", str(tzid))
            value = value.replace(tzinfo=default_zone)  # a floating time: the host's clock
        return value.astimezone(UTC)
    if isinstance(value, date):
        return value
    raise CalendarRefused("bad_value", f"{label}: {name}")


def _read_calendar(data: bytes) -> Calendar:
    """The file as a calendar, or the reason it is not one."""
    if len(data) > MAX_BYTES:
        raise CalendarRefused("too_large")
    if not data.strip():
        raise CalendarRefused("empty")
    try:
        calendar = Calendar.from_ical(decode(data))
    except (ValueError, IndexError, KeyError) as error:
        raise CalendarRefused("not_calendar", str(error)[:120]) from error
    if calendar.name != "VCALENDAR":
        raise CalendarRefused("bare_component", calendar.name or "")
    return calendar


def _end_of(event: Any, starts: datetime, zone: ZoneInfo, label: str) -> datetime:
    """DTEND, else DTSTART plus DURATION, else an hour after the start."""
    ends = _moment(event, "DTEND", zone, label)
    if ends is None and "DURATION" in event:
        duration = event.decoded("DURATION")
        if not isinstance(duration, timedelta):
            raise CalendarRefused("bad_value", f"{label}: DURATION")
        ends = starts + duration
    if ends is None:
        ends = starts + timedelta(hours=1)
    if not isinstance(ends, datetime) or ends <= starts:
        raise CalendarRefused("ends_before_start", label)
    return ends


def parse_agenda(data: bytes, default_zone: str) -> tuple[list[ImportedEvent], list[str]]:
    """The timed events of a calendar file, and the titles of all-day ones that were left out."""
    calendar = _read_calendar(data)
    zone = ZoneInfo(default_zone)
    events = calendar.walk("VEVENT")
    if not events:
        raise CalendarRefused("no_events")
    if len(events) > MAX_EVENTS:
        raise CalendarRefused("too_many_events", str(len(events)))
    found: list[ImportedEvent] = []
    all_day: list[str] = []
    seen: set[str] = set()
    for position, event in enumerate(events, start=1):
        title = str(event.get("SUMMARY", "")).strip()
        label = title or f"#{position}"
        if event.errors:
            raise CalendarRefused("bad_value", f"{label}: {event.errors[0][0]}")
        uid = str(event.get("UID", "")).strip()
        if not uid:
            raise CalendarRefused("missing_uid", label)
        if uid in seen:
            raise CalendarRefused("duplicate_uid", uid)
        seen.add(uid)
        starts = _moment(event, "DTSTART", zone, label)
        if starts is None:
            raise CalendarRefused("missing_start", label)
        if not isinstance(starts, datetime):
            all_day.append(label)
            continue
        ends = _end_of(event, starts, zone, label)
        found.append(
            ImportedEvent(
                uid=uid[:100],
                title=(title or label)[:200],
                starts_at=starts,
                ends_at=ends,
                place=str(event.get("LOCATION", "")).strip()[:200],
                notes=str(event.get("DESCRIPTION", "")).strip()[:5000],
                cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
            )
        )
    return found, all_day


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

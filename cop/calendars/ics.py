"""Writing itinerary items as iCalendar: TZID times with their VTIMEZONEs, stable UIDs, SEQUENCE
and DTSTAMP, cancelled items marked, and iTIP invitations (METHOD:REQUEST / CANCEL)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from cop.itinerary.logic import whole_days

PRODUCT_ID = "-//cop//study visits//EN"


def one_line(text: str) -> str:
    """A title, place or name as one line: a line break typed or imported into one (or a name)
    must not break the content line it is written in."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Participant:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    sequence: int
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    updated_at: datetime
    location: str = ""
    description: str = ""
    cancelled: bool = False
    attendees: Sequence[Participant] = field(default_factory=tuple)


@dataclass(frozen=True)
class CalendarDay:
    """An all-day event over whole days, such as the agreed dates of a visit."""

    uid: str
    title: str
    first_day: date
    last_day: date
    updated_at: datetime
    location: str = ""


def _event(item: CalendarItem, organizer: Participant | None, with_attendees: bool) -> Event:
    zone = ZoneInfo(item.time_zone)
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", item.updated_at)
    days = whole_days(item.starts_at, item.ends_at, item.time_zone)
    if days is not None:
        # An all-day item goes out as dates, as it came in: calendars show it across the day.
        event.add("dtstart", days[0])
        event.add("dtend", days[1] + timedelta(days=1))
    else:
        event.add("dtstart", item.starts_at.astimezone(zone))
        if item.ends_at > item.starts_at:
            # A moment has no DTEND (RFC 5545: DTEND must come after DTSTART).
            event.add("dtend", item.ends_at.astimezone(zone))
    event.add("summary", one_line(item.title))
    if item.location:
        event.add("location", one_line(item.location))
    if item.description:
        event.add("description", item.description)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if organizer is not None:
        address = vCalAddress(f"mailto:{organizer.email}")
        address.params["CN"] = vText(one_line(organizer.name))
        event.add("organizer", address)
    if with_attendees:
        for person in item.attendees:
            address = vCalAddress(f"mailto:{person.email}")
            address.params["CN"] = vText(one_line(person.name))
            address.params["ROLE"] = vText("REQ-PARTICIPANT")
            address.params["PARTSTAT"] = vText("NEEDS-ACTION")
            address.params["RSVP"] = vText("TRUE")
            event.add("attendee", address)
    return event


def build_calendar(
    items: Iterable[CalendarItem],
    *,
    name: str,
    method: str | None = None,
    organizer: Participant | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per item and a VTIMEZONE for every zone the items use.

    With ``method`` (REQUEST or CANCEL) it is an iTIP message that mail clients show as an
    invitation; those need an ORGANIZER and the ATTENDEEs."""
    items = list(items)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    if method:
        calendar.add("method", method)
    for item in items:
        calendar.add_component(_event(item, organizer, with_attendees=method is not None))
    if items:
        # Only the rules around the items' dates: a VTIMEZONE for every year since 1970 would
        # make each file hundreds of lines longer for nothing.
        first = min(item.starts_at for item in items).date() - timedelta(days=31)
        last = max(item.ends_at for item in items).date() + timedelta(days=31)
        calendar.add_missing_timezones(first, last)
    return calendar.to_ical()


def build_day_calendar(day: CalendarDay, *, name: str) -> bytes:
    """A calendar with one all-day event; DTEND is the day after the last (RFC 5545 3.6.1)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", one_line(name))
    event = Event()
    event.add("uid", day.uid)
    event.add("dtstamp", day.updated_at)
    event.add("dtstart", day.first_day)
    event.add("dtend", day.last_day + timedelta(days=1))
    event.add("summary", one_line(day.title))
    event.add("transp", "OPAQUE")
    if day.location:
        event.add("location", one_line(day.location))
    calendar.add_component(event)
    return calendar.to_ical()

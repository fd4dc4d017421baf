"""Importing a host's agenda: real-world shapes read (repeating events included), a file that is
not a calendar refused whole, and one bad event listed while the rest imports."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest

from cop.calendars.ics_import import CalendarRefused, LeftOut, parse_agenda, plan_changes
from cop.extensions import db
from cop.itinerary.models import ItineraryItem
from cop.visits.models import MembershipRole
from tests.conftest import sign_in, visible_text

PARIS = "Europe/Paris"


def calendar(*events: str, extra: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event}END:VEVENT\r\n" for event in events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mairie de Paris//Agenda//FR\r\n"
        f"{extra}{body}END:VCALENDAR\r\n"
    ).encode()


MEETING = (
    "UID:bp-1@paris.fr\r\nSUMMARY:Réunion avec l’équipe du budget participatif\r\n"
    "DTSTART;TZID=Europe/Paris:20161208T093000\r\nDTEND;TZID=Europe/Paris:20161208T110000\r\n"
    "LOCATION:Hôtel de Ville\r\n"
)


VISIT_DAYS = (date(2016, 12, 5), date(2016, 12, 9))


def test_a_tzid_agenda_is_read_in_utc() -> None:
    agenda = parse_agenda(calendar(MEETING), PARIS)
    [event] = agenda.events
    assert event.starts_at == datetime(2016, 12, 8, 8, 30, tzinfo=UTC)
    assert (event.title, event.place, agenda.left_out) == (
        "Réunion avec l’équipe du budget participatif",
        "Hôtel de Ville",
        [],
    )


def test_outlooks_windows_zone_names_are_understood() -> None:
    outlook = MEETING.replace("Europe/Paris", "Romance Standard Time")
    [event] = parse_agenda(calendar(outlook), PARIS).events
    assert event.starts_at == datetime(2016, 12, 8, 8, 30, tzinfo=UTC)


def test_floating_times_are_the_hosts_clock_and_duration_gives_the_end() -> None:
    floating = "UID:f@x\r\nSUMMARY:Visite\r\nDTSTART:20161209T140000\r\nDURATION:PT2H30M\r\n"
    [event] = parse_agenda(calendar(floating), PARIS).events
    assert event.starts_at == datetime(2016, 12, 9, 13, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2016, 12, 9, 15, 30, tzinfo=UTC)


def paris_midnight(day: int) -> datetime:
    """Midnight in Paris on that day of December 2016 (23:00 UTC the evening before)."""
    return datetime(2016, 12, day - 1, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("end", "last_day"),
    [
        ("", 10),  # RFC 5545: a date with neither DTEND nor DURATION lasts the day
        ("DTEND;VALUE=DATE:20161212\r\n", 11),  # DTEND is the day after the last
        ("DURATION:P2D\r\n", 11),
    ],
)
def test_an_all_day_event_lasts_its_days_on_the_hosts_clock(end: str, last_day: int) -> None:
    free = f"UID:h@x\r\nSUMMARY:Journée libre\r\nDTSTART;VALUE=DATE:20161210\r\n{end}"
    agenda = parse_agenda(calendar(MEETING, free), PARIS)
    day = next(event for event in agenda.events if event.uid == "h@x")
    assert (day.starts_at, day.ends_at) == (paris_midnight(10), paris_midnight(last_day + 1))
    assert day.days == (date(2016, 12, 10), date(2016, 12, last_day)) and day.all_day
    assert agenda.left_out == []


def test_a_weekly_all_day_event_repeats_within_the_visit() -> None:
    weekly = (
        "UID:w@x\r\nSUMMARY:Permanence\r\nDTSTART;VALUE=DATE:20161128\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=4\r\n"
    )
    [event] = parse_agenda(calendar(weekly), PARIS, VISIT_DAYS).events
    assert event.days == (date(2016, 12, 5), date(2016, 12, 5)) and event.repeats


def test_windows_1252_and_utf16_files_are_decoded() -> None:
    latin = calendar(MEETING).decode().replace("’", "'").encode("cp1252")
    [event] = parse_agenda(latin, PARIS).events
    assert event.title.startswith("Réunion")
    [event] = parse_agenda(calendar(MEETING).decode().encode("utf-16"), PARIS).events
    assert event.place == "Hôtel de Ville"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<html><body>Not found</body></html>", "not_calendar"),
        (calendar(MEETING)[:120], "not_calendar"),
        (b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20161208T093000Z\r\nEND:VEVENT\r\n", "bare_component"),
        (calendar(), "no_events"),
        (b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"a" * (3 * 1024 * 1024) + b"\r\n", "too_large"),
    ],
)
def test_a_file_that_is_not_a_calendar_is_refused_whole(data: bytes, reason: str) -> None:
    with pytest.raises(CalendarRefused) as refused:
        parse_agenda(data, PARIS)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("event", "left_out"),
    [
        (
            MEETING.replace("Europe/Paris", "Mars/Olympus"),
            LeftOut(
                "Réunion avec l’équipe du budget participatif", "unknown_timezone", "Mars/Olympus"
            ),
        ),
        ("UID:x@y\r\nSUMMARY:Sans début\r\n", LeftOut("Sans début", "missing_start")),
        ("SUMMARY:No uid\r\nDTSTART:20161208T093000Z\r\n", LeftOut("No uid", "missing_uid")),
        (
            "UID:b@y\r\nSUMMARY:Bad\r\nDTSTART:tomorrow\r\n",
            LeftOut("Bad", "bad_value", "DTSTART tomorrow"),
        ),
        (
            "UID:r@y\r\nSUMMARY:Weekly\r\nDTSTART:20161205T100000Z\r\nRRULE:FREQ=SOMETIMES\r\n",
            LeftOut("Weekly", "bad_rule", "RRULE FREQ=SOMETIMES"),
        ),
        (
            "UID:c@y\r\nSUMMARY:Backwards\r\nDTSTART:20161208T100000Z\r\nDTEND:20161208T090000Z\r\n",
            LeftOut("Backwards", "ends_before_start"),
        ),
        (
            "UID:d@y\r\nSUMMARY:Mixed\r\nDTSTART;VALUE=DATE:20161210\r\nDTEND:20161210T120000Z\r\n",
            LeftOut("Mixed", "bad_value", "DTEND 20161210T120000Z"),
        ),
        # Untitled: named by its start, never "None" or a number of cop's own.
        (
            "UID:u@y\r\nDTSTART:20161210T100000Z\r\nDTEND:20161210T090000Z\r\n",
            LeftOut("20161210T100000Z", "ends_before_start"),
        ),
    ],
)
def test_one_bad_event_is_listed_and_the_rest_imports(event: str, left_out: LeftOut) -> None:
    agenda = parse_agenda(calendar(MEETING.replace("bp-1", "good"), event), PARIS, VISIT_DAYS)
    assert [e.uid for e in agenda.events] == ["good@paris.fr"]
    assert agenda.left_out == [left_out]


WEEKLY = (
    "UID:040000008200E00074C5B7101A82E00800000000B0B6D1F8C1E6D201000000000000000010000000"
    "AB5CDEFB1D2E7B4F8D8B6B0F1C1D2E3F\r\nSUMMARY:Point d’équipe\r\n"
    "DTSTART;TZID=Europe/Paris:20161205T090000\r\nDTEND;TZID=Europe/Paris:20161205T093000\r\n"
    "RRULE:FREQ=DAILY;COUNT=10\r\nEXDATE;TZID=Europe/Paris:20161207T090000\r\n"
    "RDATE;TZID=Europe/Paris:20161206T170000\r\n"
)
# Outlook and Google write a moved instance as a second VEVENT with the same UID.
MOVED = (
    WEEKLY.split("\r\nSUMMARY")[0] + "\r\nRECURRENCE-ID;TZID=Europe/Paris:20161208T090000\r\n"
    "SUMMARY:Point d’équipe (déplacé)\r\nDTSTART;TZID=Europe/Paris:20161208T140000\r\n"
    "DTEND;TZID=Europe/Paris:20161208T143000\r\n"
)


def test_a_repeating_event_is_expanded_within_the_visits_days() -> None:
    agenda = parse_agenda(calendar(WEEKLY, MOVED), PARIS, VISIT_DAYS)

    starts = [(e.starts_at.day, e.starts_at.hour) for e in agenda.events]
    # 5 to 9 December, 9:00 Paris (8:00 UTC): not the 7th (EXDATE), the 8th moved to 14:00,
    # and an extra one on the 6th at 17:00 (RDATE); nothing after the visit's last day.
    assert sorted(starts) == [(5, 8), (6, 8), (6, 16), (8, 13), (9, 8)]
    assert all(e.repeats for e in agenda.events) and agenda.left_out == []
    moved = next(e for e in agenda.events if e.starts_at.hour == 13)
    assert moved.title == "Point d’équipe (déplacé)"
    assert moved.uid.endswith("/20161208T080000Z")  # UID + RECURRENCE-ID: the same item again
    assert len({e.uid for e in agenda.events}) == 5


def test_a_moved_instance_keeps_its_identity_when_imported_again() -> None:
    first = parse_agenda(calendar(WEEKLY), PARIS, VISIT_DAYS)
    again = parse_agenda(calendar(WEEKLY, MOVED), PARIS, VISIT_DAYS)
    existing = {
        e.uid: {
            "id": position,
            "title": e.title,
            "starts_at": e.starts_at,
            "ends_at": e.ends_at,
            "place": e.place,
            "cancelled": False,
        }
        for position, e in enumerate(first.events)
    }

    kinds = [change.kind for change in plan_changes(again.events, existing)]

    assert sorted(kinds) == ["changed", "unchanged", "unchanged", "unchanged", "unchanged"]


def test_a_repeating_event_waits_for_the_visits_dates() -> None:
    agenda = parse_agenda(calendar(MEETING, WEEKLY), PARIS)
    assert [e.title for e in agenda.events] == ["Réunion avec l’équipe du budget participatif"]
    assert agenda.left_out == [LeftOut("Point d’équipe", "repeats_without_dates")]


def test_two_calendars_in_one_file_read_as_one() -> None:
    second = (
        MEETING.replace("bp-1", "bp-2").replace("T093000", "T140000").replace("T110000", "T150000")
    )
    both = calendar(MEETING) + calendar(second)
    assert [e.uid for e in parse_agenda(both, PARIS).events] == ["bp-1@paris.fr", "bp-2@paris.fr"]


def test_a_start_without_an_end_is_a_moment_not_an_invented_hour() -> None:
    moment = "UID:m@y\r\nSUMMARY:Photo de groupe\r\nDTSTART:20161208T120000Z\r\n"
    [event] = parse_agenda(calendar(moment), PARIS).events
    assert event.ends_at == event.starts_at == datetime(2016, 12, 8, 12, 0, tzinfo=UTC)


def test_changes_are_matched_by_uid() -> None:
    [event] = parse_agenda(calendar(MEETING), PARIS).events
    same = {
        "id": 7,
        "title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "cancelled": False,
    }
    assert plan_changes([event], {})[0].kind == "new"
    assert plan_changes([event], {event.uid: same})[0].kind == "unchanged"
    moved = dict(same, starts_at=datetime(2016, 12, 8, 9, 0, tzinfo=UTC))
    [change] = plan_changes([event], {event.uid: moved})
    assert (change.kind, change.item_id) == ("changed", 7)


def upload(client, visit, data: bytes):
    return client.post(
        f"/visits/{visit.id}/itinerary/import",
        data={"agenda": (io.BytesIO(data), "agenda.ics")},
        content_type="multipart/form-data",
    )


def test_a_lead_previews_then_applies_a_hosts_agenda(client, make) -> None:
    lead = make.user()
    visit = make.visit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    preview = upload(client, visit, calendar(MEETING))
    assert preview.status_code == 200
    text = visible_text(preview.get_data(as_text=True))
    assert "1 new, 0 changed and 0 unchanged items." in text
    assert db.session.scalar(db.select(db.func.count(ItineraryItem.id))) == 0
    token = preview.get_data(as_text=True).split('name="upload" type="hidden" value="', 1)[1][:32]
    assert (
        client.post(
            f"/visits/{visit.id}/itinerary/import/apply", data={"upload": token}
        ).status_code
        == 302
    )
    item = db.session.scalar(db.select(ItineraryItem))
    assert (item.uid, item.time_zone, item.sequence) == ("bp-1@paris.fr", visit.time_zone, 0)
    assert [person.id for person in item.attendees] == [lead.person_id]
    # The same import twice does nothing the second time.
    assert (
        client.post(
            f"/visits/{visit.id}/itinerary/import/apply", data={"upload": token}
        ).status_code
        == 302
    )

    moved = calendar(MEETING.replace("T093000", "T100000"))
    preview = upload(client, visit, moved)
    assert "0 new, 1 changed and 0 unchanged items." in visible_text(preview.get_data(as_text=True))
    token = preview.get_data(as_text=True).split('name="upload" type="hidden" value="', 1)[1][:32]
    client.post(f"/visits/{visit.id}/itinerary/import/apply", data={"upload": token})
    db.session.refresh(item)
    assert item.starts_at == datetime(2016, 12, 8, 9, 0, tzinfo=UTC) and item.sequence == 1


def test_the_preview_lists_what_is_left_out_and_the_repeats(client, make) -> None:
    lead = make.user()
    visit = make.visit(start_date=VISIT_DAYS[0], end_date=VISIT_DAYS[1])
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    broken = "UID:r@y\r\nSUMMARY:Weekly\r\nDTSTART:20161205T100000Z\r\nRRULE:FREQ=SOMETIMES\r\n"

    response = upload(client, visit, calendar(WEEKLY, MOVED, broken))

    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "5 new, 0 changed and 0 unchanged items." in text
    assert "(one of a repeating event)" in text
    assert (
        "1 event is left out “Weekly”: its repetition cannot be read: RRULE FREQ=SOMETIMES." in text
    )
    assert "None" not in text


def test_a_refused_file_is_explained_and_changes_nothing(client, make) -> None:
    lead = make.user()
    visit = make.visit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    response = upload(
        client, visit, b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20161208T093000Z\r\nEND:VEVENT\r\n"
    )
    assert "without the calendar around it" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ItineraryItem.id))) == 0
    assert (
        client.post(
            f"/visits/{visit.id}/itinerary/import/apply", data={"upload": "nope"}
        ).status_code
        == 400
    )


def test_an_all_day_event_is_shown_as_the_day_and_goes_out_as_dates(client, make) -> None:
    lead = make.user()
    visit = make.visit(start_date=VISIT_DAYS[0], end_date=VISIT_DAYS[1], time_zone=PARIS)
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    free = (
        "UID:h@x\r\nSUMMARY:Journée libre\r\nDTSTART;VALUE=DATE:20161208\r\n"
        "DTEND;VALUE=DATE:20161210\r\n"
    )

    preview = upload(client, visit, calendar(MEETING, free))

    text = visible_text(preview.get_data(as_text=True))
    assert "Thursday, 8 December 2016 to Friday, 9 December 2016, all day Journée libre" in text
    token = preview.get_data(as_text=True).split('name="upload" type="hidden" value="', 1)[1][:32]
    client.post(f"/visits/{visit.id}/itinerary/import/apply", data={"upload": token})
    itinerary = visible_text(client.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True))
    assert "All day, until Friday, 9 December 2016 Journée libre" in itinerary
    exported = client.get(f"/visits/{visit.id}/itinerary.ics").get_data(as_text=True)
    assert "DTSTART;VALUE=DATE:20161208" in exported and "DTEND;VALUE=DATE:20161210" in exported
    again = {event.uid: event for event in parse_agenda(exported.encode(), PARIS).events}
    assert again["h@x"].days == (date(2016, 12, 8), date(2016, 12, 9))  # read back as it went out

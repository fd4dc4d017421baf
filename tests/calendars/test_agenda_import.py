"""Importing a host's agenda: real-world shapes read, malformed or hostile files refused whole."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from cop.calendars.ics_import import CalendarRefused, parse_agenda, plan_changes
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


def test_a_tzid_agenda_is_read_in_utc() -> None:
    [event], all_day = parse_agenda(calendar(MEETING), PARIS)
    assert event.starts_at == datetime(2016, 12, 8, 8, 30, tzinfo=UTC)
    assert (event.title, event.place, all_day) == (
        "Réunion avec l’équipe du budget participatif",
        "Hôtel de Ville",
        [],
    )


def test_outlooks_windows_zone_names_are_understood() -> None:
    outlook = MEETING.replace("Europe/Paris", "Romance Standard Time")
    [event], _ = parse_agenda(calendar(outlook), PARIS)
    assert event.starts_at == datetime(2016, 12, 8, 8, 30, tzinfo=UTC)


def test_floating_times_are_the_hosts_clock_and_duration_gives_the_end() -> None:
    floating = "UID:f@x\r\nSUMMARY:Visite\r\nDTSTART:20161209T140000\r\nDURATION:PT2H30M\r\n"
    [event], _ = parse_agenda(calendar(floating), PARIS)
    assert event.starts_at == datetime(2016, 12, 9, 13, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2016, 12, 9, 15, 30, tzinfo=UTC)


def test_all_day_events_are_listed_as_left_out() -> None:
    holiday = "UID:h@x\r\nSUMMARY:Journée libre\r\nDTSTART;VALUE=DATE:20161210\r\n"
    events, all_day = parse_agenda(calendar(MEETING, holiday), PARIS)
    assert len(events) == 1 and all_day == ["Journée libre"]


def test_windows_1252_and_utf16_files_are_decoded() -> None:
    latin = calendar(MEETING).decode().replace("’", "'").encode("cp1252")
    [event], _ = parse_agenda(latin, PARIS)
    assert event.title.startswith("Réunion")
    [event], _ = parse_agenda(calendar(MEETING).decode().encode("utf-16"), PARIS)
    assert event.place == "Hôtel de Ville"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<html><body>Not found</body></html>", "not_calendar"),
        (calendar(MEETING)[:120], "not_calendar"),
        (b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20161208T093000Z\r\nEND:VEVENT\r\n", "bare_component"),
        (calendar(), "no_events"),
        (calendar(MEETING.replace("Europe/Paris", "Mars/Olympus")), "unknown_timezone"),
        (calendar("UID:x@y\r\nSUMMARY:Sans début\r\n"), "missing_start"),
        (calendar("SUMMARY:No uid\r\nDTSTART:20161208T093000Z\r\n"), "missing_uid"),
        (calendar(MEETING, MEETING), "duplicate_uid"),
        (calendar("UID:b@y\r\nSUMMARY:Bad\r\nDTSTART:tomorrow\r\n"), "bad_value"),
        (
            calendar(
                "UID:c@y\r\nSUMMARY:Backwards\r\nDTSTART:20161208T100000Z\r\nDTEND:20161208T090000Z\r\n"
            ),
            "ends_before_start",
        ),
        (b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"a" * (3 * 1024 * 1024) + b"\r\n", "too_large"),
    ],
)
def test_doubtful_files_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(CalendarRefused) as refused:
        parse_agenda(data, PARIS)
    assert refused.value.reason == reason


def test_changes_are_matched_by_uid() -> None:
    [event], _ = parse_agenda(calendar(MEETING), PARIS)
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


def test_a_refused_file_is_explained_and_changes_nothing(client, make) -> None:
    lead = make.user()
    visit = make.visit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    response = upload(client, visit, calendar(MEETING.replace("Europe/Paris", "Mars/Olympus")))
    assert response.status_code == 400
    assert "The time zone “Mars/Olympus” is not known." in response.get_data(as_text=True)
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

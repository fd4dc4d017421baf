"""The itinerary as organisers build it and members read it, its calendar files and invitations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from icalendar import Calendar

from cop.extensions import db
from cop.interpreting.models import BookingStatus
from cop.itinerary.models import ItineraryItem
from cop.visits.models import MembershipRole
from tests.conftest import sign_in, visible_text
from tests.mailserver import MailServer

ITEM_FORM = {
    "title": "Meeting 1: how Paris mainstreams PB",
    "day": "2016-12-08",
    "starts": "09:30",
    "ends": "11:00",
    "place": "Hôtel de Ville",
    "address": "5 rue de Lobau, Paris",
    "travel_minutes": "0",
    "host_contact_id": "0",
    "language": "fr",
    "needs_interpreter": "y",
    "notes": "",
}


def test_a_lead_adds_an_item_in_paris_time_and_it_is_stored_in_utc(client, paris) -> None:
    visit, lead, participant, host = paris
    sign_in(client, lead)
    form = dict(ITEM_FORM, attendee_ids=[str(lead.person_id), str(host.person_id)])
    response = client.post(f"/visits/{visit.id}/itinerary/new", data=form)
    assert response.status_code == 302
    item = db.session.scalar(db.select(ItineraryItem))
    assert item.starts_at == datetime(2016, 12, 8, 8, 30, tzinfo=UTC)
    assert item.time_zone == "Europe/Paris"
    assert {person.id for person in item.attendees} == {lead.person_id, host.person_id}
    assert item.needs_interpreter and item.sequence == 0


def test_members_see_the_hosts_time_with_their_home_time_beside_it(client, make, paris) -> None:
    visit, lead, participant, host = paris
    make.item(visit, title="Meeting 1", start=time(9, 30), end=time(11, 0))
    sign_in(client, participant)
    text = visible_text(client.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True))
    assert "Thursday, 8 December 2016" in text
    assert "09:30–11:00 (08:30–10:00 in London)" in text
    assert "Your own time zone is different." in text
    assert "Paris is 1 hour(s) ahead of your time (London)" in text


def test_the_host_reads_the_itinerary_in_french_without_a_time_zone_notice(
    client, make, paris
) -> None:
    visit, lead, participant, host = paris
    make.item(visit, title="Réunion 1")
    sign_in(client, host)
    text = visible_text(client.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True))
    assert "jeudi 8 décembre 2016" in text
    assert "10:00–11:00 (09:00–10:00 à Londres)" in text
    assert "Votre propre fuseau horaire est différent" not in text


def test_warnings_name_the_problem(client, make, paris) -> None:
    visit, lead, *_ = paris
    make.item(visit, title="Long meeting", start=time(9), end=time(12))
    make.item(visit, title="Clash", start=time(11), end=time(12, 30))
    make.item(visit, title="Late dinner", day=date(2016, 12, 12), start=time(19), end=time(21))
    sign_in(client, lead)
    text = visible_text(client.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True))
    assert "Overlaps “Long meeting”." in text
    assert "Outside the dates of the visit." in text


def test_a_time_that_does_not_exist_is_explained(client, make) -> None:
    lead = make.user()
    visit = make.visit(start_date=date(2017, 3, 25), end_date=date(2017, 3, 27))
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    form = dict(ITEM_FORM, day="2017-03-26", starts="02:30", ends="04:00")
    response = client.post(f"/visits/{visit.id}/itinerary/new", data=form)
    assert response.status_code == 400
    assert "This time does not exist on that day" in response.get_data(as_text=True)
    form = dict(ITEM_FORM, starts="11:00", ends="10:00")
    response = client.post(f"/visits/{visit.id}/itinerary/new", data=form)
    assert "It must end after it starts" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ItineraryItem.id))) == 0


def parse(body: bytes) -> Calendar:
    calendar = Calendar.from_ical(body)
    assert not getattr(calendar, "errors", None)
    return calendar


def test_the_visit_calendar_is_rfc_5545_with_tzid_times_and_stable_uids(
    client, make, paris
) -> None:
    visit, lead, participant, host = paris
    item = make.item(visit, title="Meeting 1", start=time(9, 30), end=time(11))
    sign_in(client, lead)
    first = client.get(f"/visits/{visit.id}/itinerary.ics")
    assert first.mimetype == "text/calendar"
    body = first.get_data()
    assert b"DTSTART;TZID=Europe/Paris:20161208T093000" in body
    calendar = parse(body)
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Paris"
    [event] = calendar.walk("VEVENT")
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (
        item.uid,
        0,
        "CONFIRMED",
    )
    assert "DTSTAMP" in event

    form = dict(ITEM_FORM, title="Meeting 1 (moved)", starts="10:00", ends="11:30")
    assert client.post(f"/visits/{visit.id}/itinerary/{item.id}/edit", data=form).status_code == 302
    assert client.post(f"/visits/{visit.id}/itinerary/{item.id}/cancel").status_code == 302
    [event] = parse(client.get(f"/visits/{visit.id}/itinerary.ics").get_data()).walk("VEVENT")
    assert str(event["UID"]) == item.uid
    assert event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTSTART") == datetime(2016, 12, 8, 9, 0, tzinfo=UTC)
    text = visible_text(client.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True))
    assert "Meeting 1 (moved)" in text and "Cancelled" in text


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def config_overrides(mail_server) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_server.port}


def calendar_part(message):
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part


def test_invitations_reach_each_attendee_in_their_language_as_itip_requests(
    client, make, paris, mail_server
) -> None:
    visit, lead, participant, host = paris
    item = make.item(visit, title="Meeting 1", attendees=[participant.person, host.person])
    sign_in(client, lead)
    assert client.post(f"/visits/{visit.id}/itinerary/{item.id}/invite").status_code == 302
    messages = {message["To"]: message for message in mail_server.messages}
    assert set(messages) == {"participant@fife.example", "hote@paris.example"}
    assert messages["participant@fife.example"]["Subject"] == "Invitation: Meeting 1"
    assert messages["hote@paris.example"]["Subject"].startswith("Invitation")
    assert messages["hote@paris.example"]["Content-Language"] == "fr"
    assert "Bonjour" in messages["hote@paris.example"].get_body(("plain",)).get_content()

    part = calendar_part(messages["hote@paris.example"])
    assert part.get_param("method") == "REQUEST"
    calendar = parse(
        part.get_content().encode() if isinstance(part.get_content(), str) else part.get_content()
    )
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:lead@glasgow.example"
    attendees = sorted(str(address) for address in event["ATTENDEE"])
    assert attendees == ["mailto:hote@paris.example", "mailto:participant@fife.example"]
    assert "Langue : français" in str(event["DESCRIPTION"])
    attachments = [p.get_filename() for p in messages["hote@paris.example"].iter_attachments()]
    assert "invite.ics" in attachments


def test_calendars_and_invitations_say_interpreter_needed_until_one_is_confirmed(
    client, make, paris, mail_server
) -> None:
    visit, lead, participant, host = paris
    item = make.item(
        visit,
        title="Meeting 1",
        needs_interpreter=True,
        attendees=[participant.person, host.person],
    )
    requested = make.booking(make.interpreter(make.person(name="Anne Moreau")), item)
    sign_in(client, lead)

    def description() -> str:
        [event] = parse(client.get(f"/visits/{visit.id}/itinerary.ics").get_data()).walk("VEVENT")
        return str(event["DESCRIPTION"])

    # Asked is not booked.
    assert "Interpreter needed: none confirmed yet." in description()
    assert "Anne Moreau" not in description()
    page = visible_text(client.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True))
    assert "Interpreter needed: none confirmed yet." in page

    requested.status = BookingStatus.CONFIRMED
    db.session.commit()
    assert "Interpreter: Anne Moreau" in description()
    client.post(f"/visits/{visit.id}/itinerary/{item.id}/invite")
    messages = {message["To"]: message for message in mail_server.messages}
    host_mail = messages["hote@paris.example"]
    assert "Interprète : Anne Moreau" in host_mail.get_body(("plain",)).get_content()
    [event] = parse(calendar_part(host_mail).get_content().encode()).walk("VEVENT")
    assert "Interprète : Anne Moreau" in str(event["DESCRIPTION"])


def test_cancelling_sends_itip_cancel_and_keeps_the_item(client, make, paris, mail_server):
    visit, lead, participant, host = paris
    item = make.item(visit, title="Meeting 2", attendees=[participant.person])
    sign_in(client, lead)
    # Asking first: the page names who will be told, and mails nobody yet.
    asked = visible_text(
        client.get(f"/visits/{visit.id}/itinerary/{item.id}/cancel").get_data(as_text=True)
    )
    assert "A cancellation goes to its 1 attendee" in asked and participant.person.name in asked
    assert mail_server.messages == []
    client.post(f"/visits/{visit.id}/itinerary/{item.id}/cancel")
    [message] = mail_server.messages
    assert message["Subject"] == "Cancelled: Meeting 2"
    part = calendar_part(message)
    assert part.get_param("method") == "CANCEL"
    db.session.refresh(item)
    assert item.cancelled and item.sequence == 1


def test_a_personal_feed_holds_only_my_items_in_my_language_and_can_be_replaced(
    app, make, paris
) -> None:
    visit, lead, participant, host = paris
    make.item(visit, title="Réunion avec l’hôte", attendees=[host.person])
    make.item(visit, title="Glasgow debrief", attendees=[lead.person])
    browser = app.test_client()
    sign_in(browser, host)
    browser.post("/calendar/link", data={"next": f"/visits/{visit.id}/itinerary"})
    page = browser.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True)
    feed_url = page.split('class="feed-url">', 1)[1].split("<", 1)[0]
    path = feed_url.split("localhost", 1)[1]

    calendar_app = app.test_client()  # no session: calendar apps do not sign in
    calendar = parse(calendar_app.get(path).get_data())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Réunion avec l’hôte"
    assert "Langue : français" in str(event["DESCRIPTION"])

    browser.post("/calendar/link", data={})
    assert calendar_app.get(path).status_code == 410

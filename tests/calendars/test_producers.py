"""Agendas as the calendar programs hosts use write them (Google Calendar, Outlook/Exchange,
Thunderbird, Evolution, Apple Calendar, Plone), made from the formats' specifications and
what these programs put in their files: every event comes through, at the time icalendar
itself reads, repeating ones expanded within the visit's days with their moved instances."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from cop.calendars.ics_import import parse_agenda, plan_changes
from cop.extensions import db
from cop.itinerary.models import ItineraryItem
from cop.visits.models import MembershipRole
from tests.conftest import sign_in, visible_text

PRODUCERS = Path(__file__).parent / "producers"
PARIS = ZoneInfo("Europe/Paris")
VISIT_DAYS = (date(2016, 12, 5), date(2016, 12, 9))


def read(name: str) -> bytes:
    # Calendar programs end lines with CRLF (RFC 5545); the fixtures are kept with LF.
    return (PRODUCERS / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def local(event) -> tuple[str, str, str]:
    return (
        event.starts_at.astimezone(PARIS).strftime("%a %d %H:%M"),
        event.ends_at.astimezone(PARIS).strftime("%a %d %H:%M"),
        event.title,
    )


EXPECTED = {
    "google.ics": [
        ("Mon 05 09:00", "Mon 05 09:30", "Point du matin"),
        ("Tue 06 10:00", "Tue 06 10:30", "Point du matin (décalé)"),  # the moved instance
        # Wednesday is an EXDATE; the series ends with Friday's (UNTIL, inclusive).
        ("Thu 08 09:00", "Thu 08 09:30", "Point du matin"),
        ("Thu 08 14:00", "Thu 08 16:00", "Visite d'un projet lauréat"),
        ("Fri 09 00:00", "Sat 10 00:00", "Journée de bilan"),
        ("Fri 09 09:00", "Fri 09 09:30", "Point du matin"),
    ],
    "outlook.ics": [
        ("Mon 05 00:00", "Tue 06 00:00", "Arrivée de la délégation"),
        ("Mon 05 14:30", "Mon 05 16:00", "Comité de suivi"),
        ("Wed 07 11:00", "Wed 07 12:30", "Déjeuner de travail"),  # a "(UTC+01:00) …" zone
        ("Thu 08 16:30", "Thu 08 18:00", "Comité de suivi (avec la délégation)"),
    ],
    "thunderbird.ics": [
        ("Tue 06 17:00", "Tue 06 18:30", "Atelier avec les habitants"),
        ("Thu 08 17:00", "Thu 08 18:30", "Atelier avec les habitants"),  # EXDATE in UTC
    ],
    "evolution.ics": [
        ("Wed 07 14:30", "Wed 07 16:00", "Rencontre avec le service de la démocratie locale"),
    ],
    "apple.ics": [
        ("Mon 05 00:00", "Sat 10 00:00", "Visite de la délégation"),
        ("Thu 08 19:00", "Thu 08 20:30", "Dîner avec l’équipe"),
        ("Fri 09 17:13", "Fri 09 17:13", "Départ du train"),  # no end: a moment
    ],
    "plone.ics": [
        ("Tue 06 18:30", "Tue 06 21:00", "Forum du budget participatif"),
        ("Wed 07 10:00", "Wed 07 11:59", "Permanence ouverte"),
        ("Thu 08 18:30", "Thu 08 21:00", "Forum du budget participatif"),  # an RDATE
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_event_of_a_real_programs_agenda_comes_through(name: str) -> None:
    agenda = parse_agenda(read(name), "Europe/Paris", VISIT_DAYS)
    assert agenda.left_out == []
    in_order = sorted(agenda.events, key=lambda event: (event.starts_at, event.title))
    assert [local(event) for event in in_order] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_single_events_are_at_the_time_icalendar_reads(name: str) -> None:
    # Read for a visit on London's clock: the files' own zones decide, not the visit's.
    by_uid = {
        str(component["UID"]): component
        for component in Calendar.from_ical(read(name).decode()).walk("VEVENT")
        if "RRULE" not in component and "RECURRENCE-ID" not in component
    }
    for event in parse_agenda(read(name), "Europe/London", VISIT_DAYS).events:
        if event.repeats:
            continue
        component = by_uid[event.uid]
        starts = component.decoded("DTSTART")
        if isinstance(starts, datetime):
            assert event.starts_at == starts.astimezone(UTC)
            if "DTEND" in component:
                assert event.ends_at == component.decoded("DTEND").astimezone(UTC)
        else:
            assert event.days[0] == starts


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_same_agenda_imported_again_changes_nothing(name: str) -> None:
    first = parse_agenda(read(name), "Europe/Paris", VISIT_DAYS).events
    existing = {
        event.uid: {
            "id": number,
            "title": event.title,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "place": event.place,
            "cancelled": event.cancelled,
        }
        for number, event in enumerate(first)
    }
    again = parse_agenda(read(name), "Europe/Paris", VISIT_DAYS).events
    assert {change.kind for change in plan_changes(again, existing)} == {"unchanged"}


def test_places_and_notes_read_as_people_wrote_them() -> None:
    apple = {e.title: e for e in parse_agenda(read("apple.ics"), "Europe/Paris").events}
    assert apple["Dîner avec l’équipe"].place == (
        "Le Procope, 13 Rue de l'Ancienne Comédie, 75006 Paris, France"
    )
    google = parse_agenda(read("google.ics"), "Europe/Paris", VISIT_DAYS).events
    morning = next(e for e in google if e.title == "Point du matin")
    assert morning.place == "Hôtel de Ville, Place de l'Hôtel de Ville, 75004 Paris, France"
    assert morning.notes == (
        "Point du matin avec l’équipe du budget participatif, salle 2; apportez le programme."
        "\nMerci."
    )
    outlook = parse_agenda(read("outlook.ics"), "Europe/Paris", VISIT_DAYS).events
    weekly = next(e for e in outlook if e.title == "Comité de suivi")
    assert "Ordre du jour : calendrier du vote." in weekly.notes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_programs_agenda_imports_through_the_page(client, make, name: str) -> None:
    lead = make.user()
    visit = make.visit(start_date=VISIT_DAYS[0], end_date=VISIT_DAYS[1], time_zone="Europe/Paris")
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)

    preview = client.post(
        f"/visits/{visit.id}/itinerary/import",
        data={"agenda": (io.BytesIO(read(name)), name)},
        content_type="multipart/form-data",
    )

    count = len(EXPECTED[name])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert f"{count} new, 0 changed and 0 unchanged items." in visible_text(page)
    token = page.split('name="upload" type="hidden" value="', 1)[1][:32]
    client.post(f"/visits/{visit.id}/itinerary/import/apply", data={"upload": token})
    items = db.session.scalars(db.select(ItineraryItem).filter_by(visit_id=visit.id)).all()
    assert sorted(item.title for item in items) == sorted(title for *_, title in EXPECTED[name])

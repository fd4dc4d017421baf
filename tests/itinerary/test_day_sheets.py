"""Day sheets: each member's items of one day, with places, host contacts and interpreters, as
a PDF to print or keep offline; a lead prints them for members, nobody else does."""

from __future__ import annotations

import io
from datetime import date, time

from pypdf import PdfReader

from tests.conftest import sign_in, visible_text


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_member_downloads_their_day_with_places_contacts_and_interpreters(
    client, make, paris
) -> None:
    visit, lead, participant, host = paris
    make.item(
        visit,
        title="Meeting 1: how Paris mainstreams PB",
        start=time(9, 30),
        end=time(11, 0),
        place="Hôtel de Ville",
        address="5 rue de Lobau",
        host_contact=host.person,
        needs_interpreter=True,
        attendees=[participant.person, host.person],
    )
    make.item(visit, title="Lunch", start=time(12, 0), end=time(13, 0), attendees=[lead.person])
    make.item(
        visit,
        title="Second day",
        day=date(2016, 12, 9),
        attendees=[participant.person],
    )
    sign_in(client, participant)
    page = visible_text(client.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True))
    assert "Your day sheets" in page
    assert "Thursday, 8 December 2016 (PDF)" in page and "Friday, 9 December 2016 (PDF)" in page

    answer = client.get(f"/visits/{visit.id}/day-sheets/2016-12-08.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    sheet = text_of(answer.data)
    assert "PB study visit to Paris" in sheet and participant.person.name in sheet
    assert "09:30" in sheet and "Meeting 1: how Paris mainstreams PB" in sheet
    assert "Hôtel de Ville, 5 rue de Lobau" in sheet
    assert f"Host contact: {host.person.name}" in sheet
    assert "Interpreter needed" in sheet
    assert "Lunch" not in sheet and "Second day" not in sheet  # not theirs, not that day


def test_only_a_lead_prints_someone_elses_sheet(app, client, make, paris) -> None:
    visit, lead, participant, host = paris
    make.item(visit, title="Meeting 1", attendees=[participant.person])
    url = f"/visits/{visit.id}/day-sheets/2016-12-08.pdf?person={participant.person.id}"
    sign_in(client, host)
    assert client.get(url).status_code == 403
    by_lead = app.test_client()
    sign_in(by_lead, lead)
    assert participant.person.name in text_of(by_lead.get(url).data)


def test_a_day_without_items_or_not_a_day_is_not_found(client, make, paris) -> None:
    visit, _lead, participant, _host = paris
    sign_in(client, participant)
    assert client.get(f"/visits/{visit.id}/day-sheets/2016-12-08.pdf").status_code == 404
    assert client.get(f"/visits/{visit.id}/day-sheets/someday.pdf").status_code == 404

"""What changed, batched: after invitations went out, edits to the itinerary reach each person
as one mail in their language of what changed since they last heard, with the updated
calendar entries, once the itinerary has been left alone for a while; not one mail per edit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from cop.database import utcnow
from cop.extensions import db
from cop.itinerary.changes import QUIET, send_changes
from cop.itinerary.models import ItineraryItem
from tests.conftest import sign_in
from tests.itinerary.test_itinerary_pages import ITEM_FORM
from tests.mailserver import MailServer


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def config_overrides(mail_server) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_server.port}


def edit(client, visit, item: ItineraryItem, **changed) -> None:
    form = {
        **ITEM_FORM,
        "title": item.title,
        "attendee_ids": [str(p.id) for p in item.attendees],
        **changed,
    }
    answer = client.post(f"/visits/{visit.id}/itinerary/{item.id}/edit", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]


def test_several_edits_reach_each_attendee_as_one_mail_of_what_changed(
    app, client, make, paris, mail_server
) -> None:
    visit, lead, participant, host = paris
    both = [participant.person, host.person]
    first = make.item(visit, title="Meeting 1", attendees=both)
    second = make.item(visit, title="Meeting 2", attendees=[participant.person])
    sign_in(client, lead)
    edit(client, visit, first, title="Meeting 1", starts="09:30", ends="11:00")
    edit(client, visit, second, title="Meeting 2", starts="09:30", ends="11:00")
    for item in (first, second):
        assert client.post(f"/visits/{visit.id}/itinerary/{item.id}/invite").status_code == 302
    mail_server.messages.clear()

    # Three edits: Meeting 1 moves, then changes place; Meeting 2 moves.
    edit(client, visit, first, title="Meeting 1", starts="14:00", ends="15:30")
    edit(client, visit, first, title="Meeting 1", starts="14:00", ends="15:30", place="Mairie")
    edit(client, visit, second, title="Meeting 2", starts="16:00", ends="17:00")
    assert mail_server.messages == []  # nobody is mailed per edit
    assert send_changes(db.session, utcnow()) == 0  # still being edited

    later = utcnow() + QUIET + timedelta(minutes=1)
    assert send_changes(db.session, later) == 2
    mails = {m["To"]: m for m in mail_server.wait_for(2)}
    assert set(mails) == {participant.email, host.email}
    text = mails[participant.email].get_body(("plain",)).get_content()
    assert "these items of “PB study visit to Paris” have changed" in text
    assert "Meeting 1" in text and "Meeting 2" in text
    assert "Moved: from 8 Dec 2016, 09:30 (Paris) to 8 Dec 2016, 14:00 (Paris)." in text
    assert "Place: Mairie (was Hôtel de Ville)." in text
    [calendar] = [p for p in mails[participant.email].iter_attachments() if p.get_filename()]
    events = Calendar.from_ical(calendar.get_content()).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == ["Meeting 1", "Meeting 2"]
    french = mails[host.email].get_body(("plain",)).get_content()
    assert "Bonjour" in french and "Meeting 2" not in french  # the host attends one of them

    # Heard: nothing more until something changes again.
    assert send_changes(db.session, later + QUIET * 2) == 0
    edit(client, visit, second, title="Meeting 2", starts="16:00", ends="17:00", place="Mairie")
    assert send_changes(db.session, utcnow() + QUIET * 2) == 1


def test_nothing_is_sent_to_people_never_invited(app, client, make, paris, mail_server) -> None:
    visit, lead, participant, _host = paris
    item = make.item(visit, title="Meeting 1", attendees=[participant.person])
    sign_in(client, lead)
    edit(client, visit, item, title="Meeting 1", starts="14:00", ends="15:00")
    assert send_changes(db.session, utcnow() + QUIET * 2) == 0
    assert mail_server.messages == []

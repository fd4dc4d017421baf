"""Booking interpreters for itinerary items, their answers by signed link, costs, and the
briefing pack."""

from __future__ import annotations

import io
import re
from datetime import date, time
from decimal import Decimal

import pytest
from flask import Flask

from cop.documents.models import VisitDocument
from cop.documents.storage import store
from cop.extensions import db
from cop.interpreting.models import (
    Booking,
    BookingStatus,
    Interpreter,
    Knowledge,
    LanguagePair,
    Mode,
    Unavailability,
)
from cop.mail import OutboxMail
from cop.planning.models import Cost, CostCategory
from cop.translation.models import GlossaryTerm
from cop.viewhelpers import folder_of
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text


@pytest.fixture
def paris(app: Flask, make: Factory):
    programme = make.programme(reporting_currency="GBP")
    visit = make.visit(programme_id=programme.id)
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    participant = make.user()
    make.member(visit, participant.person)
    person = make.person(name="Anne Moreau", email="anne@interpretes.example")
    person.preferred_language = "fr"
    interpreter = Interpreter(
        person=person,
        modes=[Mode.CONSECUTIVE, Mode.SIMULTANEOUS],
        knowledge=[Knowledge.LOCAL_GOVERNMENT],
        day_rate=Decimal("750"),
        half_day_rate=Decimal("450"),
        currency="EUR",
        pairs=[LanguagePair(source="fr", target="en"), LanguagePair(source="en", target="fr")],
        unavailable=[Unavailability(first_day=date(2016, 12, 12), last_day=date(2016, 12, 16))],
    )
    db.session.add(interpreter)
    db.session.add(
        Cost(
            visit_id=visit.id,
            day=date(2016, 12, 8),
            category=CostCategory.TRAVEL,
            description="Trains",
            amount=Decimal("100"),
            currency="EUR",
            rate=Decimal("0.85"),
        )
    )
    db.session.commit()
    morning = make.item(
        visit,
        title="Meeting 1",
        start=time(9, 30),
        end=time(11, 0),
        place="Hôtel de Ville",
        needs_interpreter=True,
    )
    overlapping = make.item(
        visit, title="Meeting 2", start=time(10, 30), end=time(12, 0), place="Hôtel de Ville"
    )
    far = make.item(
        visit,
        title="Meeting 3",
        start=time(11, 10),
        end=time(12, 0),
        place="Mairie du 14e",
        travel_minutes=30,
    )
    away = make.item(visit, title="Monday", day=date(2016, 12, 12))
    client = app.test_client()
    sign_in(client, lead)
    return {
        "visit": visit,
        "lead": client,
        "lead_user": lead,
        "participant": participant,
        "interpreter": interpreter,
        "morning": morning,
        "overlapping": overlapping,
        "far": far,
        "away": away,
    }


def book(paris, item, mode="consecutive", accept=False):
    data = {"interpreter_id": paris["interpreter"].id, "mode": mode}
    if accept:
        data["accept_warnings"] = "y"
    return paris["lead"].post(
        f"/visits/{paris['visit'].id}/itinerary/{item.id}/interpreters", data=data
    )


def set_status(paris, booking, status):
    return paris["lead"].post(
        f"/visits/{paris['visit'].id}/bookings/{booking.id}", data={"status": status}
    )


def test_a_booking_is_requested_then_confirmed_and_its_cost_recorded(app: Flask, paris) -> None:
    assert book(paris, paris["morning"]).status_code == 302
    booking = db.session.scalar(db.select(Booking))
    assert booking.status is BookingStatus.REQUESTED
    # Asked alone, the item is a request of its own: half a day's fee (it lasts 1 h 30).
    assert booking.engagement.estimate == Decimal("450")
    request_mail = db.session.scalar(db.select(OutboxMail))
    assert request_mail.recipient == "anne@interpretes.example"
    assert request_mail.subject == "Pouvez-vous interpréter « Meeting 1 » ?"
    assert set_status(paris, booking, "confirmed").status_code == 302
    cost = db.session.get(Cost, booking.engagement.fees_cost_id)
    assert cost.category is CostCategory.INTERPRETING and cost.amount == Decimal("450")
    # The visit already converts euros at 0.85: the interpreter's cost uses the same rate.
    assert cost.rate == Decimal("0.85")
    # Asked without cancellation terms: cancelling costs nothing.
    assert set_status(paris, booking, "cancelled").status_code == 302
    assert booking.engagement.fees_cost_id is None
    assert (
        db.session.scalar(
            db.select(db.func.count(Cost.id)).where(Cost.category == CostCategory.INTERPRETING)
        )
        == 0
    )


def test_overlapping_a_confirmed_booking_is_refused_with_the_reason(app: Flask, paris) -> None:
    book(paris, paris["morning"])
    set_status(paris, db.session.scalar(db.select(Booking)), "confirmed")
    refused = book(paris, paris["overlapping"])
    assert refused.status_code == 400
    assert "Already confirmed at the same time for “Meeting 1”" in visible_text(
        refused.get_data(as_text=True)
    )
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 1


def test_a_cancelled_or_declined_booking_does_not_block(app: Flask, paris) -> None:
    book(paris, paris["morning"])
    first = db.session.scalar(db.select(Booking))
    set_status(paris, first, "confirmed")
    set_status(paris, first, "cancelled")
    assert book(paris, paris["overlapping"]).status_code == 302


def test_warnings_are_shown_and_must_be_accepted(app: Flask, paris) -> None:
    book(paris, paris["morning"])
    set_status(paris, db.session.scalar(db.select(Booking)), "confirmed")
    warned = book(paris, paris["far"])
    assert warned.status_code == 400
    text = visible_text(warned.get_data(as_text=True))
    assert "20 minutes short of the travel time from or to “Meeting 1”" in text
    accepted = book(paris, paris["far"], accept=True)
    assert accepted.status_code == 302
    booking = db.session.scalar(db.select(Booking).order_by(Booking.id.desc()))
    assert "travel time" in booking.warnings


def test_unavailable_days_refuse_a_booking(app: Flask, paris) -> None:
    refused = book(paris, paris["away"])
    assert refused.status_code == 400
    assert "Not available on these days" in refused.get_data(as_text=True)


def test_long_simultaneous_work_asks_for_a_second_interpreter(app: Flask, paris) -> None:
    warned = book(paris, paris["morning"], mode="simultaneous")
    assert "needs a second interpreter" in warned.get_data(as_text=True)


def link_in_latest_mail() -> str:
    """The path of the interpreter's link in the last mail queued."""
    mail = db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()))
    return re.search(r"/interpreting/\S+", mail.body_text).group(0)


def test_the_interpreter_answers_through_their_link_in_french(app: Flask, paris) -> None:
    book(paris, paris["morning"])
    path = link_in_latest_mail()
    anonymous = app.test_client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert '<html lang="fr">' in page.get_data(as_text=True)
    booking = db.session.scalar(db.select(Booking))
    answered = anonymous.post(path, data={"booking": booking.id, "answer": "confirmed"})
    assert answered.status_code == 302
    db.session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.engagement.fees_cost_id is not None
    # The lead hears of it, in their language, with the time where the item takes place.
    told = db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()))
    assert told.recipient == paris["lead_user"].email
    assert told.subject == f"Anne Moreau will interpret “{booking.item.title}”"
    assert "(Paris)" in told.body_text and f"/visits/{paris['visit'].id}/interpreting" in (
        told.body_text
    )
    again = anonymous.post(path, data={"booking": booking.id, "answer": "declined"})
    assert again.status_code == 400


def test_a_new_link_revokes_the_old_one(app: Flask, paris) -> None:
    book(paris, paris["morning"])
    old = link_in_latest_mail()
    paris["lead"].post(f"/interpreters/{paris['interpreter'].id}/link")
    new = link_in_latest_mail()
    assert new != old
    anonymous = app.test_client()
    revoked = anonymous.get(old)
    assert revoked.status_code == 410
    assert anonymous.get(new).status_code == 200
    assert anonymous.get(old + "/briefing/1").status_code == 410
    assert anonymous.get("/interpreting/forged-token").status_code == 400


def test_the_briefing_pack_holds_what_the_interpreter_needs(app: Flask, paris) -> None:
    visit = paris["visit"]
    visit.objective = "Learn how Paris runs its conseils de quartier."
    db.session.add_all(
        [
            GlossaryTerm(
                language_a="fr",
                term_a="conseil de quartier",
                language_b="en",
                term_b="community council",
                explanation="Not elected.",
            ),
            GlossaryTerm(
                language_a="fr",
                term_a="arrondissement",
                language_b="en",
                term_b="district",
                visit_id=visit.id,
            ),
            GlossaryTerm(
                language_a="fr",
                term_a="octroi de mer",
                language_b="en",
                term_b="dock dues",
                domain="customs",
            ),
        ]
    )
    kept = store(io.BytesIO(b"%PDF agenda"), "agenda.pdf", folder_of(visit.id), 1024)
    db.session.add(
        VisitDocument(
            visit_id=visit.id,
            title="Agenda",
            filename=kept.filename,
            stored_name=kept.stored_name,
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
        )
    )
    db.session.commit()
    book(paris, paris["morning"])
    path = link_in_latest_mail()
    anonymous = app.test_client()
    briefing = anonymous.get(f"{path}/briefing/{visit.id}")
    text = visible_text(briefing.get_data(as_text=True))
    assert "Dossier de préparation pour Anne Moreau" in text
    assert "Meeting 1" in text and "Meeting 2" not in text
    assert "conseil de quartier" in text and "arrondissement" in text
    assert "octroi de mer" not in text
    assert paris["participant"].person.name in text
    assert "Confidentialité" in text
    document = re.search(r'href="([^"]+/documents/\d+)"', briefing.get_data(as_text=True))
    assert anonymous.get(document.group(1)).data == b"%PDF agenda"
    printable = anonymous.get(f"{path}/briefing/{visit.id}?print=1").get_data(as_text=True)
    assert 'class="printable"' in printable
    # Not booked on another visit: nothing to see there.
    other = Factory().visit()
    assert anonymous.get(f"{path}/briefing/{other.id}").status_code == 404


def test_interpreters_are_found_by_language_pair_and_knowledge(app: Flask, paris) -> None:
    client = paris["lead"]
    assert "Anne Moreau" in client.get("/interpreters?pair=en>fr").get_data(as_text=True)
    assert "Anne Moreau" not in client.get("/interpreters?pair=de>fr").get_data(as_text=True)
    found = client.get("/interpreters?knowledge=local_government").get_data(as_text=True)
    assert "Anne Moreau" in found
    none = client.get("/interpreters?knowledge=public_finance").get_data(as_text=True)
    assert "Anne Moreau" not in none
    assert client.get("/interpreters?pair=nonsense").status_code == 400


def test_an_interpreter_is_added_with_their_pairs(app: Flask, paris) -> None:
    client = paris["lead"]
    response = client.post(
        "/interpreters/new",
        data={
            "name": "Jean Dupont",
            "email": "jean@example.org",
            "language": "fr",
            "pairs": "fr<>en, de>fr",
            "modes": ["consecutive", "whispered"],
            "knowledge": ["participatory_budgeting"],
            "currency": "eur",
        },
    )
    assert response.status_code == 302
    added = db.session.scalar(db.select(Interpreter).order_by(Interpreter.id.desc()))
    assert sorted((p.source, p.target) for p in added.pairs) == [
        ("de", "fr"),
        ("en", "fr"),
        ("fr", "en"),
    ]
    assert added.currency == "EUR" and added.modes == [Mode.CONSECUTIVE, Mode.WHISPERED]
    bad = client.post(
        "/interpreters/new",
        data={
            "name": "X",
            "email": "x@example.org",
            "language": "fr",
            "pairs": "french",
            "currency": "EUR",
        },
    )
    assert bad.status_code == 400
    assert "is not a language pair" in bad.get_data(as_text=True)


def test_confirming_a_booking_that_now_clashes_is_refused(app: Flask, paris) -> None:
    book(paris, paris["morning"])
    book(paris, paris["overlapping"])
    first, second = db.session.scalars(db.select(Booking).order_by(Booking.id)).all()
    assert set_status(paris, first, "confirmed").status_code == 302
    refused = set_status(paris, second, "confirmed")
    assert refused.status_code == 409
    assert "Already confirmed at the same time for “Meeting 1”" in refused.get_data(as_text=True)
    db.session.refresh(second)
    assert second.status is BookingStatus.REQUESTED

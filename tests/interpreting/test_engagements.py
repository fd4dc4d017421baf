"""A day with parallel meetings and simultaneous interpreting, played through the pages: the
interpreters' day shows what the day needs, one form asks one interpreter for several items
with their journey and cancellation terms, one mail goes out, the interpreter answers them
together, the fee is counted by the day and cancelling confirmed work puts its fee in costs."""

from __future__ import annotations

import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
from flask import Flask

from cop.database import utcnow
from cop.extensions import db
from cop.interpreting.models import (
    Booking,
    BookingStatus,
    Engagement,
    Interpreter,
    LanguagePair,
    Mode,
)
from cop.mail import OutboxMail
from cop.planning.models import Cost, CostCategory
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text

# Three weeks ahead, so that notices of cancellation are counted from today.
DAY = (utcnow() + timedelta(days=21)).date()


def interpreter(make: Factory, name: str, email: str, pairs: list[tuple[str, str]]) -> Interpreter:
    person = make.person(name=name, email=email)
    person.preferred_language = "fr"
    found = Interpreter(
        person=person,
        modes=[Mode.CONSECUTIVE, Mode.SIMULTANEOUS],
        day_rate=Decimal("750"),
        half_day_rate=Decimal("450"),
        currency="EUR",
        pairs=[LanguagePair(source=s, target=t) for s, t in pairs],
    )
    db.session.add(found)
    db.session.commit()
    return found


@pytest.fixture
def day(app: Flask, make: Factory):
    visit = make.visit(start_date=DAY, end_date=DAY + timedelta(days=1))
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    participant = make.user()
    make.member(visit, participant.person)
    both_ways = [("fr", "en"), ("en", "fr")]
    anne = interpreter(make, "Anne Moreau", "anne@interpretes.example", both_ways)
    paul = interpreter(make, "Paul Girard", "paul@interpretes.example", both_ways)
    items = {
        "plenary": make.item(
            visit, title="Plenary", day=DAY, start=time(9), end=time(12), needs_interpreter=True
        ),
        "budget": make.item(
            visit,
            title="Budget office",
            day=DAY,
            start=time(14),
            end=time(15, 30),
            needs_interpreter=True,
        ),
        "youth": make.item(
            visit,
            title="Youth council",
            day=DAY,
            start=time(14, 30),
            end=time(16),
            needs_interpreter=True,
        ),
    }
    client = app.test_client()
    sign_in(client, lead)
    return {
        "visit": visit,
        "lead": client,
        "lead_user": lead,
        "participant": participant,
        "anne": anne,
        "paul": paul,
        **items,
    }


def day_path(day) -> str:
    return f"/visits/{day['visit'].id}/interpreting/days/{DAY.isoformat()}"


def ask(day, who, items, **fields):
    data = {
        "interpreter_id": day[who].id,
        "mode": "simultaneous",
        "items": [day[name].id for name in items],
        "cancellation": "30 days: 50 %, 7 days: 100 %",
        **fields,
    }
    return day["lead"].post(day_path(day), data=data)


def latest_mail() -> OutboxMail:
    return db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()))


def test_the_day_shows_what_it_needs_before_anyone_is_booked(app: Flask, day) -> None:
    page = day["lead"].get(day_path(day))
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert text.count("Interpreter needed") == 3
    assert "“Budget office”, “Youth council” run at the same time" in text
    # Every item the day needs is ticked for a booking of the whole day.
    html = page.get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="items"[^>]*>', html)
    assert len(boxes) == 3 and all("checked" in box for box in boxes)
    assert "30 days: 50 %, 7 days: 100 %" in html


def test_one_interpreter_cannot_take_two_items_at_the_same_time(app: Flask, day) -> None:
    refused = ask(day, "anne", ["plenary", "budget", "youth"])
    assert refused.status_code == 400
    assert "one interpreter cannot take both" in visible_text(refused.get_data(as_text=True))
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 0


def test_a_day_is_asked_in_one_form_and_one_mail_and_answered_together(app: Flask, day) -> None:
    arrival = {
        "arrival_day": (DAY - timedelta(days=1)).isoformat(),
        "arrival_time": "22:30",
        "journey_hours": "7",
    }
    warned = ask(day, "anne", ["plenary", "budget"], **arrival)
    assert warned.status_code == 400
    warnings = visible_text(warned.get_data(as_text=True))
    # She arrives at 22:30 after seven hours on the way and would work at 9:00.
    assert "Plenary: Arrives 10 h 30 before the first item" in warnings
    assert "they need 12 hours of rest" in warnings
    assert "Plenary: Simultaneous interpreting for 180 minutes needs a second" in warnings
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0

    assert (
        ask(day, "anne", ["plenary", "budget"], accept_warnings="y", **arrival).status_code == 302
    )
    engagement = db.session.scalar(db.select(Engagement))
    assert [b.item.title for b in engagement.bookings] == ["Plenary", "Budget office"]
    assert {b.status for b in engagement.bookings} == {BookingStatus.REQUESTED}
    # 9:00 to 15:30 is more than half a day: one day's fee, not two half days.
    assert engagement.estimate == Decimal("750")
    [mail] = db.session.scalars(db.select(OutboxMail)).all()
    assert mail.recipient == "anne@interpretes.example"
    assert mail.subject == f"Pouvez-vous interpréter pour « {day['visit'].title} » ? 2 éléments"
    assert "Plenary" in mail.body_text and "Budget office" in mail.body_text
    assert "moins de 7 jours avant : 100 % de ses honoraires" in mail.body_text
    assert "750,00" in mail.body_text

    link = re.search(r"/interpreting/\S+", mail.body_text).group(0)
    anonymous = app.test_client()
    page = anonymous.get(link)
    assert "Tout accepter" in page.get_data(as_text=True)
    answered = anonymous.post(link, data={"engagement": engagement.id, "answer": "confirmed"})
    assert answered.status_code == 302
    db.session.expire_all()
    assert {b.status for b in engagement.bookings} == {BookingStatus.CONFIRMED}
    fees = db.session.get(Cost, engagement.fees_cost_id)
    assert (fees.category, fees.amount) == (CostCategory.INTERPRETING, Decimal("750"))
    told = latest_mail()
    assert told.recipient == day["lead_user"].email
    assert told.subject == "Anne Moreau will interpret 2 items"
    # Answered once: the buttons go and a second answer is refused.
    again = anonymous.post(link, data={"engagement": engagement.id, "answer": "declined"})
    assert again.status_code == 400


def confirm_all(engagement: Engagement) -> None:
    for booking in engagement.bookings:
        booking.status = BookingStatus.CONFIRMED
    db.session.commit()


def test_cancelling_confirmed_work_puts_the_fee_its_terms_ask_into_costs(app: Flask, day) -> None:
    ask(day, "anne", ["plenary", "budget"], accept_warnings="y")
    engagement = db.session.scalar(db.select(Engagement))
    link = re.search(r"/interpreting/\S+", latest_mail().body_text).group(0)
    app.test_client().post(link, data={"engagement": engagement.id, "answer": "confirmed"})
    budget = next(b for b in engagement.bookings if b.item.title == "Budget office")
    cancelled = day["lead"].post(
        f"/visits/{day['visit'].id}/bookings/{budget.id}", data={"status": "cancelled"}
    )
    assert cancelled.status_code == 302
    db.session.expire_all()
    # Left: the plenary, 9:00-12:00, half a day. Lost: 750 - 450 = 300, of which 50 % is due
    # at three weeks' notice.
    assert db.session.get(Cost, engagement.fees_cost_id).amount == Decimal("450")
    fee = db.session.get(Cost, engagement.cancellation_cost_id)
    assert fee.amount == Decimal("150.00")
    assert fee.description == "Anne Moreau: Cancellation fee – Budget office (50 %)"
    interpreting = db.session.scalars(
        db.select(Cost.amount).where(Cost.category == CostCategory.INTERPRETING)
    ).all()
    assert sorted(interpreting) == [Decimal("150.00"), Decimal("450")]
    # Cancelling what was only asked (never confirmed) costs nothing.
    ask(day, "paul", ["youth"], accept_warnings="y")
    youth = db.session.scalar(db.select(Booking).where(Booking.interpreter_id == day["paul"].id))
    day["lead"].post(f"/visits/{day['visit'].id}/bookings/{youth.id}", data={"status": "cancelled"})
    assert db.session.scalar(db.select(db.func.count(Cost.id))) == 2


def test_the_day_after_booking_says_what_is_still_short(app: Flask, day) -> None:
    ask(day, "anne", ["plenary", "budget"], accept_warnings="y")
    ask(day, "paul", ["youth"], mode="consecutive", accept_warnings="y")
    text = visible_text(day["lead"].get(day_path(day)).get_data(as_text=True))
    assert "Anne Moreau (en<>fr) – Simultaneous – Requested" in text
    assert text.count("Interpreter needed") == 0
    assert (
        "The day has 4 h 30 of simultaneous interpreting: AIIC’s guidance asks for a team of 3"
        in (text)
    )
    assert "“Plenary”: 3 hours of simultaneous interpreting needs 2 interpreters" in text
    # The parallel meetings have an interpreter each: said once, without a name to worry about.
    assert "Asked for more than one of them" not in text


def test_declining_a_request_declines_all_its_items(app: Flask, day) -> None:
    ask(day, "paul", ["plenary", "budget"], accept_warnings="y")
    engagement = db.session.scalar(db.select(Engagement))
    link = re.search(r"/interpreting/\S+", latest_mail().body_text).group(0)
    app.test_client().post(link, data={"engagement": engagement.id, "answer": "declined"})
    db.session.expire_all()
    assert {b.status for b in engagement.bookings} == {BookingStatus.DECLINED}
    assert engagement.fees_cost_id is None
    assert latest_mail().subject == "Paul Girard cannot interpret 2 items"


def test_members_read_the_day_and_only_leads_book(app: Flask, day) -> None:
    member = app.test_client()
    sign_in(member, day["participant"])
    assert member.get(day_path(day)).status_code == 200
    assert "Book one interpreter" not in member.get(day_path(day)).get_data(as_text=True)
    assert member.post(day_path(day), data={}).status_code == 403
    stranger = app.test_client()
    assert stranger.get(day_path(day)).status_code == 302  # to sign in


@pytest.mark.parametrize("wrong", ["2016-13-40", "tomorrow", "1999-01-01"])
def test_a_day_that_is_not_one_of_the_visit_is_not_found(app: Flask, day, wrong) -> None:
    assert (
        day["lead"].get(f"/visits/{day['visit'].id}/interpreting/days/{wrong}").status_code == 404
    )


def test_terms_that_cannot_be_read_are_refused_with_the_reason(app: Flask, day) -> None:
    refused = ask(day, "anne", ["plenary"], cancellation="30 days: 50 %, 7 days: 20 %")
    assert refused.status_code == 400
    assert "cannot be read" in visible_text(refused.get_data(as_text=True))
    assert db.session.scalar(db.select(db.func.count(Engagement.id))) == 0


def test_the_visits_interpreting_lists_its_days_and_requests(app: Flask, day) -> None:
    ask(day, "anne", ["plenary", "budget"], accept_warnings="y")
    text = visible_text(
        day["lead"].get(f"/visits/{day['visit'].id}/interpreting").get_data(as_text=True)
    )
    assert "Requests and their terms" in text
    assert "2 items: Plenary, Budget office" in text
    assert "30 days: 50 %, 7 days: 100 %" in text


def test_a_single_item_is_asked_with_its_terms_too(app: Flask, day) -> None:
    visit = day["visit"]
    sent = day["lead"].post(
        f"/visits/{visit.id}/itinerary/{day['youth'].id}/interpreters",
        data={
            "interpreter_id": day["paul"].id,
            "mode": "consecutive",
            "cancellation": "14 days: 100 %",
        },
    )
    assert sent.status_code == 302
    engagement = db.session.scalar(db.select(Engagement))
    assert engagement.cancellation_terms == [[14, 100]]
    mail = latest_mail()
    assert mail.subject == "Pouvez-vous interpréter « Youth council » ?"
    assert "moins de 14 jours avant : 100 % de ses honoraires" in mail.body_text


def test_an_item_cancelled_in_the_itinerary_releases_its_interpreter_on_their_terms(
    app: Flask, day
) -> None:
    ask(day, "anne", ["plenary", "budget"], accept_warnings="y")
    engagement = db.session.scalar(db.select(Engagement))
    link = re.search(r"/interpreting/\S+", latest_mail().body_text).group(0)
    app.test_client().post(link, data={"engagement": engagement.id, "answer": "confirmed"})
    visit = day["visit"]
    confirm = day["lead"].get(f"/visits/{visit.id}/itinerary/{day['plenary'].id}/cancel")
    assert "Anne Moreau" in visible_text(confirm.get_data(as_text=True))
    assert (
        day["lead"].post(f"/visits/{visit.id}/itinerary/{day['plenary'].id}/cancel").status_code
        == 302
    )
    db.session.expire_all()
    plenary = next(b for b in engagement.bookings if b.item.title == "Plenary")
    assert plenary.status is BookingStatus.CANCELLED
    # The budget office alone is half a day: 300 of the day's fee lost, 50 % of it due.
    assert db.session.get(Cost, engagement.fees_cost_id).amount == Decimal("450")
    assert db.session.get(Cost, engagement.cancellation_cost_id).amount == Decimal("150.00")
    told = db.session.scalar(
        db.select(OutboxMail)
        .where(OutboxMail.recipient == "anne@interpretes.example")
        .order_by(OutboxMail.id.desc())
    )
    assert told.subject == "Annulé : « Plenary »"
    assert (
        "les conditions d’annulation que vous avez acceptées s’appliquent" in told.body_text.lower()
    )


def test_relay_is_named_to_a_french_reader_in_their_words(app: Flask, day, make: Factory) -> None:
    # A speaker from Madrid: María works between Spanish and French, Anne between French and
    # English, so the visitors hear Spanish only through French.
    visit = day["visit"]
    visit.languages = "en,fr,es"
    day["plenary"].language = "es"
    db.session.commit()
    maria = interpreter(
        make, "María López", "maria@interpretes.example", [("es", "fr"), ("fr", "es")]
    )
    ask(day, "anne", ["plenary"], mode="consecutive", accept_warnings="y")
    day["lead"].post(
        day_path(day),
        data={
            "interpreter_id": maria.id,
            "mode": "consecutive",
            "items": [day["plenary"].id],
            "accept_warnings": "y",
        },
    )
    lead_fr = make.user(locale="fr")
    make.member(visit, lead_fr.person, MembershipRole.LEAD)
    french = app.test_client()
    sign_in(french, lead_fr)
    text = visible_text(french.get(day_path(day)).get_data(as_text=True))
    assert "interprétation espagnol → anglais seulement par relais, via français" in text


def test_the_interpreters_page_reads_the_same_whatever_the_number_of_requests(
    app: Flask, day, make: Factory
) -> None:
    from cop.database import count_queries

    def queries_of_anne_page() -> int:
        link = re.search(r"/interpreting/\S+", latest_mail().body_text).group(0)
        client = app.test_client()
        client.get(link)  # the first visit of a link records it; count a later one
        with count_queries(db.engine) as counter:
            assert client.get(link).status_code == 200
        return counter.count

    ask(day, "anne", ["plenary", "budget"], accept_warnings="y")
    one = queries_of_anne_page()
    for number in range(3):
        other = make.visit(start_date=DAY, end_date=DAY)
        make.member(other, day["lead_user"].person, MembershipRole.LEAD)
        first = make.item(
            other, title=f"A{number}", day=DAY, start=time(7), end=time(8), needs_interpreter=True
        )
        second = make.item(
            other, title=f"B{number}", day=DAY, start=time(17), end=time(18), needs_interpreter=True
        )
        day["lead"].post(
            f"/visits/{other.id}/interpreting/days/{DAY.isoformat()}",
            data={
                "interpreter_id": day["anne"].id,
                "mode": "consecutive",
                "items": [first.id, second.id],
                "accept_warnings": "y",
            },
        )
    assert db.session.scalar(db.select(db.func.count(Engagement.id))) == 4
    assert queries_of_anne_page() == one

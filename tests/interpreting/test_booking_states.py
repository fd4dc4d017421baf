"""The booking's states and their costs, who can take an item, and what a briefing carries: the
rules of cop.interpreting.bookings on a plain session, with no app."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.directory.models import Organisation, OrganisationKind
from cop.interpreting import bookings, engagements
from cop.interpreting.models import BookingStatus, Mode
from cop.planning.models import Cost, CostCategory, ExchangeRate
from cop.translation.models import GlossaryTerm
from cop.visits.models import MembershipRole
from tests.conftest import Factory

SOLO_LIMIT = 30
NOW = datetime(2016, 11, 20, 9, 0, tzinfo=UTC)


def costs(session: Session) -> list[Cost]:
    return list(session.scalars(select(Cost)))


def test_confirming_puts_the_estimate_into_the_visits_costs(
    build: Factory, session: Session
) -> None:
    programme = build.programme(reporting_currency="EUR")
    visit = build.visit(programme_id=programme.id)
    item = build.item(visit, title="Visite du Conseil de Paris")
    booking = build.booking(build.interpreter(), item, estimate=Decimal("350"))

    assert bookings.change_status(session, booking, BookingStatus.CONFIRMED, SOLO_LIMIT, NOW) == []

    [cost] = costs(session)
    assert booking.cost_id == cost.id and booking.answered_at == NOW
    assert (cost.category, cost.amount, cost.currency, cost.day) == (
        CostCategory.INTERPRETING,
        Decimal("350"),
        "EUR",
        date(2016, 12, 8),
    )
    assert cost.description.endswith(": Visite du Conseil de Paris")


def test_declining_or_cancelling_takes_the_cost_out_again(build: Factory, session: Session) -> None:
    item = build.item(build.visit(programme_id=build.programme().id))
    booking = build.booking(build.interpreter(), item)
    bookings.change_status(session, booking, BookingStatus.CONFIRMED, SOLO_LIMIT, NOW)
    assert len(costs(session)) == 1

    bookings.change_status(session, booking, BookingStatus.CANCELLED, SOLO_LIMIT, NOW)

    assert costs(session) == [] and booking.cost_id is None
    assert booking.status is BookingStatus.CANCELLED


def test_confirming_twice_does_not_count_the_cost_twice(build: Factory, session: Session) -> None:
    item = build.item(build.visit(programme_id=build.programme().id))
    booking = build.booking(build.interpreter(), item)
    for _ in range(2):
        bookings.change_status(session, booking, BookingStatus.CONFIRMED, SOLO_LIMIT, NOW)
    assert len(costs(session)) == 1


def test_a_booking_without_an_estimate_adds_no_cost(build: Factory, session: Session) -> None:
    item = build.item(build.visit(programme_id=build.programme().id))
    booking = build.booking(build.interpreter(day_rate=None), item, estimate=None)
    bookings.change_status(session, booking, BookingStatus.CONFIRMED, SOLO_LIMIT, NOW)
    assert costs(session) == [] and booking.status is BookingStatus.CONFIRMED


def test_confirming_is_refused_when_another_confirmed_item_clashes_and_nothing_changes(
    build: Factory, session: Session
) -> None:
    visit = build.visit(programme_id=build.programme().id)
    interpreter = build.interpreter()
    morning = build.item(visit, title="Morning", start=time(10, 0), end=time(12, 0))
    overlapping = build.item(visit, title="Overlapping", start=time(11, 0), end=time(13, 0))
    build.booking(interpreter, morning, BookingStatus.CONFIRMED)
    asked = build.booking(interpreter, overlapping)

    refusing = bookings.change_status(session, asked, BookingStatus.CONFIRMED, SOLO_LIMIT, NOW)

    assert [(p.kind, p.other) for p in refusing] == [("clash", "Morning")]
    assert asked.status is BookingStatus.REQUESTED and asked.answered_at is None
    assert costs(session) == []


def test_a_cancelled_item_clashes_with_nothing(build: Factory, session: Session) -> None:
    visit = build.visit()
    interpreter = build.interpreter()
    cancelled = build.item(visit, start=time(10, 0), end=time(12, 0), cancelled=True)
    build.booking(interpreter, cancelled, BookingStatus.CONFIRMED)
    item = build.item(visit, start=time(11, 0), end=time(12, 0))
    assert bookings.problems_for(session, interpreter, item, Mode.CONSECUTIVE, SOLO_LIMIT) == []


def test_a_second_simultaneous_interpreter_lifts_the_warning(
    build: Factory, session: Session
) -> None:
    visit = build.visit()
    long_item = build.item(visit, start=time(9, 0), end=time(12, 0))
    first, second = build.interpreter(), build.interpreter()
    alone = bookings.problems_for(session, first, long_item, Mode.SIMULTANEOUS, SOLO_LIMIT)
    assert [p.kind for p in alone] == ["second_interpreter"]

    build.booking(second, long_item, mode=Mode.SIMULTANEOUS)
    assert bookings.problems_for(session, first, long_item, Mode.SIMULTANEOUS, SOLO_LIMIT) == []


def test_a_request_fixes_the_fees_from_the_rates_of_the_day(
    build: Factory, session: Session
) -> None:
    visit = build.visit()
    item = build.item(visit, start=time(9, 0), end=time(11, 0))
    interpreter = build.interpreter(half_day_rate=Decimal("320"), currency="EUR")
    engagement = engagements.engage(
        session, visit, interpreter, [item], Mode.WHISPERED, [], note="Bring a headset"
    )
    interpreter.half_day_rate = Decimal("999")
    [booking] = engagement.bookings
    assert (engagement.estimate, booking.mode, booking.status) == (
        Decimal("320"),
        Mode.WHISPERED,
        BookingStatus.REQUESTED,
    )
    # Confirmed later, the fee is still the one asked with.
    bookings.change_status(session, booking, BookingStatus.CONFIRMED, SOLO_LIMIT, NOW)
    assert session.get(Cost, engagement.fees_cost_id).amount == Decimal("320")


def test_an_interpreters_euros_are_not_counted_as_pounds_when_no_rate_is_known(
    build: Factory, session: Session
) -> None:
    visit = build.visit(programme_id=build.programme(reporting_currency="GBP").id)
    booking = build.booking(
        build.interpreter(), build.item(visit), estimate=Decimal("450"), currency="EUR"
    )

    bookings.change_status(session, booking, BookingStatus.CONFIRMED, SOLO_LIMIT, NOW)

    [cost] = costs(session)
    assert (cost.amount, cost.currency, cost.rate) == (Decimal("450"), "EUR", None)


def test_an_interpreters_cost_takes_the_published_rate_of_its_day(
    build: Factory, session: Session
) -> None:
    visit = build.visit(programme_id=build.programme(reporting_currency="GBP").id)
    session.add(ExchangeRate(day=date(2016, 12, 8), currency="GBP", per_euro=Decimal("0.84")))
    booking = build.booking(
        build.interpreter(), build.item(visit), estimate=Decimal("450"), currency="EUR"
    )

    bookings.change_status(session, booking, BookingStatus.CONFIRMED, SOLO_LIMIT, NOW)

    [cost] = costs(session)
    assert cost.rate == Decimal("0.84")


def test_interpreters_with_a_pair_for_the_item_come_first(build: Factory, session: Session) -> None:
    visit = build.visit(languages="en,fr")
    item = build.item(visit, language="fr")
    spanish = build.interpreter(build.person(name="Aa Spanish"), pairs=[("es", "en")])
    french = build.interpreter(build.person(name="Zz French"), pairs=[("en", "fr")])

    found = bookings.candidates_for(session, visit, item)

    assert found.suitable == [french] and found.others == [spanish]
    assert found.all == [french, spanish]


def test_an_interpreter_opens_a_visits_briefing_only_while_a_booking_holds(
    build: Factory, session: Session
) -> None:
    visit = build.visit()
    interpreter = build.interpreter()
    booking = build.booking(interpreter, build.item(visit))
    assert bookings.booked_on(session, interpreter, visit)
    booking.status = BookingStatus.DECLINED
    assert not bookings.booked_on(session, interpreter, visit)
    assert not bookings.booked_on(session, interpreter, build.visit())


def test_the_briefing_carries_the_terms_the_agenda_uses_and_who_is_who(
    build: Factory, session: Session
) -> None:
    visit = build.visit(objective="Learn how the city runs its budget")
    interpreter = build.interpreter()
    item = build.item(visit, title="Rencontre avec les conseils de quartier")
    build.booking(interpreter, item)
    build.item(visit, title="Not theirs: the Mairie du 14e")
    council = build.organisation(name="Glasgow City Council")
    officer = build.person(name="An officer", organisation_id=council.id)
    build.member(visit, officer)
    build.member(visit, interpreter.person, MembershipRole.INTERPRETER)
    own_term = GlossaryTerm(
        language_a="fr",
        language_b="en",
        term_a="tiers-lieu",
        term_b="third place",
        domain="",
        visit_id=visit.id,
    )
    used = GlossaryTerm(
        language_a="fr",
        language_b="en",
        term_a="conseil de quartier",
        term_b="neighbourhood council",
        domain="",
    )
    unused = GlossaryTerm(
        language_a="fr",
        language_b="en",
        term_a="mairie d'arrondissement",
        term_b="district hall",
        domain="",
    )
    always = GlossaryTerm(
        language_a="fr",
        language_b="en",
        term_a="vote",
        term_b="vote",
        domain="Participatory budgeting",
    )
    session.add_all([own_term, used, unused, always])
    session.flush()

    briefing = bookings.briefing_for(session, visit, interpreter)

    assert briefing.items == [item]
    assert briefing.people == [officer] and briefing.organisations == [council]
    assert set(briefing.terms) == {own_term, used, always}


def test_an_organisation_without_people_in_the_visit_is_not_in_the_briefing(
    build: Factory, session: Session
) -> None:
    visit = build.visit()
    interpreter = build.interpreter()
    build.booking(interpreter, build.item(visit))
    session.add(Organisation(name="Unrelated", kind=OrganisationKind.COUNCIL, country="FR"))
    session.flush()
    assert bookings.briefing_for(session, visit, interpreter).organisations == []

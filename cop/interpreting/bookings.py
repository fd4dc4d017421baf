"""Bookings of interpreters, as the database holds them: who can take an item, asking them, the
states a booking moves through with the cost each puts in the visit's planning, and what goes
into an interpreter's briefing pack. Plain functions of a session (no Flask); the views word
the problems and speak HTTP.

A booking is *requested* when a lead asks, then *confirmed* or *declined* by the interpreter
(or by a lead on their behalf), and may be *cancelled* later. Confirming checks clashes again,
because another item may have been confirmed since the request, and puts the estimate into the
visit's costs; leaving *confirmed* takes that cost out again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from cop.directory.models import Organisation, Person
from cop.documents.models import VisitDocument
from cop.interpreting import logic, teams
from cop.interpreting.models import Booking, BookingStatus, Engagement, Interpreter, Mode
from cop.itinerary.logic import Slot, in_zone
from cop.itinerary.models import ItineraryItem
from cop.planning.models import Cost, CostCategory
from cop.planning.rates import rate_for
from cop.translation.models import GlossaryTerm
from cop.translation.scopes import applying_to
from cop.visits.models import Membership, MembershipRole, Visit

# The purpose of the personal link through which an interpreter answers and reads briefings.
LINK_PURPOSE = "interpreter"
# Bookings that hold the interpreter's time (a request may still be accepted).
HOLDING = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
# General glossary domains every briefing carries, whatever the agenda says.
BRIEFING_DOMAINS = ("participatory budgeting", "local government")


def slot_of(item: ItineraryItem) -> Slot:
    return Slot(
        item_id=item.id,
        title=item.title,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        time_zone=item.time_zone,
        place=item.place,
        travel_minutes=item.travel_minutes,
    )


def problems_for(
    session: Session,
    interpreter: Interpreter,
    item: ItineraryItem,
    mode: Mode,
    solo_limit_minutes: int,
) -> list[logic.Problem]:
    """Step one in SQL (the interpreter's confirmed items within a day of this one, and whether
    a colleague shares a simultaneous item), step two in Python (``logic.booking_problems``)."""
    window = timedelta(days=1)
    nearby = session.scalars(
        select(ItineraryItem)
        .join(Booking, Booking.item_id == ItineraryItem.id)
        .where(
            Booking.interpreter_id == interpreter.id,
            Booking.status == BookingStatus.CONFIRMED,
            ItineraryItem.cancelled.is_(False),
            ItineraryItem.starts_at < item.ends_at + window,
            ItineraryItem.ends_at > item.starts_at - window,
        )
    ).all()
    colleagues = session.scalar(
        select(func.count(Booking.id)).where(
            Booking.item_id == item.id,
            Booking.interpreter_id != interpreter.id,
            Booking.mode == Mode.SIMULTANEOUS,
            Booking.status.in_(HOLDING),
        )
    )
    return logic.booking_problems(
        slot_of(item),
        [slot_of(other) for other in nearby],
        [(u.first_day, u.last_day) for u in interpreter.unavailable],
        mode is Mode.SIMULTANEOUS,
        solo_limit_minutes,
        colleagues or 0,
    )


@dataclass(frozen=True)
class Candidates:
    """Everyone in the directory for an item: first those with a pair between the item's
    language and another of the visit's languages, then the rest."""

    suitable: list[Interpreter]
    others: list[Interpreter]

    @property
    def all(self) -> list[Interpreter]:
        return [*self.suitable, *self.others]


def candidates_for(session: Session, visit: Visit, item: ItineraryItem) -> Candidates:
    everyone = session.scalars(
        select(Interpreter)
        .join(Person, Person.id == Interpreter.person_id)
        .options(
            selectinload(Interpreter.pairs),
            selectinload(Interpreter.person),
            selectinload(Interpreter.unavailable),
        )
        .order_by(Person.name)
    ).all()
    other_languages = {code for code in visit.language_list if code != item.language}

    def covers(interpreter: Interpreter) -> bool:
        return any(
            (p.source == item.language and p.target in other_languages)
            or (p.target == item.language and p.source in other_languages)
            for p in interpreter.pairs
        )

    suitable = [interpreter for interpreter in everyone if covers(interpreter)]
    return Candidates(suitable, [i for i in everyone if i not in suitable])


def change_status(
    session: Session,
    booking: Booking,
    status: BookingStatus,
    solo_limit_minutes: int,
    now: datetime,
    cancellation_label: str = "Cancellation fee",
) -> list[logic.Problem]:
    """Move a booking on. Returns the problems that refuse it (then nothing has changed).

    A booking of an engagement has no cost of its own: the engagement's fees line follows its
    confirmed days, and cancelling confirmed work adds the fee its terms ask for (worded in the
    visit's costs with ``cancellation_label``)."""
    item = booking.item
    was_confirmed = booking.status is BookingStatus.CONFIRMED
    if status is BookingStatus.CONFIRMED:
        refusing = [
            problem
            for problem in problems_for(
                session, booking.interpreter, item, booking.mode, solo_limit_minutes
            )
            if problem.refuses
        ]
        if refusing:
            return refusing
        if (
            booking.engagement_id is None
            and booking.cost_id is None
            and booking.estimate is not None
        ):
            booking.cost_id = _cost_of(session, booking).id
    elif booking.cost_id is not None:
        cost = session.get(Cost, booking.cost_id)
        if cost is not None:
            session.delete(cost)
        booking.cost_id = None
    booking.status = status
    booking.answered_at = now
    if booking.engagement is not None:
        if was_confirmed and status is BookingStatus.CANCELLED:
            _charge_cancellation(session, booking, now, cancellation_label)
        _follow_fees(session, booking.engagement)
    return []


def release_for_cancelled_item(
    session: Session, item: ItineraryItem, now: datetime, cancellation_label: str
) -> list[tuple[Booking, bool]]:
    """An item cancelled in the itinerary cancels the bookings that held an interpreter for it
    (confirmed work then costs what its terms ask); returns them, for the interpreters to be
    told, each with whether their work had been confirmed (then the terms apply)."""
    released = []
    for booking in bookings_of_item(session, item):
        if booking.status in HOLDING:
            confirmed = booking.status is BookingStatus.CONFIRMED
            change_status(session, booking, BookingStatus.CANCELLED, 0, now, cancellation_label)
            released.append((booking, confirmed))
    return released


def _confirmed_slots(engagement: Engagement, besides: Booking | None = None) -> list[Slot]:
    return [
        slot_of(b.item)
        for b in engagement.bookings
        if (b.status is BookingStatus.CONFIRMED and not b.item.cancelled) or b is besides
    ]


def _engagement_cost(session: Session, engagement: Engagement, description: str) -> Cost:
    first = min(b.item.starts_at for b in engagement.bookings)
    day = in_zone(first, engagement.bookings[0].item.time_zone).date()
    return _interpreting_cost(
        session, engagement.visit, day, description, Decimal(0), engagement.currency
    )


def _follow_fees(session: Session, engagement: Engagement) -> None:
    """The engagement's fees line: one fee per confirmed day at the rates asked with, or no
    line when no day is confirmed."""
    fees = teams.day_fees(
        _confirmed_slots(engagement), engagement.day_rate, engagement.half_day_rate
    )
    line = session.get(Cost, engagement.fees_cost_id) if engagement.fees_cost_id else None
    if fees is None or fees.total is None:
        if line is not None:
            session.delete(line)
        engagement.fees_cost_id = None
        return
    titles = ", ".join(
        b.item.title for b in engagement.bookings if b.status is BookingStatus.CONFIRMED
    )
    if line is None:
        line = _engagement_cost(session, engagement, "")
        engagement.fees_cost_id = line.id
    line.amount = fees.total
    line.description = f"{engagement.interpreter.person.name}: {titles}"[:300]


def _charge_cancellation(
    session: Session, booking: Booking, now: datetime, cancellation_label: str
) -> None:
    """What cancelling this confirmed item costs: the part of the fees it takes away (a day
    whose other items stay costs nothing more), times the share the terms ask for at this
    notice, counted in days on the host's clock."""
    engagement = booking.engagement
    assert engagement is not None
    rates = (engagement.day_rate, engagement.half_day_rate)
    before = teams.day_fees(_confirmed_slots(engagement, besides=booking), *rates)
    after = teams.day_fees(_confirmed_slots(engagement), *rates)
    lost = (before.total if before and before.total else 0) - (
        after.total if after and after.total else 0
    )
    zone = booking.item.time_zone
    notice = (in_zone(booking.item.starts_at, zone).date() - in_zone(now, zone).date()).days
    percent = teams.cancellation_percent(engagement.terms, notice)
    fee = (Decimal(lost) * percent / 100).quantize(Decimal("0.01"))
    if fee <= 0:
        return
    line = (
        session.get(Cost, engagement.cancellation_cost_id)
        if engagement.cancellation_cost_id
        else None
    )
    if line is None:
        line = _engagement_cost(session, engagement, "")
        line.description = f"{engagement.interpreter.person.name}: {cancellation_label}"
        engagement.cancellation_cost_id = line.id
    line.amount = Decimal(line.amount or 0) + fee
    separator = " – " if line.amount == fee else "; "
    line.description = f"{line.description}{separator}{booking.item.title} ({percent} %)"[:300]


def _cost_of(session: Session, booking: Booking) -> Cost:
    item = booking.item
    return _interpreting_cost(
        session,
        item.visit,
        in_zone(item.starts_at, item.time_zone).date(),
        f"{booking.interpreter.person.name}: {item.title}",
        booking.estimate,
        booking.currency,
    )


def _interpreting_cost(
    session: Session,
    visit: Visit,
    day: date,
    description: str,
    amount: Decimal | None,
    currency: str,
) -> Cost:
    """A line of the visit's costs for interpreting, converted at the visit's rate of the day."""
    cost = Cost(
        visit_id=visit.id,
        day=day,
        category=CostCategory.INTERPRETING,
        description=description,
        amount=amount,
        currency=currency,
        rate=rate_for(session, visit, currency, day),
        paid_by="",
    )
    session.add(cost)
    session.flush()
    return cost


def confirmed_interpreters(session: Session, item_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of the interpreters confirmed for each item, in one query: what calendars and
    invitations say instead of "interpreter needed" once someone has said yes."""
    ids = list(item_ids)
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    rows = session.execute(
        select(Booking.item_id, Person.name)
        .join(Interpreter, Interpreter.id == Booking.interpreter_id)
        .join(Person, Person.id == Interpreter.person_id)
        .where(Booking.item_id.in_(ids), Booking.status == BookingStatus.CONFIRMED)
        .order_by(Booking.item_id, Person.name)
    )
    for item_id, name in rows:
        found.setdefault(item_id, []).append(name)
    return found


def booked_on(session: Session, interpreter: Interpreter, visit: Visit) -> bool:
    """Whether the interpreter has a booking in the visit that still holds (what lets them
    open its briefing and documents through their link)."""
    return (
        session.scalar(
            select(Booking.id)
            .join(ItineraryItem, ItineraryItem.id == Booking.item_id)
            .where(
                Booking.interpreter_id == interpreter.id,
                ItineraryItem.visit_id == visit.id,
                Booking.status.in_(HOLDING),
            )
            .limit(1)
        )
        is not None
    )


def bookings_of_interpreter(
    session: Session, interpreter: Interpreter, *, newest_first: bool = False
) -> list[Booking]:
    order = ItineraryItem.starts_at.desc() if newest_first else ItineraryItem.starts_at
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.interpreter_id == interpreter.id)
            .join(ItineraryItem, ItineraryItem.id == Booking.item_id)
            .options(
                selectinload(Booking.item).selectinload(ItineraryItem.visit),
                # The interpreter's page answers whole requests: each with all its items.
                selectinload(Booking.engagement)
                .selectinload(Engagement.bookings)
                .selectinload(Booking.item),
            )
            .order_by(order)
        )
    )


def bookings_of_item(session: Session, item: ItineraryItem) -> list[Booking]:
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.item_id == item.id)
            .options(selectinload(Booking.interpreter).selectinload(Interpreter.person))
        )
    )


@dataclass(frozen=True)
class VisitBookings:
    bookings: list[Booking]
    unbooked: list[ItineraryItem]  # items that need an interpreter and have none holding

    @property
    def interpreters(self) -> set[Interpreter]:
        return {b.interpreter for b in self.bookings if b.status is not BookingStatus.CANCELLED}


def bookings_of_visit(session: Session, visit: Visit) -> VisitBookings:
    bookings = list(
        session.scalars(
            select(Booking)
            .join(ItineraryItem, ItineraryItem.id == Booking.item_id)
            .where(ItineraryItem.visit_id == visit.id)
            .options(
                selectinload(Booking.item),
                selectinload(Booking.interpreter).selectinload(Interpreter.person),
            )
            .order_by(ItineraryItem.starts_at, Booking.id)
        )
    )
    items = session.scalars(
        select(ItineraryItem)
        .where(ItineraryItem.visit_id == visit.id, ItineraryItem.cancelled.is_(False))
        .order_by(ItineraryItem.starts_at)
    ).all()
    booked = {b.item_id for b in bookings if b.status is not BookingStatus.CANCELLED}
    return VisitBookings(bookings, [i for i in items if i.needs_interpreter and i.id not in booked])


@dataclass(frozen=True)
class Briefing:
    """The briefing pack: the interpreter's items, who is who, the organisations explained, the
    glossary terms that matter for this visit, the documents."""

    visit: Visit
    interpreter: Interpreter
    items: list[ItineraryItem]
    people: list[Person]
    organisations: list[Organisation]
    terms: list[GlossaryTerm]
    documents: list[VisitDocument]


def briefing_for(session: Session, visit: Visit, interpreter: Interpreter) -> Briefing:
    items = list(
        session.scalars(
            select(ItineraryItem)
            .join(Booking, Booking.item_id == ItineraryItem.id)
            .where(
                ItineraryItem.visit_id == visit.id,
                Booking.interpreter_id == interpreter.id,
                Booking.status.in_(HOLDING),
            )
            .options(selectinload(ItineraryItem.host_contact))
            .order_by(ItineraryItem.starts_at)
        )
    )
    members = session.scalars(
        select(Membership)
        .where(Membership.visit_id == visit.id, Membership.role != MembershipRole.INTERPRETER)
        .options(selectinload(Membership.person).selectinload(Person.organisation))
    ).all()
    people = sorted((m.person for m in members), key=lambda p: (p.organisation_id or 0, p.name))
    organisations = sorted(
        {p.organisation for p in people if p.organisation is not None}, key=lambda o: o.name
    )
    agenda = " ".join([visit.objective, *(i.title for i in items), *(i.notes for i in items)])
    terms = [
        term
        for term in session.scalars(
            select(GlossaryTerm).where(applying_to(visit)).order_by(GlossaryTerm.term_a)
        )
        if briefing_needs(term, agenda)
    ]
    documents = list(
        session.scalars(
            select(VisitDocument)
            .where(VisitDocument.visit_id == visit.id)
            .order_by(VisitDocument.title)
        )
    )
    return Briefing(visit, interpreter, items, people, organisations, terms, documents)


def briefing_needs(term: GlossaryTerm, agenda: str) -> bool:
    """The terms of the visit, its programme and its host city; the installation's that its
    agenda uses (in either language); and those of the domains every briefing carries."""
    return (
        not term.everywhere
        or logic.term_used(term.term_a, agenda)
        or bool(term.term_b and logic.term_used(term.term_b, agenda))
        or term.domain.lower() in BRIEFING_DOMAINS
    )

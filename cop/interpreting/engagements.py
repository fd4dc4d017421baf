"""The interpreters' day as the database holds it: the items of one day of a visit with who is
held for them, read into ``cop.interpreting.teams``' rules; and engaging an interpreter for a
whole day or several items at once (one request, one mail, one fee per day, cancellation terms).
Plain functions of a session (no Flask)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cop.interpreting import logic, teams
from cop.interpreting.bookings import HOLDING, change_status, problems_for, slot_of
from cop.interpreting.models import Booking, BookingStatus, Engagement, Interpreter, Mode
from cop.itinerary.logic import in_zone
from cop.itinerary.models import ItineraryItem
from cop.itinerary.queries import live_items_of_visit
from cop.visits.models import Visit

WORKING_MODES = (Mode.SIMULTANEOUS, Mode.WHISPERED)


def local_day(item: ItineraryItem) -> date:
    return in_zone(item.starts_at, item.time_zone).date()


def _holding_bookings(session: Session, item_ids: Sequence[int]) -> list[Booking]:
    if not item_ids:
        return []
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.item_id.in_(item_ids), Booking.status.in_(HOLDING))
            .options(
                selectinload(Booking.interpreter).selectinload(Interpreter.person),
                selectinload(Booking.interpreter).selectinload(Interpreter.pairs),
                selectinload(Booking.engagement),
            )
            .order_by(Booking.id)
        )
    )


def interpreting_days(session: Session, visit: Visit) -> list[date]:
    """The days on the host's clock with an item that needs an interpreter or has one."""
    items = session.scalars(live_items_of_visit(visit.id)).all()
    held = set(
        session.scalars(
            select(Booking.item_id).where(
                Booking.item_id.in_([i.id for i in items]), Booking.status.in_(HOLDING)
            )
        )
    )
    return sorted({local_day(i) for i in items if i.needs_interpreter or i.id in held})


@dataclass(frozen=True)
class Day:
    """One day's interpreting: its items (those that need an interpreter or have one), who is
    held for each, and what the rules find."""

    day: date
    items: list[ItineraryItem]
    held: dict[int, list[Booking]]
    findings: list[teams.Finding]

    @property
    def needing(self) -> list[ItineraryItem]:
        return [item for item in self.items if item.needs_interpreter]


def _interpreting(booking: Booking) -> teams.Interpreting:
    engagement = booking.engagement
    return teams.Interpreting(
        name=booking.interpreter.person.name,
        pairs=frozenset((p.source, p.target) for p in booking.interpreter.pairs),
        simultaneous=booking.mode in WORKING_MODES,
        arrives_at=engagement.arrives_at if engagement else None,
        journey_minutes=(engagement.journey_minutes or 0) if engagement else 0,
    )


def day_of_visit(session: Session, visit: Visit, day: date, solo_limit_minutes: int) -> Day:
    # A day on any clock lies within a day either side of the same date in UTC.
    around = datetime.combine(day, time(0), tzinfo=UTC)
    nearby = session.scalars(
        live_items_of_visit(visit.id).where(
            ItineraryItem.starts_at >= around - timedelta(days=1),
            ItineraryItem.starts_at < around + timedelta(days=2),
        )
    )
    on_day = [item for item in nearby if local_day(item) == day]
    bookings = _holding_bookings(session, [item.id for item in on_day])
    held: dict[int, list[Booking]] = {}
    for booking in bookings:
        held.setdefault(booking.item_id, []).append(booking)
    items = [item for item in on_day if item.needs_interpreter or item.id in held]
    work = [
        teams.WorkItem(
            slot_of(item),
            item.language,
            tuple(_interpreting(b) for b in held.get(item.id, [])),
        )
        for item in items
    ]
    findings = teams.day_findings(work, visit.language_list, solo_limit_minutes)
    return Day(day, items, held, findings)


def engagement_problems(
    session: Session,
    interpreter: Interpreter,
    items: Sequence[ItineraryItem],
    mode: Mode,
    solo_limit_minutes: int,
    arrives_at: datetime | None = None,
    journey_minutes: int = 0,
) -> list[tuple[ItineraryItem, logic.Problem]]:
    """What stands against engaging the interpreter for all these items: each item's own
    problems (``bookings.problems_for``), items asked together that run at the same time (one
    person cannot be in two rooms), and too little rest after their journey."""
    found = [
        (item, problem)
        for item in items
        for problem in problems_for(session, interpreter, item, mode, solo_limit_minutes)
    ]
    ordered = sorted(items, key=lambda i: i.starts_at)
    for position, item in enumerate(ordered):
        for other in ordered[position + 1 :]:
            if other.starts_at < item.ends_at:
                found.append((other, logic.Problem("parallel", item.title)))
    if arrives_at is not None and ordered:
        short = teams.rest_short(ordered[0].starts_at, arrives_at, journey_minutes)
        if short is not None:
            rest, needed = short
            found.append((ordered[0], logic.Problem("rest", minutes=rest, needed=needed)))
    return found


def engage(
    session: Session,
    visit: Visit,
    interpreter: Interpreter,
    items: Sequence[ItineraryItem],
    mode: Mode,
    terms: Sequence[teams.CancellationTerm],
    *,
    arrives_at: datetime | None = None,
    journey_minutes: int = 0,
    warnings: str = "",
    note: str = "",
) -> Engagement:
    """Ask the interpreter for all the items at once (the caller has checked
    ``engagement_problems``): one engagement, a requested booking per item, the fees fixed
    now from their rates, one fee per day."""
    fees = teams.day_fees(
        [slot_of(item) for item in items], interpreter.day_rate, interpreter.half_day_rate
    )
    engagement = Engagement(
        visit_id=visit.id,
        interpreter_id=interpreter.id,
        mode=mode,
        arrives_at=arrives_at,
        journey_minutes=journey_minutes,
        cancellation_terms=[[t.days, t.percent] for t in terms],
        day_rate=interpreter.day_rate,
        half_day_rate=interpreter.half_day_rate,
        estimate=fees.total if fees else None,
        currency=interpreter.currency,
        note=note,
    )
    session.add(engagement)
    session.flush()
    for item in sorted(items, key=lambda i: i.starts_at):
        session.add(
            Booking(
                interpreter_id=interpreter.id,
                item_id=item.id,
                mode=mode,
                engagement_id=engagement.id,
                currency=interpreter.currency,
                warnings=warnings,
                note=note,
            )
        )
    session.flush()
    session.refresh(engagement, ["bookings"])
    return engagement


def answer_engagement(
    session: Session,
    engagement: Engagement,
    answer: BookingStatus,
    solo_limit_minutes: int,
    now: datetime,
) -> list[tuple[Booking, logic.Problem]]:
    """The interpreter accepts or declines every item still waiting for their answer. Either
    all are confirmed or, when one cannot be (it clashes with work confirmed since), none is:
    the refusals are returned and the caller rolls back."""
    refused = []
    for booking in engagement.bookings:
        if booking.status is not BookingStatus.REQUESTED:
            continue
        refused.extend(
            (booking, problem)
            for problem in change_status(session, booking, answer, solo_limit_minutes, now)
        )
    return refused


def engagements_of_visit(session: Session, visit: Visit) -> list[Engagement]:
    return list(
        session.scalars(
            select(Engagement)
            .where(Engagement.visit_id == visit.id)
            .options(
                selectinload(Engagement.bookings).selectinload(Booking.item),
                selectinload(Engagement.interpreter).selectinload(Interpreter.person),
            )
            .order_by(Engagement.created_at, Engagement.id)
        )
    )


def waiting(engagement: Engagement) -> bool:
    return any(b.status is BookingStatus.REQUESTED for b in engagement.bookings)

"""A visit's task list, and each member's own, derived from what cop knows (no Flask here).

Nothing is typed: every status is read from the rows the work leaves behind (a member added, a
poll closed, a booking confirmed, a reflection submitted), so a list is never out of date. The
states are the GOV.UK task list's: a task can be completed, in progress, not yet started, not
possible yet (it waits for another) or not needed for this visit."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from cop.correspondence.models import Direction, Message, Thread
from cop.interpreting.models import Booking, BookingStatus
from cop.itinerary.models import ItineraryItem
from cop.network.models import Contact
from cop.polls.models import DatePoll, PollInvitee
from cop.reflections.models import Phase, Reflection
from cop.reflections.reminders import FOLLOW_UPS, REFLECTING_ROLES, follow_up_due
from cop.social.logic import accepted_by, consents_of, protocol_of
from cop.social.models import ProtocolAcknowledgement, SocialProtocol
from cop.visits.models import Membership, MembershipRole, Visit, VisitStatus


class State(enum.Enum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    CANNOT_START = "cannot_start"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class Task:
    """One line of a task list. ``done`` of ``total`` count what the line is made of (members
    who reflected, bookings confirmed); ``due`` is the day a waiting task opens or is due."""

    key: str
    state: State
    done: int | None = None
    total: int | None = None
    due: date | None = None
    # The part of the visit the line leads to, for the view to turn into an address.
    target: dict[str, int] = field(default_factory=dict)


def _roles(session: Session, visit_id: int) -> dict[int, MembershipRole]:
    rows = session.execute(
        select(Membership.person_id, Membership.role).where(Membership.visit_id == visit_id)
    )
    return {person_id: role for person_id, role in rows}


def _travellers(roles: dict[int, MembershipRole]) -> set[int]:
    return {person for person, role in roles.items() if role in REFLECTING_ROLES}


def _submitted(session: Session, visit_id: int) -> dict[Phase, set[int]]:
    """Who submitted a reflection of each phase, in one query."""
    rows = session.execute(
        select(Reflection.phase, Reflection.person_id)
        .where(Reflection.visit_id == visit_id, Reflection.submitted_at.is_not(None))
        .distinct()
    )
    submitted: dict[Phase, set[int]] = {}
    for phase, person_id in rows:
        submitted.setdefault(phase, set()).add(person_id)
    return submitted


def _share(done: int, total: int) -> State:
    if total and done >= total:
        return State.DONE
    return State.IN_PROGRESS if done else State.NOT_STARTED


def is_over(visit: Visit, today: date) -> bool:
    if visit.status in (VisitStatus.DONE, VisitStatus.EVALUATED):
        return True
    return visit.end_date is not None and visit.end_date < today


def has_begun(visit: Visit, today: date) -> bool:
    if visit.status in (VisitStatus.UNDER_WAY, VisitStatus.DONE, VisitStatus.EVALUATED):
        return True
    return visit.start_date is not None and visit.start_date <= today


def _objective_and_members(visit: Visit, roles: dict[int, MembershipRole]) -> Task:
    travellers = len(_travellers(roles))
    parts = [bool(visit.objective), travellers > 0, MembershipRole.HOST in roles.values()]
    state = State.DONE if all(parts) else State.IN_PROGRESS if any(parts) else State.NOT_STARTED
    return Task("members", state, done=travellers)


def _dates(session: Session, visit: Visit) -> Task:
    # Asked whether or not the dates are known, so that the page's queries do not depend on it.
    open_poll = session.execute(
        select(DatePoll.id, func.count(PollInvitee.answered_at), func.count(PollInvitee.id))
        .outerjoin(PollInvitee, PollInvitee.poll_id == DatePoll.id)
        .where(DatePoll.visit_id == visit.id, DatePoll.closed_at.is_(None))
        .group_by(DatePoll.id)
        .order_by(DatePoll.id.desc())
        .limit(1)
    ).first()
    if visit.start_date is not None:
        return Task("dates", State.DONE)
    if open_poll is None:
        return Task("dates", State.NOT_STARTED)
    poll_id, answered, asked = open_poll
    return Task("dates", State.IN_PROGRESS, answered, asked, target={"poll_id": poll_id})


@dataclass(frozen=True)
class _Items:
    live: int
    needing: int
    covered: int


def _items(session: Session, visit_id: int) -> _Items:
    """The visit's items that still take place, those that need an interpreter and those an
    interpreter has confirmed, in two queries."""
    live = select(ItineraryItem.id).where(
        ItineraryItem.visit_id == visit_id, ItineraryItem.cancelled.is_(False)
    )
    needs = list(
        session.execute(
            select(ItineraryItem.id, ItineraryItem.needs_interpreter).where(
                ItineraryItem.id.in_(live)
            )
        )
    )
    covered = session.scalar(
        select(func.count(distinct(Booking.item_id))).where(
            Booking.item_id.in_(live), Booking.status == BookingStatus.CONFIRMED
        )
    )
    return _Items(len(needs), sum(bool(needed) for _, needed in needs), covered or 0)


def _itinerary(visit: Visit, items: _Items) -> Task:
    if items.live:
        return Task("itinerary", State.DONE, done=items.live)
    return Task("itinerary", State.NOT_STARTED if visit.start_date else State.CANNOT_START)


def _interpreters(visit: Visit, items: _Items) -> Task:
    if items.needing:
        covered = min(items.covered, items.needing)
        return Task("interpreters", _share(covered, items.needing), covered, items.needing)
    if items.covered:
        return Task("interpreters", State.DONE, items.covered, items.covered)
    if len(visit.language_list) <= 1:
        return Task("interpreters", State.NOT_NEEDED)
    # Two languages: someone has to say which items need an interpreter, once there are some.
    return Task("interpreters", State.NOT_STARTED if items.live else State.CANNOT_START)


def _protocol(session: Session, visit: Visit, travellers: set[int]) -> Task:
    protocol = protocol_of(session, visit.id)
    accepted = len(accepted_by(session, protocol) & travellers)
    if protocol.approved_at is not None and travellers and accepted >= len(travellers):
        return Task("protocol", State.DONE, accepted, len(travellers))
    started = protocol.approved_at is not None or accepted or protocol.platforms
    state = State.IN_PROGRESS if started else State.NOT_STARTED
    return Task("protocol", state, accepted, len(travellers))


def _correspondence(session: Session, visit: Visit) -> Task:
    directions = set(
        session.scalars(
            select(Message.direction)
            .join(Thread, Thread.id == Message.thread_id)
            .where(Thread.visit_id == visit.id)
            .distinct()
        )
    )
    if Direction.INBOUND in directions:
        return Task("correspondence", State.DONE)
    return Task("correspondence", State.IN_PROGRESS if directions else State.NOT_STARTED)


def _reflections(
    visit: Visit, phase: Phase, travellers: set[int], submitted: dict[Phase, set[int]], today: date
) -> Task:
    key = f"reflections_{phase.value}"
    if phase is Phase.AFTER and not is_over(visit, today):
        return Task(key, State.CANNOT_START, due=visit.end_date)
    done = len(submitted.get(phase, set()) & travellers)
    return Task(key, _share(done, len(travellers)), done, len(travellers))


def _contacts(session: Session, visit: Visit) -> Task:
    count = session.scalar(select(func.count(Contact.id)).where(Contact.visit_id == visit.id))
    return Task("contacts", State.DONE if count else State.NOT_STARTED, done=count)


def _follow_ups(
    visit: Visit, travellers: set[int], submitted: dict[Phase, set[int]], today: date
) -> Task:
    if visit.end_date is None:
        return Task("follow_ups", State.CANNOT_START)
    due = [(phase, follow_up_due(visit.end_date, phase)) for phase in FOLLOW_UPS]
    opened = [phase for phase, day in due if day <= today]
    if not opened:
        return Task("follow_ups", State.CANNOT_START, due=due[0][1])
    wanted = len(opened) * len(travellers)
    done = sum(len(submitted.get(phase, set()) & travellers) for phase in opened)
    following = next((day for _, day in due if day > today), None)
    return Task("follow_ups", _share(done, wanted), done, wanted, due=following)


def _report(visit: Visit, today: date) -> Task:
    if visit.status is VisitStatus.EVALUATED:
        return Task("report", State.DONE)
    if is_over(visit, today):
        return Task("report", State.NOT_STARTED)
    return Task("report", State.CANNOT_START, due=visit.end_date)


# The sections of a visit's list, in the order the work comes.
SECTIONS = {
    "prepare": ("members", "dates", "itinerary", "interpreters", "protocol", "correspondence"),
    "learn": ("reflections_before", "reflections_after", "contacts"),
    "follow_up": ("follow_ups", "report"),
}


def visit_tasks(session: Session, visit: Visit, today: date) -> list[Task]:
    """The visit's whole list, in the order of ``SECTIONS``; ``today`` in the visit's zone.
    Nine queries, whatever the size of the visit."""
    roles = _roles(session, visit.id)
    travellers = _travellers(roles)
    submitted = _submitted(session, visit.id)
    items = _items(session, visit.id)
    return [
        _objective_and_members(visit, roles),
        _dates(session, visit),
        _itinerary(visit, items),
        _interpreters(visit, items),
        _protocol(session, visit, travellers),
        _correspondence(session, visit),
        _reflections(visit, Phase.BEFORE, travellers, submitted, today),
        _reflections(visit, Phase.AFTER, travellers, submitted, today),
        _contacts(session, visit),
        _follow_ups(visit, travellers, submitted, today),
        _report(visit, today),
    ]


def _phase_now(visit: Visit, today: date) -> Phase:
    """The reflection a traveller is asked for now: before until the visit begins, during it,
    soon after it, then each follow-up from its day on."""
    if not has_begun(visit, today):
        return Phase.BEFORE
    if not is_over(visit, today):
        return Phase.DURING
    if visit.end_date is None:
        return Phase.AFTER
    opened = [phase for phase in FOLLOW_UPS if follow_up_due(visit.end_date, phase) <= today]
    return opened[-1] if opened else Phase.AFTER


def today_at(visit: Visit, now: datetime) -> date:
    """Today where the visit takes place, which is when its days begin and end."""
    return now.astimezone(ZoneInfo(visit.time_zone or "UTC")).date()


def members_tasks(
    session: Session,
    person_id: int,
    roles: dict[int, MembershipRole],
    visits: list[Visit],
    now: datetime,
) -> dict[int, list[Task]]:
    """What one person has to do for each of their visits (``roles`` by visit id): answer a
    date poll, reflect, accept the protocol, log contacts; only what applies to their role.
    Five queries for all the visits together, so that a home page does not grow with them."""
    visit_ids = [visit.id for visit in visits]
    unanswered = dict(
        session.execute(
            select(DatePoll.visit_id, func.max(DatePoll.id))
            .join(PollInvitee, PollInvitee.poll_id == DatePoll.id)
            .where(
                DatePoll.visit_id.in_(visit_ids),
                DatePoll.closed_at.is_(None),
                PollInvitee.person_id == person_id,
                PollInvitee.answered_at.is_(None),
            )
            .group_by(DatePoll.visit_id)
        ).all()
    )
    newest: dict[tuple[int, Phase], tuple[int, bool]] = {}
    for visit_id, phase, reflection_id, submitted_at in session.execute(
        select(Reflection.visit_id, Reflection.phase, Reflection.id, Reflection.submitted_at)
        .where(Reflection.visit_id.in_(visit_ids), Reflection.person_id == person_id)
        .order_by(Reflection.id)
    ):
        newest[(visit_id, phase)] = (reflection_id, submitted_at is not None)
    approved = set(
        session.scalars(
            select(SocialProtocol.visit_id).where(
                SocialProtocol.visit_id.in_(visit_ids), SocialProtocol.approved_at.is_not(None)
            )
        )
    )
    accepted = set(
        session.scalars(
            select(SocialProtocol.visit_id)
            .join(ProtocolAcknowledgement, ProtocolAcknowledgement.protocol_id == SocialProtocol.id)
            .where(
                SocialProtocol.visit_id.in_(visit_ids),
                ProtocolAcknowledgement.person_id == person_id,
                ProtocolAcknowledgement.version == SocialProtocol.version,
            )
        )
    )
    logged = dict(
        session.execute(
            select(Contact.visit_id, func.count(Contact.id))
            .where(
                Contact.visit_id.in_(visit_ids),
                or_(Contact.from_person_id == person_id, Contact.logged_by_id == person_id),
            )
            .group_by(Contact.visit_id)
        ).all()
    )
    lists: dict[int, list[Task]] = {}
    for visit in visits:
        today = today_at(visit, now)
        tasks: list[Task] = []
        if visit.id in unanswered:
            tasks.append(
                Task("answer_poll", State.NOT_STARTED, target={"poll_id": unanswered[visit.id]})
            )
        if roles.get(visit.id) in REFLECTING_ROLES:
            phase = _phase_now(visit, today)
            reflection = newest.get((visit.id, phase))
            if reflection is None:
                tasks.append(Task(f"reflect_{phase.value}", State.NOT_STARTED))
            else:
                reflection_id, submitted = reflection
                state = State.DONE if submitted else State.IN_PROGRESS
                target = {"reflection_id": reflection_id}
                tasks.append(Task(f"reflect_{phase.value}", state, target=target))
            if visit.id in approved:
                state = State.DONE if visit.id in accepted else State.NOT_STARTED
                tasks.append(Task("accept_protocol", state))
            if has_begun(visit, today):
                count = logged.get(visit.id, 0)
                state = State.DONE if count else State.NOT_STARTED
                tasks.append(Task("log_contacts", state, done=count))
        lists[visit.id] = tasks
    return lists


def member_tasks(session: Session, visit: Visit, person_id: int, now: datetime) -> list[Task]:
    """One member's list for one visit."""
    role = _roles(session, visit.id).get(person_id)
    roles = {visit.id: role} if role is not None else {}
    return members_tasks(session, person_id, roles, [visit], now)[visit.id]


def ticked_checks(session: Session, visit: Visit) -> set[str]:
    """The standard checks (planning.logic.CHECKLIST_KEYS) that cop knows are done, from the
    same records as the task list; the others are ticked by hand."""
    roles = _roles(session, visit.id)
    travellers = sorted(_travellers(roles))
    items = _items(session, visit.id)
    known = {
        "objective": bool(visit.objective),
        "coordinator": {MembershipRole.LEAD, MembershipRole.HOST} <= set(roles.values()),
        "dates": visit.start_date is not None,
        "agenda": _itinerary(visit, items).state is State.DONE,
        "interpreter_booked": _interpreters(visit, items).state in (State.DONE, State.NOT_NEEDED),
        "social_media": protocol_of(session, visit.id).approved_at is not None,
        "consents": bool(travellers) and set(consents_of(session, travellers)) >= set(travellers),
    }
    return {key for key, done in known.items() if done}

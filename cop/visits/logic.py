"""Rules of visits and memberships, free of any web request."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.database import utcnow
from cop.directory.models import Organisation
from cop.reflections.logic import ensure_codebook, ensure_guide
from cop.social.logic import protocol_of
from cop.visits.models import (
    Membership,
    MembershipRole,
    Programme,
    RemovedMembership,
    Visit,
    VisitStatus,
)

STATUS_ORDER = list(VisitStatus)


def neighbouring_statuses(status: VisitStatus) -> list[VisitStatus]:
    """A visit moves one step forward, or one step back to correct a mistake."""
    position = STATUS_ORDER.index(status)
    neighbours = []
    if position > 0:
        neighbours.append(STATUS_ORDER[position - 1])
    if position < len(STATUS_ORDER) - 1:
        neighbours.append(STATUS_ORDER[position + 1])
    return neighbours


def can_move(current: VisitStatus, target: VisitStatus) -> bool:
    return target in neighbouring_statuses(current)


def take_from_host(visit: Visit, host: Organisation | None) -> None:
    """What a lead left empty is the host organisation's: its city, country and time zone. Its
    working language is always one of the visit's, since the host speaks it."""
    if host is None:
        return
    visit.host_city = visit.host_city or host.city
    visit.host_country = visit.host_country or host.country
    visit.time_zone = visit.time_zone or host.time_zone
    codes = [code for code in (visit.languages or "").split(",") if code]
    if host.language and host.language not in codes:
        codes.append(host.language)
    visit.languages = ",".join(codes)


def agree_dates(visit: Visit, first_day: date, last_day: date) -> bool:
    """The dates are agreed: the visit has them, and an idea or a visit being planned is now
    confirmed. Returns whether the visit moved on."""
    visit.start_date, visit.end_date = first_day, last_day
    if visit.status in (VisitStatus.IDEA, VisitStatus.PLANNING):
        visit.status = VisitStatus.CONFIRMED
        return True
    return False


def dates_problem(start: date | None, end: date | None) -> str | None:
    """Why a pair of dates cannot be saved, as a key the form turns into a message."""
    if (start is None) != (end is None):
        return "both_or_neither"
    if start is not None and end is not None and end < start:
        return "end_before_start"
    return None


def would_leave_no_lead(roles: list[MembershipRole], removing: MembershipRole) -> bool:
    """A visit keeps at least one lead: someone must be able to manage it."""
    return removing == MembershipRole.LEAD and roles.count(MembershipRole.LEAD) <= 1


def start_visit(session: Session, visit: Visit, lead_person_id: int | None, reason: str) -> Visit:
    """A new visit with what every visit has from its first day: whoever created it as its lead
    (so that someone can manage it), the default reflection guide and an empty social-media
    protocol. Seeding here, not when a page first needs them, keeps GET requests read-only."""
    session.add(visit)
    if lead_person_id is not None:
        session.add(
            Membership(
                visit=visit,
                person_id=lead_person_id,
                role=MembershipRole.LEAD,
                selection_reason=reason,
            )
        )
    session.flush()
    give_defaults(session, visit.id)
    return visit


def give_defaults(session: Session, visit_id: int) -> None:
    ensure_guide(session, visit_id)
    protocol_of(session, visit_id)


def start_programme(session: Session, programme: Programme) -> Programme:
    """A new programme with the default codebook its researchers start from."""
    session.add(programme)
    session.flush()
    ensure_codebook(session, programme.id)
    return programme


def give_all_defaults(session: Session) -> None:
    """Defaults for visits and programmes made in bulk (the generator, the demo)."""
    for visit_id in session.scalars(select(Visit.id)).all():
        give_defaults(session, visit_id)
    for programme_id in session.scalars(select(Programme.id)).all():
        ensure_codebook(session, programme_id)


def remove_member(session: Session, membership: Membership) -> None:
    """Remove a member, keeping why they were chosen should they be added again."""
    kept = session.scalar(
        select(RemovedMembership).where(
            RemovedMembership.visit_id == membership.visit_id,
            RemovedMembership.person_id == membership.person_id,
        )
    )
    if kept is None:
        kept = RemovedMembership(visit_id=membership.visit_id, person_id=membership.person_id)
        session.add(kept)
    kept.role, kept.selection_reason = membership.role, membership.selection_reason
    kept.removed_at = utcnow()
    session.delete(membership)


def add_members(
    session: Session, visit: Visit, person_ids: list[int], role: MembershipRole, reason: str
) -> list[Membership]:
    """Add people to a visit in one role; those already in it are left as they are. Someone
    added back after a removal keeps the reason they were first chosen for, unless a new one
    is given."""
    present = set(
        session.scalars(select(Membership.person_id).where(Membership.visit_id == visit.id))
    )
    removed = {
        row.person_id: row
        for row in session.scalars(
            select(RemovedMembership).where(
                RemovedMembership.visit_id == visit.id, RemovedMembership.person_id.in_(person_ids)
            )
        )
    }
    added = []
    for person_id in dict.fromkeys(person_ids):
        if person_id in present:
            continue
        earlier = removed.get(person_id)
        membership = Membership(
            visit_id=visit.id,
            person_id=person_id,
            role=role,
            selection_reason=reason or (earlier.selection_reason if earlier else ""),
        )
        session.add(membership)
        if earlier is not None:
            session.delete(earlier)
        added.append(membership)
    return added

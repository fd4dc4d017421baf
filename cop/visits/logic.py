"""Rules of visits and memberships, free of any web request."""

from __future__ import annotations

from datetime import date

from cop.visits.models import MembershipRole, VisitStatus

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

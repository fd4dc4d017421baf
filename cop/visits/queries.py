"""Lists of visits and programmes, as SQL statements the views paginate."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload

from cop.database import matches_text
from cop.directory.models import Organisation
from cop.visits.models import Membership, MembershipRole, Programme, Visit, VisitStatus

# Leads first, then the other roles in the order the enumeration lists them.
ROLE_ORDER = case(
    *[(Membership.role == role, position) for position, role in enumerate(MembershipRole)],
    else_=len(MembershipRole),
)


def search_visits(visibility: Any, text: str = "", status: str = "") -> Select:
    query = (
        select(Visit)
        .where(visibility)
        .options(joinedload(Visit.programme), joinedload(Visit.host_organisation))
        .order_by(Visit.start_date.desc().nulls_first(), Visit.id.desc())
    )
    if status in {member.value for member in VisitStatus}:
        query = query.where(Visit.status == VisitStatus(status))
    if text.strip():
        query = query.outerjoin(Visit.host_organisation).where(
            matches_text(text, Visit.title, Visit.host_city, Organisation.name)
        )
    return query


def visits_of_person(person_id: int) -> Select:
    return (
        select(Membership)
        .where(Membership.person_id == person_id)
        .join(Membership.visit)
        .options(
            joinedload(Membership.visit).joinedload(Visit.host_organisation),
            joinedload(Membership.visit).joinedload(Visit.programme),
        )
        .order_by(Visit.start_date.desc().nulls_first(), Visit.id.desc())
    )


def members_of_visit(visit_id: int) -> Select:
    from cop.directory.models import Person

    return (
        select(Membership)
        .where(Membership.visit_id == visit_id)
        .join(Membership.person)
        .options(
            joinedload(Membership.person).joinedload(Person.organisation),
            # Whether each member has an account (the members page offers to invite them).
            joinedload(Membership.person).joinedload(Person.user),
        )
        .order_by(ROLE_ORDER, Person.name)
    )


def search_programmes(text: str = "") -> Select:
    query = select(Programme).order_by(Programme.name)
    if text.strip():
        query = query.where(matches_text(text, Programme.name, Programme.description))
    return query


def visit_counts(session, programme_ids: list[int]) -> dict[int, int]:
    """How many visits each programme has, in one query for a whole page of programmes."""
    rows = session.execute(
        select(Visit.programme_id, func.count(Visit.id))
        .where(Visit.programme_id.in_(programme_ids))
        .group_by(Visit.programme_id)
    )
    return {programme_id: count for programme_id, count in rows}

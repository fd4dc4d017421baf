"""Mail to the leads of a visit when someone outside cop's pages answers them: an interpreter
accepts or declines, a host approves or comments on the protocol, everyone answered a poll."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.directory.models import Person
from cop.mail import mail_person
from cop.visits.models import Membership, MembershipRole, Visit


def leads_of(session: Session, visit_id: int) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.visit_id == visit_id, Membership.role == MembershipRole.LEAD)
            .order_by(Person.name)
        )
    )


def tell_leads(session: Session, visit: Visit, template: str, **context: Any) -> int:
    """Mail each lead of ``visit`` in their own language; returns how many were mailed."""
    mailed = 0
    for lead in leads_of(session, visit.id):
        if mail_person(lead, template, visit=visit, **context) is not None:
            mailed += 1
    return mailed

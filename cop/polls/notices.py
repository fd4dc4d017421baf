"""What a date poll does outside a request: closing polls whose deadline has passed and telling
their leads. `cop close-polls` and the worker call this; the poll pages call it too."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from cop.links import revoke_links_of
from cop.mail import site_url
from cop.polls.models import DatePoll
from cop.visits import notices as visits_notices

ANSWER_PURPOSE = "poll-answer"


def end_answer_links(poll: DatePoll) -> None:
    """A closed poll takes no more answers: its invitees' links stop working."""
    revoke_links_of(ANSWER_PURPOSE, [invitee.id for invitee in poll.invitees])


def tell_leads(session: Session, poll: DatePoll, template: str) -> None:
    """Mail each lead of the poll's visit, in their language, with the poll's address."""
    link = site_url("polls.poll", visit_id=poll.visit_id, poll_id=poll.id)
    visits_notices.tell_leads(session, poll.visit, template, poll=poll, link=link)


def close_overdue_polls(session: Session, now: datetime) -> int:
    """Close polls whose deadline has passed and tell the leads; returns how many."""
    query = (
        select(DatePoll)
        .where(DatePoll.closed_at.is_(None), DatePoll.deadline <= now)
        .options(joinedload(DatePoll.visit))
    )
    if session.get_bind().dialect.name == "postgresql":
        # Two workers at once: each poll is closed, and its leads told, by one of them only.
        query = query.with_for_update(skip_locked=True, of=DatePoll)
    overdue = list(session.scalars(query))
    for poll in overdue:
        poll.closed_at = poll.deadline
        end_answer_links(poll)
        tell_leads(session, poll, "poll_closed")
    session.commit()
    return len(overdue)

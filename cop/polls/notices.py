"""What a date poll does outside a request: closing polls whose deadline has passed and telling
their leads, and reminding those who have not answered when the lead asked. `cop close-polls`
and the worker call this; the poll pages call it too."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from cop.links import link_for, revoke_links_of, token_for
from cop.mail import mail_person, site_url
from cop.polls.models import DatePoll, PollInvitee
from cop.visits import notices as visits_notices
from cop.visits.models import Membership

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


def answer_url(session: Session, invitee: PollInvitee, secret: str) -> str:
    """The invitee's own answer link (the same one each mail carries); a member's ends when
    they leave the visit (someone asked from outside the visit keeps theirs until the poll
    closes)."""
    member = session.scalar(
        select(Membership.id).where(
            Membership.visit_id == invitee.poll.visit_id,
            Membership.person_id == invitee.person_id,
        )
    )
    link = link_for(
        secret,
        ANSWER_PURPOSE,
        invitee.id,
        person_id=invitee.person_id,
        visit_id=invitee.poll.visit_id if member else None,
    )
    return site_url("polls.answer_by_link", token=token_for(secret, link))


def remind_silent_invitees(session: Session, now: datetime, secret: str) -> int:
    """For each open poll whose reminder time has come, mail every invitee who has not
    answered (and has not been reminded) their own link again; returns how many were mailed.
    Each poll reminds once, each invitee at most once."""
    query = (
        select(DatePoll)
        .where(
            DatePoll.closed_at.is_(None),
            DatePoll.reminded_at.is_(None),
            DatePoll.remind_at <= now,
        )
        .options(joinedload(DatePoll.visit))
    )
    if session.get_bind().dialect.name == "postgresql":
        # Two workers at once: each poll's reminders go from one of them only.
        query = query.with_for_update(skip_locked=True, of=DatePoll)
    mailed = 0
    for poll in session.scalars(query).unique():
        if poll.deadline is not None and poll.deadline <= now:
            continue  # past its deadline it closes rather than reminds
        for invitee in poll.invitees:
            if invitee.answered_at is not None or invitee.reminded_at is not None:
                continue
            sent = mail_person(
                invitee.person,
                "poll_reminder",
                visit=poll.visit,
                poll=poll,
                link=answer_url(session, invitee, secret),
            )
            if sent is not None:
                invitee.reminded_at = now
                mailed += 1
        poll.reminded_at = now
    session.commit()
    return mailed

"""Which reminders are due: follow-up reflections 3, 6 and 12 months after a visit, and actions
whose target date has come while they are still open (no Flask here).

A reminder is due from its day for ``GRACE_DAYS``; after that nobody is reminded any more, so that
switching reminders on for an old programme does not mail everyone about years-old follow-ups."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.actions.models import Action, ActionStatus
from cop.reflections.models import Phase, Reflection, Reminder
from cop.visits.models import Membership, MembershipRole, Visit, VisitStatus

GRACE_DAYS = 30
# The people who travel and reflect: participants and the leads who travel with them.
REFLECTING_ROLES = (MembershipRole.PARTICIPANT, MembershipRole.LEAD)
FOLLOW_UPS = (Phase.FOLLOW_UP_3, Phase.FOLLOW_UP_6, Phase.FOLLOW_UP_12)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_due(visit_end: date, phase: Phase) -> date:
    months = phase.months_after
    if months is None:
        raise ValueError(f"{phase} is not a follow-up")
    return add_months(visit_end, months)


@dataclass(frozen=True)
class DueReminder:
    person_id: int
    subject: str
    visit_id: int
    due: date
    phase: Phase | None = None
    action_id: int | None = None


def due_reminders(session: Session, today: date) -> list[DueReminder]:
    sent = {tuple(row) for row in session.execute(select(Reminder.person_id, Reminder.subject))}
    due = [*_due_follow_ups(session, today), *_due_actions(session, today)]
    return [reminder for reminder in due if (reminder.person_id, reminder.subject) not in sent]


def _in_window(day: date, today: date) -> bool:
    return day <= today < day + timedelta(days=GRACE_DAYS)


def _due_follow_ups(session: Session, today: date) -> list[DueReminder]:
    earliest_end = add_months(today - timedelta(days=GRACE_DAYS), -12)
    visits = session.execute(
        select(Visit.id, Visit.end_date).where(
            Visit.end_date.is_not(None),
            Visit.end_date <= today,
            Visit.end_date >= earliest_end,
            Visit.status.in_((VisitStatus.DONE, VisitStatus.EVALUATED)),
        )
    ).all()
    due: list[DueReminder] = []
    for visit_id, end_date in visits:
        phases = [
            phase for phase in FOLLOW_UPS if _in_window(follow_up_due(end_date, phase), today)
        ]
        if not phases:
            continue
        members = session.scalars(
            select(Membership.person_id).where(
                Membership.visit_id == visit_id, Membership.role.in_(REFLECTING_ROLES)
            )
        ).all()
        submitted = {
            tuple(row)
            for row in session.execute(
                select(Reflection.person_id, Reflection.phase).where(
                    Reflection.visit_id == visit_id, Reflection.submitted_at.is_not(None)
                )
            )
        }
        for phase in phases:
            for person_id in members:
                if (person_id, phase) not in submitted:
                    due.append(
                        DueReminder(
                            person_id=person_id,
                            subject=f"reflection:{visit_id}:{phase.value}",
                            visit_id=visit_id,
                            due=follow_up_due(end_date, phase),
                            phase=phase,
                        )
                    )
    return due


def _due_actions(session: Session, today: date) -> list[DueReminder]:
    actions = session.execute(
        select(Action.id, Action.owner_id, Action.visit_id, Action.target_date).where(
            Action.status.in_((ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)),
            Action.target_date <= today,
            Action.target_date > today - timedelta(days=GRACE_DAYS),
        )
    ).all()
    return [
        DueReminder(
            person_id=owner_id,
            subject=f"action:{action_id}:{target.isoformat()}",
            visit_id=visit_id,
            due=target,
            action_id=action_id,
        )
        for action_id, owner_id, visit_id, target in actions
    ]

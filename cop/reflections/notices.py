"""The reminders cop mails outside a request: follow-up reflections due 3, 6 and 12 months after
a visit, and actions whose target date has come. `cop remind` and the worker call this."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from cop.actions.models import Action
from cop.directory.models import Person
from cop.mail import mail_person, site_url
from cop.reflections import reminders
from cop.reflections.models import Reminder
from cop.visits.models import Visit


def send_reminders(session: Session, today: date) -> int:
    """Queue every due reminder in its recipient's language, each recorded once; returns how
    many mails were queued."""
    count = 0
    for reminder in reminders.due_reminders(session, today):
        person = session.get(Person, reminder.person_id)
        visit = session.get(Visit, reminder.visit_id)
        session.add(Reminder(person_id=person.id, subject=reminder.subject))
        if reminder.action_id is not None:
            action = session.get(Action, reminder.action_id)
            link = site_url("actions.action", visit_id=visit.id, action_id=action.id)
            sent = mail_person(person, "action_due", visit=visit, action=action, link=link)
        else:
            link = site_url(
                "reflections.new_reflection", visit_id=visit.id, phase=reminder.phase.value
            )
            sent = mail_person(
                person, "reflection_due", visit=visit, phase=reminder.phase, link=link
            )
        count += sent is not None
    session.commit()
    return count

"""Personal data under UK GDPR: everything held about a person, erasing them, and finding people
whose visits are past the retention period (no Flask here).

Erasing keeps the person's row as an anonymous node, so that networks, counts and costs stay
right: names, addresses and needs go, the organisation stays (it is what the network is measured
on), and everything the person wrote or consented to goes with their account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from cop.accounts.models import User
from cop.backup import json_value
from cop.correspondence.models import Message, MessageTranslation, Thread
from cop.directory.models import Person
from cop.extensions import db
from cop.links import SignedLink
from cop.reflections.models import Reflection
from cop.social.models import MediaConsent, PostCheck
from cop.visits.models import Membership, Visit

# Fields no export or log shows.
SECRET_FIELDS = {"password_hash", "session_version"}


def person_references() -> list[tuple[Table, str]]:
    """Every (table, column) that points at a person."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "person" for fk in column.foreign_keys):
                found.append((table, column.name))
    return found


def export_person(session: Session, person_id: int) -> dict[str, Any]:
    """Everything held about a person: their own row, their account, and every row of every
    table that refers to them, grouped by table."""
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    data: dict[str, Any] = {
        "person": _row(session, Person.__table__, Person.__table__.c.id == person_id)[0],
        "held": {},
    }
    for table, column in person_references():
        rows = _row(session, table, table.c[column] == person_id)
        if rows:
            data["held"].setdefault(table.name, []).extend(rows)
    reflections = session.scalars(select(Reflection).where(Reflection.person_id == person_id))
    data["reflection_text"] = [
        {
            "reflection": reflection.id,
            "passages": [
                {"question": p.question_text, "speaker": p.speaker, "text": p.text}
                for p in reflection.passages
            ],
        }
        for reflection in reflections
    ]
    return data


def _row(session: Session, table: Table, condition: Any) -> list[dict[str, Any]]:
    return [
        {k: json_value(v) for k, v in row.items() if k not in SECRET_FIELDS}
        for row in session.execute(select(table).where(condition)).mappings()
    ]


def erase_person(session: Session, person_id: int, label: str) -> None:
    """Remove a person's personal data and keep an anonymous node under ``label``."""
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    for reflection in session.scalars(select(Reflection).where(Reflection.person_id == person_id)):
        session.delete(reflection)
    session.execute(delete(MediaConsent).where(MediaConsent.person_id == person_id))
    session.execute(
        update(PostCheck).where(PostCheck.author_id == person_id).values(author_id=None)
    )
    session.execute(
        update(Message).where(Message.author_person_id == person_id).values(author_name="")
    )
    session.execute(delete(SignedLink).where(SignedLink.person_id == person_id))
    user = session.scalar(select(User).where(User.person_id == person_id))
    if user is not None:
        session.delete(user)
    session.execute(
        update(Membership).where(Membership.person_id == person_id).values(selection_reason="")
    )
    person.name = label
    person.email = None
    person.job_title = ""
    person.languages = ""
    person.access_needs = ""
    person.dietary_needs = ""


def people_past_retention(session: Session, today: date, years: int) -> list[int]:
    """People whose every visit ended more than ``years`` ago (and who have at least one)."""
    limit = today - timedelta(days=round(365.25 * years))
    latest = {}
    for person_id, end in session.execute(
        select(Membership.person_id, Visit.end_date).join(Visit, Visit.id == Membership.visit_id)
    ):
        if end is None:
            latest[person_id] = date.max
        else:
            latest[person_id] = max(latest.get(person_id, date.min), end)
    return sorted(person_id for person_id, end in latest.items() if end < limit)


def remove_old_personal_data(
    session: Session, today: date, years: int, label: Callable[[int], str]
) -> dict[str, int]:
    """Retention: people whose visits all ended more than ``years`` ago are erased (an anonymous
    node stays), and the words of those visits' messages and post checks go; counts stay."""
    limit = today - timedelta(days=round(365.25 * years))
    old_visits = select(Visit.id).where(Visit.end_date < limit)
    erased = 0
    for person_id in people_past_retention(session, today, years):
        person = session.get(Person, person_id)
        # Already erased (no email left, the pseudonym as name): nothing more to remove.
        if person is not None and person.name != label(person_id):
            erase_person(session, person_id, label(person_id))
            erased += 1
    checks = session.execute(delete(PostCheck).where(PostCheck.visit_id.in_(old_visits)))
    thread_ids = select(Thread.id).where(Thread.visit_id.in_(old_visits))
    messages = session.execute(
        update(Message)
        .where(Message.thread_id.in_(thread_ids), Message.body != "")
        .values(body="", author_name="")
    )
    session.execute(
        update(MessageTranslation)
        .where(
            MessageTranslation.message_id.in_(
                select(Message.id).where(Message.thread_id.in_(thread_ids))
            )
        )
        .values(text="")
    )
    return {
        "people": erased,
        "post_checks": checks.rowcount or 0,
        "messages": messages.rowcount or 0,
    }

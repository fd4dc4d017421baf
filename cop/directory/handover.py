"""Handing someone's work over when they leave their post (no Flask here): their open actions
at home, the contacts to keep up and the correspondence threads they were the counterpart of
go to a successor; each moved action says so on its timeline, and the hand-over is kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cop.actions.models import Action, ActionStatus, ActionUpdate
from cop.correspondence.models import Thread
from cop.directory.models import HandOver, HandOverContact, Person
from cop.network.models import Contact


@dataclass(frozen=True)
class WhatTheyLeave:
    actions: list[Action]
    contacts: list[Person]
    threads: list[Thread]


def what_they_leave(session: Session, person_id: int, visit_ids: set[int] | None) -> WhatTheyLeave:
    """The person's open actions and threads (of these visits; None: every visit) and the
    people they have been in touch with, by name."""
    actions = select(Action).where(Action.owner_id == person_id, Action.status != ActionStatus.DONE)
    threads = select(Thread).where(Thread.counterpart_person_id == person_id)
    if visit_ids is not None:
        actions = actions.where(Action.visit_id.in_(visit_ids))
        threads = threads.where(Thread.visit_id.in_(visit_ids))
    others = (
        select(Contact.to_person_id)
        .where(Contact.from_person_id == person_id)
        .union(select(Contact.from_person_id).where(Contact.to_person_id == person_id))
    )
    contacts = session.scalars(
        select(Person).where(Person.id.in_(others), Person.id != person_id).order_by(Person.name)
    )
    return WhatTheyLeave(
        list(session.scalars(actions.order_by(Action.id))),
        list(contacts),
        list(session.scalars(threads.order_by(Thread.id))),
    )


def hand_over(
    session: Session,
    leaver: Person,
    successor: Person,
    *,
    by_user_id: int | None,
    by_person_id: int | None,
    leaving: WhatTheyLeave,
    action_ids: Iterable[int],
    contact_ids: Iterable[int],
    thread_ids: Iterable[int],
    note: str,
    timeline_note: str,
) -> HandOver:
    """Move the chosen actions and threads to the successor and keep the record; each action's
    timeline gets ``timeline_note`` (written in the lead's language). Not committed."""
    chosen_actions, chosen_threads = set(action_ids), set(thread_ids)
    wanted_contacts = set(contact_ids)
    record = HandOver(
        leaver_id=leaver.id,
        successor_id=successor.id,
        by_user_id=by_user_id,
        note=note,
        actions_moved=0,
        threads_moved=0,
    )
    for action in leaving.actions:
        if action.id in chosen_actions:
            action.owner_id = successor.id
            session.add(ActionUpdate(action=action, author_id=by_person_id, note=timeline_note))
            record.actions_moved += 1
    for thread in leaving.threads:
        if thread.id in chosen_threads:
            thread.counterpart_person_id = successor.id
            record.threads_moved += 1
    record.contacts = [
        HandOverContact(person_id=person.id)
        for person in leaving.contacts
        if person.id in wanted_contacts and person.id != successor.id
    ]
    session.add(record)
    session.flush()
    return record


def hand_overs_of(session: Session, person_id: int) -> list[HandOver]:
    """The hand-overs the person left or took over, newest first."""
    return list(
        session.scalars(
            select(HandOver)
            .where(or_(HandOver.leaver_id == person_id, HandOver.successor_id == person_id))
            .order_by(HandOver.created_at.desc(), HandOver.id.desc())
        )
    )

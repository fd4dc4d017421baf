"""What changed in the itinerary since each person last heard, in one mail (no Flask views).

An invitation records what its attendee was told about the item (an ItineraryNotice). When
items change afterwards, nobody is mailed per edit: once a visit's itinerary has been quiet
for a few minutes, each person told about changed items gets one mail in their language
listing what changed since they last heard (time, place, title, cancellation), with the updated
calendar entries attached, and what they were told is brought up to date."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cop.calendars.ics import Participant, build_calendar
from cop.formatting import regional_locale
from cop.interpreting.bookings import confirmed_interpreters
from cop.itinerary.models import ItineraryItem, ItineraryNotice
from cop.itinerary.stored import calendar_item
from cop.mail import language_of, mail_person

# Edits closer together than this are one change: the mail waits until the visit's itinerary
# has been left alone this long.
QUIET = timedelta(minutes=10)
TOLD_FIELDS = ("title", "starts_at", "ends_at", "place", "address", "cancelled")


def told_state(item: ItineraryItem) -> str:
    """The item as a person is told it, as JSON (moments in UTC, ISO 8601)."""
    return json.dumps(
        {
            "title": item.title,
            "starts_at": item.starts_at.isoformat(),
            "ends_at": item.ends_at.isoformat(),
            "place": item.place,
            "address": item.address,
            "cancelled": item.cancelled,
        },
        sort_keys=True,
    )


def record_told(session: Session, item: ItineraryItem, person_ids: list[int]) -> None:
    """These people have just been told the item as it is now."""
    known = {
        notice.person_id: notice
        for notice in session.scalars(
            select(ItineraryNotice).where(
                ItineraryNotice.item_id == item.id, ItineraryNotice.person_id.in_(person_ids)
            )
        )
    }
    state = told_state(item)
    for person_id in person_ids:
        notice = known.get(person_id)
        if notice is None:
            session.add(ItineraryNotice(item_id=item.id, person_id=person_id, told=state))
        else:
            notice.told, notice.told_at = state, item.updated_at


@dataclass(frozen=True)
class Change:
    """One item as it changed for one person: what they were told and what it is now."""

    item: ItineraryItem
    before: dict
    after: dict

    @property
    def fields(self) -> list[str]:
        return [name for name in TOLD_FIELDS if self.before.get(name) != self.after.get(name)]

    def moment(self, which: str, name: str) -> datetime:
        return datetime.fromisoformat((self.before if which == "before" else self.after)[name])


def due_changes(session: Session, now: datetime, quiet: timedelta = QUIET) -> dict[int, list]:
    """Per person, the changes they have not heard of, for visits left quiet long enough."""
    notices = session.scalars(
        select(ItineraryNotice)
        .join(ItineraryItem, ItineraryItem.id == ItineraryNotice.item_id)
        .where(ItineraryItem.updated_at > ItineraryNotice.told_at)
        .options(selectinload(ItineraryNotice.item), selectinload(ItineraryNotice.person))
    ).all()
    last_edit: dict[int, datetime] = {}
    for notice in notices:
        visit_id = notice.item.visit_id
        last_edit[visit_id] = max(
            last_edit.get(visit_id, notice.item.updated_at), notice.item.updated_at
        )
    found: dict[int, list[tuple[ItineraryNotice, Change]]] = defaultdict(list)
    for notice in notices:
        if last_edit[notice.item.visit_id] > now - quiet:
            continue  # still being edited
        before, after = json.loads(notice.told), json.loads(told_state(notice.item))
        change = Change(notice.item, before, after)
        if change.fields:
            found[notice.person_id].append((notice, change))
        else:
            notice.told_at = notice.item.updated_at  # touched, but nothing they were told moved
    return found


def send_changes(session: Session, now: datetime, quiet: timedelta = QUIET) -> int:
    """Mail each person one list of what changed since they last heard, per visit, with the
    updated entries (and the cancelled ones) as calendar files; returns how many mails."""
    mails = 0
    organizer = Participant("cop", current_app.config["MAIL_SENDER"])
    for entries in due_changes(session, now, quiet).values():
        by_visit: dict[int, list[tuple[ItineraryNotice, Change]]] = defaultdict(list)
        for notice, change in entries:
            by_visit[change.item.visit_id].append((notice, change))
        for found in by_visit.values():
            person = found[0][0].person
            changes = sorted((change for _n, change in found), key=lambda c: c.item.starts_at)
            visit = changes[0].item.visit
            interpreters = confirmed_interpreters(session, [c.item.id for c in changes])
            attachments = []
            with force_locale(regional_locale(language_of(person))):
                for method, name, chosen in (
                    ("REQUEST", "updated.ics", [c for c in changes if not c.item.cancelled]),
                    ("CANCEL", "cancelled.ics", [c for c in changes if c.item.cancelled]),
                ):
                    if chosen:
                        items = [
                            calendar_item(c.item, interpreters.get(c.item.id, [])) for c in chosen
                        ]
                        ics = build_calendar(
                            items, name=visit.title, method=method, organizer=organizer
                        )
                        attachments.append((name, "text/calendar", ics))
            if mail_person(
                person, "itinerary_changes", visit=visit, changes=changes, attachments=attachments
            ):
                mails += 1
            for notice, change in found:
                # Told the item as of its last edit: a later edit is news again.
                notice.told = json.dumps(change.after, sort_keys=True)
                notice.told_at = change.item.updated_at
    session.commit()
    return mails

"""A visit's itinerary page days, its calendar file and each person's feed, stored in the shared
store (cop.computed) until the visit's data change, and computed again by the workers after a
change (cop.jobs.refresh_stored), so that a reader finds them ready; also what calendars and
invitations say about each item."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from cop.calendars.ics import CalendarItem, Participant, build_calendar
from cop.computed import store
from cop.computed.changes import visit_scope
from cop.computed.models import StoredView
from cop.directory.models import Person
from cop.extensions import db
from cop.formatting import language_name, regional_locale
from cop.interpreting.bookings import confirmed_interpreters
from cop.itinerary import logic
from cop.itinerary.models import ItineraryItem, item_attendee
from cop.itinerary.queries import items_attended_by, items_of_visit, visits_attended_by
from cop.mail import language_of
from cop.viewhelpers import CSRF_MARK, in_reader_language
from cop.visits.models import Visit

DAYS = "itinerary:"
CALENDAR = "ics:"
FEED = "feed:"
NO_ZONE = "None"


def interpreting_line(item: ItineraryItem, interpreters: list[str]) -> str | None:
    """What a calendar or an invitation says about interpreting: who is confirmed, or that one
    is still needed (never "booked" before someone has said yes)."""
    if interpreters:
        return ngettext(
            "Interpreter: %(names)s",
            "Interpreters: %(names)s",
            len(interpreters),
            names=", ".join(interpreters),
        )
    if item.needs_interpreter:
        return _("Interpreter needed: none confirmed yet.")
    return None


def item_description(item: ItineraryItem, interpreters: list[str]) -> str:
    """The text under an event in a calendar, in the current language."""
    lines = []
    if item.notes:
        lines.append(in_reader_language(item, "notes").text)
    lines.append(_("Language: %(language)s", language=language_name(item.language)))
    interpreting = interpreting_line(item, interpreters)
    if interpreting:
        lines.append(interpreting)
    if item.host_contact is not None:
        lines.append(_("Host contact: %(name)s", name=item.host_contact.name))
    return "\n".join(lines)


def calendar_item(item: ItineraryItem, interpreters: list[str]) -> CalendarItem:
    location = ", ".join(part for part in (item.place, item.address.replace("\n", ", ")) if part)
    return CalendarItem(
        uid=item.uid,
        sequence=item.sequence,
        title=in_reader_language(item, "title").text,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        time_zone=item.time_zone,
        updated_at=item.updated_at,
        location=location,
        description=item_description(item, interpreters),
        cancelled=item.cancelled,
        attendees=tuple(
            Participant(person.name, person.email) for person in item.attendees if person.email
        ),
    )


def render_days(visit: Visit, visitor_zone: str | None, can_manage: bool) -> str:
    """The itinerary's days as HTML: every item with its times in both zones, interpreting,
    attendees and the warnings of the plan (overlaps, travel, dates)."""
    items = list(db.session.scalars(items_of_visit(visit.id)).unique())
    warnings = logic.check_itinerary(
        (
            logic.Slot(
                item_id=item.id,
                title=item.title,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                place=item.place,
                travel_minutes=item.travel_minutes,
            )
            for item in items
            if not item.cancelled
        ),
        visit.time_zone,
        visit.start_date,
        visit.end_date,
    )
    warnings_by_item: dict[int, list[logic.ItineraryWarning]] = {}
    for warning in warnings:
        warnings_by_item.setdefault(warning.item_id, []).append(warning)
    return render_template(
        "itinerary/days.html",
        visit=visit,
        days=logic.group_by_local_day(items, visit.time_zone),
        titles={item.id: item.title for item in items},
        warnings_by_item=warnings_by_item,
        interpreters=confirmed_interpreters(db.session, [item.id for item in items]),
        interpreting_line=interpreting_line,
        visitor_zone=visitor_zone,
        can_manage=can_manage,
        csrf_mark=CSRF_MARK,
    )


def days(visit: Visit, visitor_zone: str | None, can_manage: bool) -> str:
    """The days as the reader's language and role show them (CSRF_MARK for their token)."""
    role = "manage" if can_manage else "read"
    key = f"{DAYS}{visit.id}:{get_locale()}:{role}:{visitor_zone or NO_ZONE}"
    body = store.fresh_or_computed(
        db.session,
        key,
        [visit_scope(visit.id)],
        lambda: render_days(visit, visitor_zone, can_manage).encode(),
    )
    return body.decode()


def visit_calendar(visit: Visit) -> bytes:
    def build() -> bytes:
        items = list(db.session.scalars(items_of_visit(visit.id)).unique())
        interpreters = confirmed_interpreters(db.session, [item.id for item in items])
        return build_calendar(
            (calendar_item(item, interpreters.get(item.id, [])) for item in items),
            name=visit.title,
        )

    key = f"{CALENDAR}{visit.id}:{get_locale()}"
    return store.fresh_or_computed(db.session, key, [visit_scope(visit.id)], build)


def _feed_scopes(person_id: int) -> list[str]:
    # The feed changes with any visit the person attends an item of (being added to one
    # changes that visit, which then joins the list).
    return [visit_scope(v) for v in db.session.scalars(visits_attended_by(person_id))]


def personal_feed(person: Person) -> bytes:
    """The items a person attends in every visit, in their own language."""
    language = regional_locale(language_of(person))

    def build() -> bytes:
        items = list(db.session.scalars(items_attended_by(person.id)).unique())
        interpreters = confirmed_interpreters(db.session, [item.id for item in items])
        with force_locale(language):
            return build_calendar(
                (calendar_item(item, interpreters.get(item.id, [])) for item in items),
                name=_("cop: my visits"),
            )

    key = f"{FEED}{person.id}:{language}"
    return store.fresh_or_computed(db.session, key, _feed_scopes(person.id), build)


def _feed_scopes_of_stored() -> dict[int, list[str]]:
    """The scopes of every stored feed, in two queries (a stale scan runs after each commit,
    and there is a feed for everyone who subscribed)."""
    people = {
        int(key.removeprefix(FEED).split(":", 1)[0])
        for key in db.session.scalars(select(StoredView.key).where(StoredView.key.startswith(FEED)))
    }
    scopes: dict[int, list[str]] = {person_id: [] for person_id in people}
    if people:
        for person_id, visit_id in db.session.execute(
            select(item_attendee.c.person_id, ItineraryItem.visit_id)
            .join(ItineraryItem, ItineraryItem.id == item_attendee.c.item_id)
            .where(item_attendee.c.person_id.in_(people))
            .distinct()
            .order_by(item_attendee.c.person_id, ItineraryItem.visit_id)
        ):
            scopes[person_id].append(visit_scope(visit_id))
    return scopes


def _refresh(prefix: str, parts: list[str]) -> bool:
    """Compute one stored result again from its key's parts; False when its record is gone."""
    record_id = int(parts[0])
    if prefix == FEED:
        person = db.session.get(Person, record_id)
        if person is not None:
            personal_feed(person)
        return person is not None
    visit = db.session.get(Visit, record_id)
    if visit is None:
        return False
    if prefix == CALENDAR:
        visit_calendar(visit)
    else:
        days(visit, None if parts[3] == NO_ZONE else parts[3], parts[2] == "manage")
    return True


def refresh_stale() -> int:
    """Compute again the days, calendars and feeds stored before their visit changed (in a
    request context of the caller's); how many."""
    feeds = _feed_scopes_of_stored()

    def scopes_of(stored_key: str) -> list[str]:
        prefix, rest = stored_key.split(":", 1)
        record_id = int(rest.split(":", 1)[0])
        return feeds.get(record_id, []) if prefix + ":" == FEED else [visit_scope(record_id)]

    done = 0
    for prefix in (DAYS, CALENDAR, FEED):
        for stored_key in store.stale_keys(db.session, prefix, scopes_of):
            parts = stored_key.removeprefix(prefix).split(":")
            with force_locale(parts[1]):
                done += _refresh(prefix, parts)
    return done

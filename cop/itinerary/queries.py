"""Loading itineraries with what their pages and calendars show, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from cop.directory.models import Person
from cop.itinerary.models import ItineraryItem, item_attendee


def items_of_visit(visit_id: int) -> Select:
    return (
        select(ItineraryItem)
        .where(ItineraryItem.visit_id == visit_id)
        .options(
            selectinload(ItineraryItem.attendees),
            joinedload(ItineraryItem.host_contact),
        )
        .order_by(ItineraryItem.starts_at, ItineraryItem.id)
    )


def item_titles(visit_id: int, *, with_cancelled: bool = True) -> Select:
    """(id, title) of a visit's items in time order: the choices of forms that name an item."""
    query = select(ItineraryItem.id, ItineraryItem.title).where(ItineraryItem.visit_id == visit_id)
    if not with_cancelled:
        query = query.where(ItineraryItem.cancelled.is_(False))
    return query.order_by(ItineraryItem.starts_at, ItineraryItem.id)


def items_attended_by(person_id: int) -> Select:
    return (
        select(ItineraryItem)
        .join(item_attendee, item_attendee.c.item_id == ItineraryItem.id)
        .where(item_attendee.c.person_id == person_id)
        .options(selectinload(ItineraryItem.attendees), joinedload(ItineraryItem.visit))
        .order_by(ItineraryItem.starts_at, ItineraryItem.id)
    )


def people_by_id(session, ids: list[int]) -> dict[int, Person]:
    return {
        person.id: person
        for person in session.scalars(
            select(Person).where(Person.id.in_(ids)).options(joinedload(Person.organisation))
        )
    }

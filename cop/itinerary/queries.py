"""Loading itineraries with what their pages and calendars show, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from cop.directory.models import Organisation, Person
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


def live_items_of_visit(visit_id: int) -> Select:
    """A visit's items that are not cancelled, in time order, with nothing loaded beside them
    (what the interpreters' day and a visit's design read)."""
    return (
        select(ItineraryItem)
        .where(ItineraryItem.visit_id == visit_id, ItineraryItem.cancelled.is_(False))
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


def first_start(visit_id: int) -> Select:
    return select(func.min(ItineraryItem.starts_at)).where(ItineraryItem.visit_id == visit_id)


def visitor_zones_of(visit_id: int) -> Select:
    """The time zone of each member's organisation (one row per member who has one)."""
    from cop.visits.models import Membership

    return (
        select(Organisation.time_zone)
        .join(Person, Person.organisation_id == Organisation.id)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.visit_id == visit_id)
    )


def visits_attended_by(person_id: int) -> Select:
    """The visits of the items a person attends, in id order."""
    return (
        select(ItineraryItem.visit_id)
        .join(item_attendee, item_attendee.c.item_id == ItineraryItem.id)
        .where(item_attendee.c.person_id == person_id)
        .distinct()
        .order_by(ItineraryItem.visit_id)
    )

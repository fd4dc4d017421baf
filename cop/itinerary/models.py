from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.itinerary.logic import whole_days
from cop.visits.models import Visit

item_attendee = Table(
    "itinerary_attendee",
    db.metadata,
    Column("item_id", ForeignKey("itinerary_item.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def new_uid() -> str:
    return f"{uuid.uuid4()}@cop"


class ItineraryItem(db.Model):
    """One meeting, visit or journey. Times are stored in UTC with the zone they were entered in,
    so that the wall-clock time people agreed stays right across daylight-saving changes."""

    __tablename__ = "itinerary_item"
    __table_args__ = (
        # A moment (a calendar event with a start and no end, RFC 5545) ends as it starts.
        CheckConstraint("ends_at >= starts_at", name="ends_not_before_start"),
        # Unique within a visit: the same host agenda may be imported into two visits.
        UniqueConstraint("visit_id", "uid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    # Calendar identity: the UID never changes; SEQUENCE rises with every change (RFC 5545).
    uid: Mapped[str] = mapped_column(String(255), default=new_uid)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    time_zone: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    # Minutes needed to reach this place from the previous item's place.
    travel_minutes: Mapped[int] = mapped_column(Integer, default=0)
    host_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(8), default="en")
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship()
    host_contact: Mapped[Person | None] = relationship(foreign_keys=[host_contact_id])
    attendees: Mapped[list[Person]] = relationship(secondary=item_attendee)

    @property
    def whole_days(self) -> tuple[date, date] | None:
        """First and last day of an all-day item (midnight to midnight on the host's clock)."""
        return whole_days(self.starts_at, self.ends_at, self.time_zone)

    def touch(self) -> None:
        """Record a change that calendars must pick up."""
        self.sequence = (self.sequence or 0) + 1
        self.updated_at = utcnow()


class ItineraryNotice(db.Model):
    """What a person was last told about an itinerary item (by its invitation or the last mail
    of changes), so that later edits reach them together, as what changed since."""

    __tablename__ = "itinerary_notice"
    __table_args__ = (UniqueConstraint("item_id", "person_id", name="one_notice_per_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("itinerary_item.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # The item as told: title, start, end, place, address and whether cancelled, as JSON.
    told: Mapped[str] = mapped_column(Text)
    told_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[ItineraryItem] = relationship()
    person: Mapped[Person] = relationship()

"""Interpreters, what they can do, when they cannot, and their bookings for itinerary items."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.enums import EnumList, LabelledEnum, stored_enum
from cop.extensions import db
from cop.interpreting.teams import CancellationTerm
from cop.itinerary.models import ItineraryItem
from cop.visits.models import Visit


class Mode(LabelledEnum):
    CONSECUTIVE = "consecutive"
    SIMULTANEOUS = "simultaneous"
    WHISPERED = "whispered"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "consecutive": _l("Consecutive"),
            "simultaneous": _l("Simultaneous"),
            "whispered": _l("Whispered (chuchotage)"),
        }


class Knowledge(LabelledEnum):
    LOCAL_GOVERNMENT = "local_government"
    PARTICIPATORY_BUDGETING = "participatory_budgeting"
    PUBLIC_FINANCE = "public_finance"
    COMMUNITY_DEVELOPMENT = "community_development"
    YOUTH_AND_VOLUNTEERING = "youth_and_volunteering"
    DIGITAL_DEMOCRACY = "digital_democracy"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "local_government": _l("Local government"),
            "participatory_budgeting": _l("Participatory budgeting"),
            "public_finance": _l("Public finance"),
            "community_development": _l("Community development"),
            "youth_and_volunteering": _l("Youth work and volunteering"),
            "digital_democracy": _l("Digital democracy"),
        }


class Interpreter(db.Model):
    """A person of the directory who interprets, with their languages, modes and rates."""

    __tablename__ = "interpreter"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    modes: Mapped[list[Mode]] = mapped_column(EnumList(Mode, 100), default=[Mode.CONSECUTIVE])
    knowledge: Mapped[list[Knowledge]] = mapped_column(EnumList(Knowledge, 300), default=[])
    day_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    half_day_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    pairs: Mapped[list[LanguagePair]] = relationship(
        back_populates="interpreter",
        cascade="all, delete-orphan",
        order_by="(LanguagePair.source, LanguagePair.target)",
    )
    unavailable: Mapped[list[Unavailability]] = relationship(
        back_populates="interpreter",
        cascade="all, delete-orphan",
        order_by="Unavailability.first_day",
    )


class LanguagePair(db.Model):
    """A direction the interpreter works in: from ``source`` into ``target``."""

    __tablename__ = "language_pair"
    __table_args__ = (
        UniqueConstraint("interpreter_id", "source", "target", name="pair_once"),
        CheckConstraint("source <> target", name="two_languages"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(8), index=True)
    target: Mapped[str] = mapped_column(String(8), index=True)

    interpreter: Mapped[Interpreter] = relationship(back_populates="pairs")


class Unavailability(db.Model):
    __tablename__ = "interpreter_unavailability"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="days_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    interpreter: Mapped[Interpreter] = relationship(back_populates="unavailable")


class BookingStatus(LabelledEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "requested": _l("Requested"),
            "confirmed": _l("Confirmed"),
            "declined": _l("Declined"),
            "cancelled": _l("Cancelled"),
        }


class Booking(db.Model):
    """An interpreter asked for an itinerary item."""

    __tablename__ = "booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("itinerary_item.id", ondelete="CASCADE"), index=True
    )
    mode: Mapped[Mode] = mapped_column(stored_enum(Mode, 20))
    status: Mapped[BookingStatus] = mapped_column(
        stored_enum(BookingStatus, 20), default=BookingStatus.REQUESTED
    )
    estimate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # The line of the visit's costs this booking put there once confirmed.
    cost_id: Mapped[int | None] = mapped_column(
        ForeignKey("cost.id", ondelete="SET NULL"), index=True
    )
    # Problems the organiser saw and accepted when booking (travel time, a second interpreter).
    warnings: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Set when the booking was asked as part of a day or several items (its fee is the
    # engagement's, by the day); a booking asked alone has its own estimate and cost.
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("interpreting_engagement.id", ondelete="CASCADE"), index=True
    )

    interpreter: Mapped[Interpreter] = relationship()
    item: Mapped[ItineraryItem] = relationship()
    engagement: Mapped[Engagement | None] = relationship(back_populates="bookings")


class Engagement(db.Model):
    """One request to an interpreter for several items of a visit (a whole day, or a few items
    on one or more days), answered in one go, with one fee per day of work and the terms on
    which the organisers may cancel. Its bookings are the items; its costs are two lines of the
    visit's planning: the fees of the confirmed days, and any cancellation fees."""

    __tablename__ = "interpreting_engagement"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    mode: Mapped[Mode] = mapped_column(stored_enum(Mode, 20))
    # The interpreter's journey to the visit, for the rest they need before working.
    arrives_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    journey_minutes: Mapped[int] = mapped_column(Integer, default=0)
    # [[days, percent], ...]: cancelled less than ``days`` days before, ``percent`` is due.
    cancellation_terms: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    # The interpreter's rates when asked, so later changes of rate do not move agreed fees;
    # the estimate is the fees of every day asked for.
    day_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    half_day_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    estimate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    fees_cost_id: Mapped[int | None] = mapped_column(
        ForeignKey("cost.id", ondelete="SET NULL"), index=True
    )
    cancellation_cost_id: Mapped[int | None] = mapped_column(
        ForeignKey("cost.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    interpreter: Mapped[Interpreter] = relationship()
    visit: Mapped[Visit] = relationship()
    bookings: Mapped[list[Booking]] = relationship(
        back_populates="engagement", order_by="Booking.id"
    )

    @property
    def terms(self) -> list[CancellationTerm]:
        return [CancellationTerm(days, percent) for days, percent in self.cancellation_terms or []]

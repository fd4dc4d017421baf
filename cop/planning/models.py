from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
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
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db
from cop.visits.models import Visit


class TaskStatus(LabelledEnum):
    TO_DO = "to_do"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_NEEDED = "not_needed"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "to_do": _l("To do"),
            "in_progress": _l("In progress"),
            "done": _l("Done"),
            "not_needed": _l("Not needed"),
        }


class EffortCategory(LabelledEnum):
    CORRESPONDENCE = "correspondence"
    TRANSLATION = "translation"
    DATE_NEGOTIATION = "date_negotiation"
    SCHEDULING = "scheduling"
    INTERPRETING = "interpreting"
    PROTOCOLS = "protocols"
    TRAVEL_AND_LOGISTICS = "travel_and_logistics"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "correspondence": _l("Correspondence"),
            "translation": _l("Translation"),
            "date_negotiation": _l("Date negotiation"),
            "scheduling": _l("Scheduling"),
            "interpreting": _l("Interpreting"),
            "protocols": _l("Protocols"),
            "travel_and_logistics": _l("Travel and logistics"),
            "other": _l("Other"),
        }


class CostCategory(LabelledEnum):
    TRAVEL = "travel"
    ACCOMMODATION = "accommodation"
    SUBSISTENCE = "subsistence"
    INTERPRETING = "interpreting"
    TRANSLATION = "translation"
    VENUE = "venue"
    HOSPITALITY = "hospitality"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "travel": _l("Travel"),
            "accommodation": _l("Accommodation"),
            "subsistence": _l("Subsistence"),
            "interpreting": _l("Interpreting"),
            "translation": _l("Translation"),
            "venue": _l("Venue"),
            "hospitality": _l("Hospitality and gifts"),
            "other": _l("Other"),
        }


class PlanningTask(db.Model):
    __tablename__ = "planning_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    # Which standard check this is (planning.logic.CHECKLIST_KEYS); none for the lead's own.
    key: Mapped[str | None] = mapped_column(String(30))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[TaskStatus] = mapped_column(
        stored_enum(TaskStatus, 20), default=TaskStatus.TO_DO
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[Person | None] = relationship()
    visit: Mapped[Visit] = relationship()


class EffortEntry(db.Model):
    """Time someone spent on the visit; its phase follows from the day and the visit's dates."""

    __tablename__ = "effort_entry"
    __table_args__ = (CheckConstraint("minutes > 0", name="some_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    category: Mapped[EffortCategory] = mapped_column(stored_enum(EffortCategory, 30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    visit: Mapped[Visit] = relationship()


class Cost(db.Model):
    """Money spent, in the currency paid, with the rate into the programme's reporting currency
    (rates change; the one used is part of the record). No rate means none is known yet: such a
    cost is left out of every total and marked, never counted at 1."""

    __tablename__ = "cost"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="not_negative"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    category: Mapped[CostCategory] = mapped_column(stored_enum(CostCategory, 30))
    description: Mapped[str] = mapped_column(String(300), default="")
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal | None] = mapped_column(Numeric(14, 6))
    paid_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship()


class ExchangeRate(db.Model):
    """A published reference rate: how many units of a currency one euro bought on a day (the
    European Central Bank's form, so its CSV imports as it is). Rates between two other
    currencies go through the euro."""

    __tablename__ = "exchange_rate"
    __table_args__ = (
        UniqueConstraint("day", "currency", name="one_rate_a_day"),
        CheckConstraint("per_euro > 0", name="per_euro_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    per_euro: Mapped[Decimal] = mapped_column(Numeric(18, 6))


class HostContribution(db.Model):
    """A host's own account of a visit: the staff time their side gave it and what they
    gained, written in their language. One per host and visit, which they keep up to date."""

    __tablename__ = "host_contribution"
    __table_args__ = (UniqueConstraint("visit_id", "person_id", name="one_account_per_host"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    staff: Mapped[str] = mapped_column(String(300), default="")
    gained: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(12), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship()

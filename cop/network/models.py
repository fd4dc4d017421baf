from __future__ import annotations

from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db


class Channel(LabelledEnum):
    EMAIL = "email"
    PHONE = "phone"
    VIDEO = "video"
    MEETING = "meeting"
    EVENT = "event"
    SOCIAL = "social"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "email": _l("Email"),
            "phone": _l("Phone"),
            "video": _l("Video call"),
            "meeting": _l("Meeting in person"),
            "event": _l("Conference or event"),
            "social": _l("Social media"),
            "other": _l("Other"),
        }


class TieSource(LabelledEnum):
    """Where a tie comes from; analysis can include or leave out each kind."""

    LOGGED = "logged"
    IMPORTED = "imported"
    CO_ATTENDANCE = "co_attendance"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "logged": _l("Logged contacts"),
            "imported": _l("Imported contacts"),
            "co_attendance": _l("Attending the same itinerary item"),
        }


class Contact(db.Model):
    """One contact between two practitioners; ``from`` started it unless ``mutual``."""

    __tablename__ = "contact"
    __table_args__ = (CheckConstraint("from_person_id <> to_person_id", name="two_people"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    to_person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[Channel] = mapped_column(stored_enum(Channel, 20), default=Channel.OTHER)
    topic: Mapped[str] = mapped_column(String(300), default="")
    # Who started it: the "from" person, or both (a meeting neither side called).
    mutual: Mapped[bool] = mapped_column(default=False)
    source: Mapped[TieSource] = mapped_column(stored_enum(TieSource, 20), default=TieSource.LOGGED)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"))
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    from_person: Mapped[Person] = relationship(foreign_keys=[from_person_id])
    to_person: Mapped[Person] = relationship(foreign_keys=[to_person_id])

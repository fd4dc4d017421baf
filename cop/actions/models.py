"""Actions at home: what a participant will change in their own organisation after a visit, and
the updates that follow its progress."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Organisation, Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db
from cop.research.models import Code
from cop.visits.models import Visit


class ActionStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "planned": _l("Planned"),
            "in_progress": _l("In progress"),
            "done": _l("Done"),
            "dropped": _l("Dropped"),
        }

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Action(db.Model):
    """Something to change at home because of what was learned on a visit."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    # The learning point it comes from: a passage of the owner's reflection, and in their words.
    passage_id: Mapped[int | None] = mapped_column(
        ForeignKey("passage.id", ondelete="SET NULL"), index=True
    )
    learning_point: Mapped[str] = mapped_column(Text, default="")
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("code.id", ondelete="SET NULL"), index=True
    )
    adaptation: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        stored_enum(ActionStatus, 20), default=ActionStatus.PLANNED
    )
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship()
    owner: Mapped[Person] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    theme: Mapped[Code | None] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionUpdate.created_at"
    )


class ActionUpdate(db.Model):
    """One entry of an action's timeline: a note, and the status it moved to if it changed."""

    __tablename__ = "action_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ActionStatus | None] = mapped_column(stored_enum(ActionStatus, 20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[Person | None] = relationship()

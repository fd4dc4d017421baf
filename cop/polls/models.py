from __future__ import annotations

from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db
from cop.visits.models import Visit


class Answer(LabelledEnum):
    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {"yes": _l("Yes"), "if_need_be": _l("If need be"), "no": _l("No")}


class DatePoll(db.Model):
    __tablename__ = "date_poll"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    # When answering stops by itself; None: open until the lead closes it.
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    everyone_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When those who have not answered are reminded (the lead chooses, before the deadline),
    # and when that was done: each poll reminds once.
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship()
    options: Mapped[list[DateOption]] = relationship(
        back_populates="poll",
        cascade="all, delete-orphan",
        order_by="DateOption.first_day",
    )
    invitees: Mapped[list[PollInvitee]] = relationship(
        back_populates="poll", cascade="all, delete-orphan", order_by="PollInvitee.id"
    )

    @property
    def chosen_option(self) -> DateOption | None:
        return next((option for option in self.options if option.chosen), None)

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and (self.deadline is None or now < self.deadline)


class DateOption(db.Model):
    """A candidate day, or a window of several days."""

    __tablename__ = "date_option"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="window_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("date_poll.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    # The dates the lead chose when closing the poll (at most one option per poll).
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)

    poll: Mapped[DatePoll] = relationship(back_populates="options")


class PollInvitee(db.Model):
    """Someone asked to answer; hosts without an account answer through a signed link."""

    __tablename__ = "poll_invitee"
    __table_args__ = (UniqueConstraint("poll_id", "person_id", name="invited_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("date_poll.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # A "no" from a key person (the host lead, say) rules a date out more than anyone else's.
    key_person: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    poll: Mapped[DatePoll] = relationship(back_populates="invitees")
    person: Mapped[Person] = relationship()
    votes: Mapped[list[DateVote]] = relationship(
        back_populates="invitee", cascade="all, delete-orphan"
    )


class DateVote(db.Model):
    __tablename__ = "date_vote"
    __table_args__ = (UniqueConstraint("invitee_id", "option_id", name="one_answer_per_option"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("poll_invitee.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(
        ForeignKey("date_option.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[Answer] = mapped_column(stored_enum(Answer, 12))

    invitee: Mapped[PollInvitee] = relationship(back_populates="votes")
    option: Mapped[DateOption] = relationship()

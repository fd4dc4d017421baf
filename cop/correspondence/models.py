from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Organisation, Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db
from cop.translation.models import TranslationState
from cop.visits.models import Visit


class Direction(LabelledEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {"inbound": _l("Received"), "outbound": _l("Sent")}


class Thread(db.Model):
    __tablename__ = "thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    counterpart_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    counterpart_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship()
    counterpart_organisation: Mapped[Organisation | None] = relationship()
    counterpart_person: Mapped[Person | None] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="thread", order_by="Message.sent_at", cascade="all, delete-orphan"
    )


class Message(db.Model):
    """A message exactly as written, whatever happens to its translation."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    direction: Mapped[Direction] = mapped_column(stored_enum(Direction, 10))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    recipient_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(300), index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # False when the mail gave no Date: sent_at is then when it was imported, and pages say so.
    date_given: Mapped[bool] = mapped_column(Boolean, default=True)
    # For mail without a Message-ID: what it is, so the same mail is not imported twice.
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    thread: Mapped[Thread] = relationship(back_populates="messages")
    author_person: Mapped[Person | None] = relationship(foreign_keys=[author_person_id])
    translations: Mapped[list[MessageTranslation]] = relationship(
        back_populates="message", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[MessageAttachment]] = relationship(cascade="all, delete-orphan")


class MessageTranslation(TranslationState, db.Model):
    __tablename__ = "message_translation"
    __table_args__ = (UniqueConstraint("message_id", "target_language", name="one_per_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), index=True
    )
    target_language: Mapped[str] = mapped_column(String(8))

    message: Mapped[Message] = relationship(back_populates="translations")
    reviewed_by: Mapped[Person | None] = relationship()


class MessageAttachment(db.Model):
    """A file that came with a received mail, kept as it came under instance/mail-attachments."""

    __tablename__ = "message_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)


class DraftState(LabelledEnum):
    WAITING = "waiting"
    TRANSLATED = "translated"
    FAILED = "failed"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "waiting": _l("Translation on its way"),
            "translated": _l("Translated"),
            "failed": _l("Could not be translated"),
        }


class Draft(db.Model):
    """A message being written, kept while a worker translates it (and translates it back, for
    the writer to check the meaning): the page that asked answers at once, whatever the
    translation service does, and the writer's words are kept if it fails. It goes when the
    message is sent."""

    __tablename__ = "message_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    writer_person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    recipient_person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(12))
    target_language: Mapped[str] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(Text)
    # The thread's subject in the language it is written in, translated when that is not the
    # recipient's.
    subject: Mapped[str] = mapped_column(String(300), default="")
    subject_language: Mapped[str] = mapped_column(String(12), default="")
    translation: Mapped[str] = mapped_column(Text, default="")
    subject_translation: Mapped[str] = mapped_column(String(300), default="")
    back_translation: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[DraftState] = mapped_column(
        stored_enum(DraftState, 12), default=DraftState.WAITING
    )
    failure_reason: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    thread: Mapped[Thread] = relationship()

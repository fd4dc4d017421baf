from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db


class TranslationStatus(LabelledEnum):
    PENDING = "pending"
    MACHINE = "machine"
    REVIEWED = "reviewed"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "pending": _l("Waiting for translation"),
            "machine": _l("Machine translation"),
            "reviewed": _l("Checked by a person"),
        }


class GlossaryTerm(db.Model):
    """A term that does not translate one-to-one, usable in both directions. It holds where it
    belongs: in every visit of the installation (no scope set), in the visits of one programme,
    in visits to one host city (notes about Paris's institutions do not belong in Lyon), or in
    one visit. At most one scope is set."""

    __tablename__ = "glossary_term"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN visit_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN programme_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN host_city = '' THEN 0 ELSE 1 END) <= 1",
            name="one_scope",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    language_a: Mapped[str] = mapped_column(String(8))
    term_a: Mapped[str] = mapped_column(String(200))
    language_b: Mapped[str] = mapped_column(String(8))
    # Empty when there is no equivalent: the term is then kept as it is and explained.
    term_b: Mapped[str] = mapped_column(String(200), default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    do_not_translate: Mapped[bool] = mapped_column(Boolean, default=False)
    domain: Mapped[str] = mapped_column(String(100), default="")
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    # A host city as visits name it, with its country code; both empty outside a city's scope.
    host_city: Mapped[str] = mapped_column(String(120), default="")
    host_country: Mapped[str] = mapped_column(String(2), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def everywhere(self) -> bool:
        return self.visit_id is None and self.programme_id is None and not self.host_city


class MemoryEntry(db.Model):
    """A translated segment kept for reuse; a person's reviewed version wins over the machine's."""

    __tablename__ = "translation_memory"
    __table_args__ = (
        UniqueConstraint("source_language", "target_language", "segment_key", "reviewed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_language: Mapped[str] = mapped_column(String(8))
    target_language: Mapped[str] = mapped_column(String(8))
    # The normalised source text (white space folded), which identical segments share.
    segment_key: Mapped[str] = mapped_column(String(64), index=True)
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    provider: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TranslationState:
    """What every translation row holds besides what it translates: the text, how it came
    (machine, or checked by whom), and the retries of a provider that failed. Messages'
    translations and visit content's share it, and the service's attempt() fills it."""

    text: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[TranslationStatus] = mapped_column(
        stored_enum(TranslationStatus, 10), default=TranslationStatus.PENDING, index=True
    )
    provider: Mapped[str] = mapped_column(String(40), default="")
    # Who edited or confirmed a reviewed translation: "checked by <name>" says so.
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    failure_reason: Mapped[str] = mapped_column(String(40), default="")
    failure_detail: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentTranslation(TranslationState, db.Model):
    """What cop holds about a visit (its title and objective, its itinerary, its social-media
    protocol) and organisations' descriptions, translated for readers of another language
    through the same service as correspondence. The original is never touched; the translation
    keeps the text it was made from, so one of an older text is never shown as current."""

    __tablename__ = "content_translation"
    __table_args__ = (
        UniqueConstraint(
            "kind", "record_id", "field", "target_language", name="one_per_field_and_language"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # cop.translation.content.FIELDS
    record_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    # The visit the record belongs to, so that one query reads a visit's translations and they
    # go with it; none for an organisation's description.
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True
    )
    source_language: Mapped[str] = mapped_column(String(8))
    source_text: Mapped[str] = mapped_column(Text, default="")
    target_language: Mapped[str] = mapped_column(String(8))

    reviewed_by: Mapped[Person | None] = relationship()

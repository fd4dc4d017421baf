"""Visit content in the reader's language (no Flask here).

What leads and hosts write about a visit (its title and objective, the itinerary's titles and
notes, the social-media protocol's rules, topics and embargoes) and organisations' descriptions
are kept as written and translated for readers of the visit's other languages, through the same
service as correspondence: the glossary of the visit's scopes, the memory, and a pending queue
that retries when the provider is down. A translation keeps the text it was made from, so a
translation of an older text is never shown as current; a person's correction is "checked by"
them and goes into the memory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from cop.directory.models import Organisation
from cop.itinerary.models import ItineraryItem
from cop.social.models import Embargo, SocialProtocol
from cop.translation.language import UNDETERMINED, identify
from cop.translation.models import ContentTranslation, TranslationStatus
from cop.translation.providers import ProviderSettings
from cop.translation.service import attempt, remember
from cop.visits.models import Visit

# Each kind of record, and the fields of it that readers of another language read.
FIELDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "visit": (Visit, ("title", "objective")),
    "item": (ItineraryItem, ("title", "notes")),
    "protocol": (
        SocialProtocol,
        ("forbidden_topics", "photo_rules", "video_rules", "host_comment"),
    ),
    "embargo": (Embargo, ("subject",)),
    "organisation": (Organisation, ("description",)),
}
# Fields someone else writes than the record's editor: saved only when they write them (the
# host's comment on the protocol is the host's words, in the host's language).
WRITTEN_APART = frozenset({("protocol", "host_comment")})
# An organisation belongs to no visit: its description is read in the interface's languages.
INTERFACE_LANGUAGES = ("en", "fr")


def is_translated(record: Any) -> bool:
    return any(isinstance(record, model) for model, _fields in FIELDS.values())


def kind_or_none(record: Any) -> str | None:
    """The kind of content a record is, or None for anything else (a row a query made)."""
    for kind, (model, _fields) in FIELDS.items():
        if type(record) is model or isinstance(record, model):
            return kind
    return None


def kind_of(record: Any) -> str:
    kind = kind_or_none(record)
    if kind is None:
        raise TypeError(f"{type(record).__name__} has no translated fields")
    return kind


def visit_of(record: Any) -> Visit | None:
    if isinstance(record, Visit):
        return record
    if isinstance(record, Embargo):
        return record.protocol.visit
    return getattr(record, "visit", None)


def visit_id_of(record: Any) -> int | None:
    """The visit a record belongs to, read without loading anything more."""
    if isinstance(record, Visit):
        return record.id
    if isinstance(record, Embargo):
        return record.protocol.visit_id
    return getattr(record, "visit_id", None)


def targets_for(record: Any, source: str) -> list[str]:
    """The languages the record is read in, other than the one it was written in."""
    visit = visit_of(record)
    languages = visit.language_list if visit is not None else list(INTERFACE_LANGUAGES)
    return [code for code in languages if code != source]


def _written_fields(record: Any, fields: tuple[str, ...] | None) -> tuple[str, ...]:
    """The fields a save of the record wrote: those given, else all its editor writes."""
    kind = kind_of(record)
    return fields or tuple(n for n in FIELDS[kind][1] if (kind, n) not in WRITTEN_APART)


def language_written(record: Any, fields: tuple[str, ...] | None, writer_language: str) -> str:
    """The language a record's fields are written in, told from their text; when it cannot be
    told (a title alone is often too short, or the text is in two languages), the language the
    writer works in, which they can see beside every translation and correct."""
    text = "\n\n".join(
        (getattr(record, name) or "").strip() for name in _written_fields(record, fields)
    )
    visit = visit_of(record)
    found = identify(text, visit.language_list if visit is not None else INTERFACE_LANGUAGES)
    return writer_language if found == UNDETERMINED else found


def written(
    session: Session, record: Any, language: str, fields: tuple[str, ...] | None = None
) -> list[ContentTranslation]:
    """Record that the record was saved by someone writing in ``language``: each of its fields
    that has text gets a row for each other language of the visit, waiting for translation when
    its text is new or changed (a correction of an older text no longer stands). Returns the
    rows to translate. The record must have its id (flushed)."""
    kind = kind_of(record)
    visit = visit_of(record)
    existing = {
        (row.field, row.target_language): row
        for row in session.scalars(
            select(ContentTranslation).where(
                ContentTranslation.kind == kind, ContentTranslation.record_id == record.id
            )
        )
    }
    targets = targets_for(record, language)
    due = []
    for name in _written_fields(record, fields):
        text = (getattr(record, name) or "").strip()
        for (field_name, target), row in list(existing.items()):
            # A field emptied, or a language the visit no longer has, needs no translation.
            if field_name == name and (not text or target not in targets):
                session.delete(row)
        if not text:
            continue
        for target in targets:
            row = existing.get((name, target))
            if row is not None and row.source_text == text and row.source_language == language:
                continue  # unchanged: what was translated, or checked, still stands
            if row is None:
                row = ContentTranslation(
                    kind=kind, record_id=record.id, field=name, target_language=target
                )
                session.add(row)
            row.visit_id = visit.id if visit is not None else None
            row.source_language, row.source_text = language, text
            row.text, row.notes, row.provider = "", "", ""
            row.status, row.reviewed_by_id = TranslationStatus.PENDING, None
            row.attempts, row.next_attempt_at = 0, None
            due.append(row)
    return due


def translate_rows(
    session: Session, rows: Iterable[ContentTranslation], settings: ProviderSettings, now: datetime
) -> int:
    """Try each row; returns how many were translated (the others wait, with their reason)."""
    done = 0
    for row in rows:
        if row.status is TranslationStatus.REVIEWED:
            continue
        attempt(session, row, row.source_text, row.source_language, settings, now, row.visit_id)
        done += row.status is TranslationStatus.MACHINE
    return done


def due_for_retry(session: Session, now: datetime, limit: int = 100) -> list[ContentTranslation]:
    """Waiting translations whose wait is over (rows another worker holds skipped, on
    PostgreSQL)."""
    query = (
        select(ContentTranslation)
        .where(
            ContentTranslation.status == TranslationStatus.PENDING,
            ContentTranslation.next_attempt_at.is_(None)
            | (ContentTranslation.next_attempt_at <= now),
        )
        .order_by(ContentTranslation.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def correct(session: Session, row: ContentTranslation, text: str, reviewer_id: int | None) -> None:
    """A person's translation replaces the machine's, is labelled as checked by them, and
    goes into the memory for the next text that says the same."""
    remember(
        session,
        row.source_language,
        row.target_language,
        row.source_text,
        text.strip(),
        "person",
        reviewed=True,
    )
    row.text = text.strip()
    row.status, row.reviewed_by_id, row.provider = TranslationStatus.REVIEWED, reviewer_id, "person"
    row.failure_reason = row.failure_detail = ""
    row.next_attempt_at = None


def forget(session: Session, kind: str, record_ids: Iterable[int]) -> None:
    """Translations of records that are gone (a removed embargo, a deleted organisation)."""
    ids = list(record_ids)
    if ids:
        session.execute(
            delete(ContentTranslation).where(
                ContentTranslation.kind == kind, ContentTranslation.record_id.in_(ids)
            )
        )


@dataclass(frozen=True)
class Reading:
    """A field as one reader reads it."""

    original: str
    text: str  # what to show: the translation when there is a current one, else the original
    translation: ContentTranslation | None  # the current translation shown, if any
    waiting: bool  # a translation into the reader's language is on its way

    @property
    def translated(self) -> bool:
        return self.translation is not None


def translations_for(
    session: Session,
    language: str,
    visit_ids: Iterable[int] = (),
    organisation_id: int | None = None,
) -> dict[tuple[str, int, str], ContentTranslation]:
    """Every translation into ``language`` of some visits' content (or of one organisation's
    description), in one query, by (kind, record id, field)."""
    query = select(ContentTranslation).where(ContentTranslation.target_language == language)
    if organisation_id is None:
        query = query.where(ContentTranslation.visit_id.in_(list(visit_ids)))
    else:
        query = query.where(
            ContentTranslation.kind == "organisation",
            ContentTranslation.record_id == organisation_id,
        )
    query = query.options(selectinload(ContentTranslation.reviewed_by))
    return {(row.kind, row.record_id, row.field): row for row in session.scalars(query)}


def visit_titles(session: Session, language: str) -> dict[tuple[str, int, str], ContentTranslation]:
    """Every visit's title in ``language``, for pages that list visits."""
    query = select(ContentTranslation).where(
        ContentTranslation.kind == "visit",
        ContentTranslation.field == "title",
        ContentTranslation.target_language == language,
    )
    return {(row.kind, row.record_id, row.field): row for row in session.scalars(query)}


def reading(
    record: Any, name: str, found: dict[tuple[str, int, str], ContentTranslation]
) -> Reading:
    original = getattr(record, name) or ""
    row = found.get((kind_of(record), record.id, name))
    if row is None or row.source_text != original.strip():
        # No translation into this language, or one of an older text: the original it is.
        return Reading(original, original, None, row is not None)
    if row.status is TranslationStatus.PENDING:
        return Reading(original, original, None, True)
    return Reading(original, row.text, row, False)

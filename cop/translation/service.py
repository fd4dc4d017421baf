"""Translating a message: memory first, then the provider with the glossary protected; the
result says how many provider calls it took."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.database import utcnow
from cop.retrying import backoff
from cop.translation import glossary
from cop.translation.models import GlossaryTerm, MemoryEntry, TranslationStatus
from cop.translation.providers import (
    ProviderSettings,
    TranslationFailed,
    limit_for,
    split_text,
    translate_segment,
)
from cop.translation.scopes import applying_to
from cop.visits.models import Visit


def segment_key(text: str) -> str:
    normalised = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(normalised.encode()).hexdigest()


@dataclass
class Translated:
    text: str
    notes: list[glossary.Term] = field(default_factory=list)
    provider_calls: int = 0
    from_memory: int = 0


def glossary_terms(session: Session, visit_id: int | None) -> list[GlossaryTerm]:
    """The terms that hold in the visit: the installation's, its programme's, its host city's
    and its own."""
    visit = session.get(Visit, visit_id) if visit_id is not None else None
    return list(session.scalars(select(GlossaryTerm).where(applying_to(visit))))


def remembered(session: Session, source: str, target: str, key: str) -> MemoryEntry | None:
    return session.scalar(
        select(MemoryEntry)
        .where(
            MemoryEntry.source_language == source,
            MemoryEntry.target_language == target,
            MemoryEntry.segment_key == key,
        )
        .order_by(MemoryEntry.reviewed.desc())
        .limit(1)
    )


def remember(
    session: Session,
    source: str,
    target: str,
    original: str,
    translated: str,
    provider: str,
    reviewed: bool = False,
) -> None:
    key = segment_key(original)
    entry = session.scalar(
        select(MemoryEntry).where(
            MemoryEntry.source_language == source,
            MemoryEntry.target_language == target,
            MemoryEntry.segment_key == key,
            MemoryEntry.reviewed.is_(reviewed),
        )
    )
    if entry is None:
        entry = MemoryEntry(
            source_language=source, target_language=target, segment_key=key, reviewed=reviewed
        )
        session.add(entry)
    entry.source_text, entry.target_text = original, translated
    entry.provider, entry.updated_at = provider, utcnow()


def translate(
    session: Session,
    text: str,
    source: str,
    target: str,
    settings: ProviderSettings,
    visit_id: int | None = None,
) -> Translated:
    """The whole text in the target language; raises TranslationFailed if a segment that the
    memory does not know cannot be translated (segments translated before that are remembered)."""
    terms = glossary.oriented_terms(glossary_terms(session, visit_id), source, target)
    result = Translated(text="", notes=glossary.notes_for(text, terms))
    if source == target:
        result.text = text
        return result
    pieces = []
    for segment in split_text(text, limit_for(settings)):
        memory = remembered(session, source, target, segment_key(segment))
        if memory is not None:
            pieces.append(memory.target_text)
            result.from_memory += 1
            continue
        protected, found = glossary.protect(segment, terms)
        translated = glossary.restore(translate_segment(protected, source, target, settings), found)
        result.provider_calls += 1
        remember(session, source, target, segment, translated, settings.name)
        session.flush()
        pieces.append(translated)
    result.text = "\n\n".join(pieces)
    return result


def format_notes(notes: list[glossary.Term]) -> str:
    return "\n".join(f"{note.source}: {note.explanation}" for note in notes)


def attempt(
    session: Session,
    row: Any,
    text: str,
    source: str,
    settings: ProviderSettings,
    now: datetime,
    visit_id: int | None,
) -> None:
    """Try a translation row (of a message or of visit content): done, it holds the machine's
    text; failed, it stays pending with the reason and the time of the next try. The original
    is never touched, so a failure loses nothing."""
    row.attempts = (row.attempts or 0) + 1
    row.updated_at = now
    try:
        done = translate(session, text, source, row.target_language, settings, visit_id)
    except TranslationFailed as failure:
        row.status = TranslationStatus.PENDING
        row.failure_reason, row.failure_detail = failure.reason, failure.detail
        row.next_attempt_at = now + backoff(row.attempts)
        return
    row.text, row.notes = done.text, format_notes(done.notes)
    row.status, row.provider = TranslationStatus.MACHINE, settings.name
    row.failure_reason = row.failure_detail = ""
    row.next_attempt_at = None

"""Translating a message: memory first, then the provider with the glossary protected; the
result says how many provider calls it took."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.database import utcnow
from cop.translation import glossary
from cop.translation.models import GlossaryTerm, MemoryEntry
from cop.translation.providers import ProviderSettings, limit_for, split_text, translate_segment
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

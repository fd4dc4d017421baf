"""Keeping every message, translating it when the provider allows, and retrying when not."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.correspondence.models import Draft, DraftState, Message, MessageTranslation
from cop.retrying import TASK_LEASE
from cop.translation.language import UNDETERMINED
from cop.translation.models import TranslationStatus
from cop.translation.providers import ProviderSettings, TranslationFailed
from cop.translation.service import attempt, remember


def other_language(languages: Sequence[str], language: str) -> str | None:
    """The language a message is translated into; none while nobody knows its own."""
    if language == UNDETERMINED:
        return None
    return next((code for code in languages if code != language), None)


def waiting_translation(
    session: Session, message: Message, target: str, now: datetime
) -> MessageTranslation:
    """The message's translation into ``target``, waiting for a worker (a checked one stays as
    it is); the retry sweep leaves it to the worker's task for a while."""
    translation = session.scalar(
        select(MessageTranslation).where(
            MessageTranslation.message_id == message.id,
            MessageTranslation.target_language == target,
        )
    )
    if translation is None:
        translation = MessageTranslation(
            message_id=message.id, target_language=target, status=TranslationStatus.PENDING
        )
        session.add(translation)
    if translation.status != TranslationStatus.REVIEWED:
        translation.next_attempt_at = now + TASK_LEASE
    return translation


def translate_into(
    session: Session,
    message: Message,
    target: str,
    settings: ProviderSettings,
    now: datetime,
    visit_id: int | None = None,
) -> MessageTranslation:
    """Translate a message, or keep it pending with the reason; the message itself is never
    touched, so a failed translation cannot lose it."""
    translation = session.scalar(
        select(MessageTranslation).where(
            MessageTranslation.message_id == message.id,
            MessageTranslation.target_language == target,
        )
    )
    if translation is None:
        translation = MessageTranslation(message_id=message.id, target_language=target)
        session.add(translation)
    if translation.status == TranslationStatus.REVIEWED:
        return translation
    attempt(session, translation, message.body, message.language, settings, now, visit_id)
    return translation


def due_for_retry(session: Session, now: datetime, limit: int = 100) -> list[MessageTranslation]:
    """Pending translations whose wait is over; rows another worker holds are skipped (on
    PostgreSQL), so concurrent retries never work on, or duplicate, the same translation."""
    query = (
        select(MessageTranslation)
        .where(
            MessageTranslation.status == TranslationStatus.PENDING,
            (MessageTranslation.next_attempt_at.is_(None))
            | (MessageTranslation.next_attempt_at <= now),
        )
        .order_by(MessageTranslation.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def review(
    session: Session, translation: MessageTranslation, text: str, reviewer_id: int | None
) -> None:
    """A person's translation: it replaces the machine's and goes into the memory, paragraph by
    paragraph when the paragraphs line up, else as a whole."""
    message = translation.message
    source_parts = [p.strip() for p in re.split(r"\n\s*\n", message.body.strip()) if p.strip()]
    target_parts = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    pairs = (
        zip(source_parts, target_parts, strict=True)
        if len(source_parts) == len(target_parts)
        else [(message.body.strip(), text.strip())]
    )
    for original, translated in pairs:
        remember(
            session,
            message.language,
            translation.target_language,
            original,
            translated,
            "person",
            reviewed=True,
        )
    translation.text = text.strip()
    translation.status = TranslationStatus.REVIEWED
    translation.reviewed_by_id = reviewer_id
    translation.failure_reason = translation.failure_detail = ""
    translation.next_attempt_at = None


def translate_draft(session: Session, draft: Draft, settings: ProviderSettings) -> None:
    """Translate a draft for its recipient, its subject if the thread's is in another language,
    and the translation back into the writer's language; a failure is kept with its reason
    (the writer's words stay as written)."""
    from cop.translation.service import translate

    visit_id = draft.thread.visit_id
    try:
        done = translate(
            session, draft.body, draft.language, draft.target_language, settings, visit_id
        )
        subject = ""
        if draft.subject and draft.subject_language != draft.target_language:
            subject = translate(
                session,
                draft.subject,
                draft.subject_language,
                draft.target_language,
                settings,
                visit_id,
            ).text
        back = translate(
            session, done.text, draft.target_language, draft.language, settings, visit_id
        )
    except TranslationFailed as failure:
        session.rollback()  # nothing half-translated is kept; the draft says why
        draft = session.get(Draft, draft.id)
        draft.state, draft.failure_reason = DraftState.FAILED, failure.reason
        return
    draft.translation, draft.subject_translation = done.text, subject
    draft.back_translation = back.text
    draft.state, draft.failure_reason = DraftState.TRANSLATED, ""

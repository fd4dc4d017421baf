"""Blinded double coding (no Flask here): where a programme codes blind, each researcher codes
without seeing the others' codes, and sees them once they have said they finished coding.
Saying so cannot be taken back: what has been seen cannot be unseen."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.accounts.models import User
from cop.research.models import FinishedCoding


def has_finished(session: Session, programme_id: int, user_id: int) -> bool:
    return (
        session.scalar(
            select(FinishedCoding.id).where(
                FinishedCoding.programme_id == programme_id, FinishedCoding.coder_id == user_id
            )
        )
        is not None
    )


def finish(session: Session, programme_id: int, user_id: int) -> bool:
    """Record that the researcher finished coding; False if they had already said so."""
    if has_finished(session, programme_id, user_id):
        return False
    session.add(FinishedCoding(programme_id=programme_id, coder_id=user_id))
    return True


def finished_coders(session: Session, programme_id: int) -> list[FinishedCoding]:
    """Who has finished, first to finish first, with their accounts."""
    return list(
        session.scalars(
            select(FinishedCoding)
            .join(User, User.id == FinishedCoding.coder_id)
            .where(FinishedCoding.programme_id == programme_id)
            .order_by(FinishedCoding.finished_at, FinishedCoding.id)
        )
    )

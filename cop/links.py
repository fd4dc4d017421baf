"""Signed, revocable links for people who act without signing in.

A link is a row (what it grants, to whom, until when, whether revoked) and a token that carries the
row's id signed with the application's secret. Tampering breaks the signature; revoking or expiring
the row stops the link even though the token itself still verifies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cop.database import UTCDateTime, utcnow
from cop.extensions import db


class SignedLink(db.Model):
    __tablename__ = "signed_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40), index=True)
    # What the link is about (a user for a password reset, a poll invitation later) and for whom.
    subject_id: Mapped[int] = mapped_column()
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = utcnow()


class LinkError(Exception):
    """Why a link cannot be used: ``invalid``, ``expired`` or ``revoked``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedLink:
    link: SignedLink
    token: str


def _serializer(secret_key: str, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=f"cop-link:{purpose}")


def issue_link(
    secret_key: str,
    purpose: str,
    subject_id: int,
    *,
    person_id: int | None = None,
    valid_for: timedelta | None = None,
) -> IssuedLink:
    """Create a link row (added to the session, flushed for its id) and its token."""
    link = SignedLink(
        purpose=purpose,
        subject_id=subject_id,
        person_id=person_id,
        expires_at=utcnow() + valid_for if valid_for else None,
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(link=link, token=token_for(secret_key, link))


def token_for(secret_key: str, link: SignedLink) -> str:
    """The token of an existing link (tokens are deterministic, so none is stored)."""
    return _serializer(secret_key, link.purpose).dumps(
        {"link": link.id, "subject": link.subject_id}
    )


def resolve_link(secret_key: str, purpose: str, token: str) -> SignedLink:
    """Return the link a token stands for, or raise :class:`LinkError` saying why not."""
    try:
        payload = _serializer(secret_key, purpose).loads(token)
    except BadSignature as error:
        raise LinkError("invalid") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("link"), int):
        raise LinkError("invalid")
    link = db.session.get(SignedLink, payload["link"])
    if link is None or link.purpose != purpose or link.subject_id != payload.get("subject"):
        raise LinkError("invalid")
    if link.revoked_at is not None:
        raise LinkError("revoked")
    if link.expires_at is not None and link.expires_at <= utcnow():
        raise LinkError("expired")
    link.last_used_at = utcnow()
    return link


def live_link(purpose: str, subject_id: int) -> SignedLink | None:
    """The link of a purpose for a subject that still works, if there is one."""
    return db.session.scalar(
        db.select(SignedLink)
        .where(
            SignedLink.purpose == purpose,
            SignedLink.subject_id == subject_id,
            SignedLink.revoked_at.is_(None),
        )
        .order_by(SignedLink.id.desc())
        .limit(1)
    )


def link_for(
    secret_key: str, purpose: str, subject_id: int, *, person_id: int | None = None
) -> SignedLink:
    """The working link for a subject, issuing one when there is none, so a resent invitation
    carries the same link as the first."""
    return (
        live_link(purpose, subject_id)
        or issue_link(secret_key, purpose, subject_id, person_id=person_id).link
    )


def revoke_links(purpose: str, subject_id: int) -> int:
    """Revoke every live link of a purpose for one subject; returns how many were revoked."""
    links = db.session.scalars(
        db.select(SignedLink).where(
            SignedLink.purpose == purpose,
            SignedLink.subject_id == subject_id,
            SignedLink.revoked_at.is_(None),
        )
    ).all()
    for link in links:
        link.revoke()
    return len(links)

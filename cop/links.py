"""Signed, revocable links for people who act without signing in.

A link is a row (what it grants, to whom, until when, whether revoked) and a token that carries the
row's id signed with the application's secret. Tampering breaks the signature; revoking or expiring
the row stops the link even though the token itself still verifies.

A link belongs to one purpose, one subject *and one person*: finding a live link to put in a mail
always asks for the recipient's own, so no two people ever share a link. A link given to someone
because they belong to a visit names that visit, and stops working the moment they leave it. Every
purpose has a lifetime (:data:`LIFETIMES`); links also die when what they answer closes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ForeignKey, String, exists, select
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
    # The visit whose membership the link stands on: it dies when its holder leaves the visit.
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True
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


# How long each kind of link works at most, whatever else ends it sooner. The README lists them.
LIFETIMES: dict[str, timedelta] = {
    # Set by PASSWORD_RESET_MAX_AGE (an hour by default); this is only the upper bound.
    "password-reset": timedelta(days=1),
    # Until the poll closes; a poll is rarely open for more than a few weeks.
    "poll-answer": timedelta(days=90),
    # Until the wave closes.
    "network-survey": timedelta(days=180),
    # An interpreter's bookings and briefing packs; "Send a new link" replaces it sooner.
    "interpreter": timedelta(days=365),
    # A calendar subscription; "Reset my links" replaces it sooner.
    "calendar-feed": timedelta(days=365),
    # A host approving the social-media protocol, a member accepting it.
    "protocol_approval": timedelta(days=90),
    "protocol_ack": timedelta(days=90),
    # An invitation to choose a password; the administrator or lead can send it again.
    "invitation": timedelta(days=14),
}
DEFAULT_LIFETIME = timedelta(days=30)


def lifetime_of(purpose: str) -> timedelta:
    return LIFETIMES.get(purpose, DEFAULT_LIFETIME)


def issue_link(
    secret_key: str,
    purpose: str,
    subject_id: int,
    *,
    person_id: int | None = None,
    visit_id: int | None = None,
    valid_for: timedelta | None = None,
) -> IssuedLink:
    """Create a link row (added to the session, flushed for its id) and its token. It lives for
    ``valid_for`` or the purpose's lifetime, whichever is shorter."""
    lifetime = min(valid_for, lifetime_of(purpose)) if valid_for else lifetime_of(purpose)
    link = SignedLink(
        purpose=purpose,
        subject_id=subject_id,
        person_id=person_id,
        visit_id=visit_id,
        expires_at=utcnow() + lifetime,
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(link=link, token=token_for(secret_key, link))


def token_for(secret_key: str, link: SignedLink) -> str:
    """The token of an existing link (tokens are deterministic, so none is stored)."""
    return _serializer(secret_key, link.purpose).dumps(
        {"link": link.id, "subject": link.subject_id}
    )


def _holder_left_visit(link: SignedLink) -> bool:
    from cop.visits.models import Membership

    if link.visit_id is None or link.person_id is None:
        return False
    member = exists().where(
        Membership.visit_id == link.visit_id, Membership.person_id == link.person_id
    )
    return not db.session.scalar(select(member))


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
    if link.revoked_at is not None or _holder_left_visit(link):
        raise LinkError("revoked")
    if link.expires_at is not None and link.expires_at <= utcnow():
        raise LinkError("expired")
    link.last_used_at = utcnow()
    return link


# Stands for "whoever holds it" where revoking every holder's link of a subject is meant.
ANYONE: Any = object()


def _live(purpose: str, subject_ids: Iterable[int], person_id: int | None) -> Any:
    condition = [
        SignedLink.purpose == purpose,
        SignedLink.subject_id.in_(list(subject_ids)),
        SignedLink.revoked_at.is_(None),
    ]
    if person_id is not ANYONE:
        condition.append(
            SignedLink.person_id.is_(None)
            if person_id is None
            else SignedLink.person_id == person_id
        )
    return condition


def live_link(purpose: str, subject_id: int, person_id: int | None) -> SignedLink | None:
    """The working link of a purpose for a subject held by this person, if there is one."""
    return db.session.scalar(
        select(SignedLink)
        .where(
            *_live(purpose, [subject_id], person_id),
            (SignedLink.expires_at.is_(None)) | (SignedLink.expires_at > utcnow()),
        )
        .order_by(SignedLink.id.desc())
        .limit(1)
    )


def subjects_with_live_links(purpose: str, subject_ids: Iterable[int]) -> set[int]:
    """Which of these subjects have a working link of the purpose, in one query (a list page)."""
    return set(
        db.session.scalars(
            select(SignedLink.subject_id).where(
                *_live(purpose, subject_ids, ANYONE),
                (SignedLink.expires_at.is_(None)) | (SignedLink.expires_at > utcnow()),
            )
        )
    )


def link_for(
    secret_key: str,
    purpose: str,
    subject_id: int,
    *,
    person_id: int | None,
    visit_id: int | None = None,
) -> SignedLink:
    """This person's working link for a subject, issuing one when they have none, so a resent
    invitation carries the same link as the first, and nobody is ever given someone else's."""
    found = live_link(purpose, subject_id, person_id)
    if found is not None and found.visit_id == visit_id:
        return found
    return issue_link(secret_key, purpose, subject_id, person_id=person_id, visit_id=visit_id).link


def revoke_links(purpose: str, subject_id: int, person_id: Any = ANYONE) -> int:
    """Revoke the live links of a purpose for one subject (only one person's, if named)."""
    return revoke_links_of(purpose, [subject_id], person_id)


def revoke_links_of(purpose: str, subject_ids: Iterable[int], person_id: Any = ANYONE) -> int:
    """Revoke the live links of a purpose for several subjects, e.g. when a poll closes."""
    return _revoke_where(*_live(purpose, subject_ids, person_id))


def revoke_visit_links(visit_id: int, person_id: int) -> int:
    """Someone left a visit: every link they held because they were in it stops working."""
    return _revoke_where(
        SignedLink.visit_id == visit_id,
        SignedLink.person_id == person_id,
        SignedLink.revoked_at.is_(None),
    )


def _revoke_where(*conditions: Any) -> int:
    links = db.session.scalars(select(SignedLink).where(*conditions)).all()
    for link in links:
        link.revoke()
    return len(links)

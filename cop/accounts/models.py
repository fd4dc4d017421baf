from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.accounts.passwords import hash_password, password_matches
from cop.database import UTCDateTime, utcnow
from cop.extensions import db

if TYPE_CHECKING:
    from cop.directory.models import Person


class User(UserMixin, db.Model):
    """A login. Global roles are flags; roles in a visit come from memberships of the person."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_researcher: Mapped[bool] = mapped_column(Boolean, default=False)
    # Starts programmes and visits (and adds people and organisations to the directory).
    is_organiser: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised on every password change, so that sessions issued before it stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person | None] = relationship(back_populates="user", lazy="joined")

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    @property
    def display_name(self) -> str:
        return self.person.name if self.person else self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"


# Where the browser's session cookie keeps the key of its SignInSession.
SESSION_KEY = "sign_in"


class SignInSession(db.Model):
    """One signed-in browser. The session cookie carries only ``key``; signing out ends the row,
    so a copied cookie stops working even though its signature is still good."""

    __tablename__ = "sign_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

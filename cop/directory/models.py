from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db

if TYPE_CHECKING:
    from cop.accounts.models import User
    from cop.visits.models import Membership


class OrganisationKind(LabelledEnum):
    COUNCIL = "council"
    DISTRICT = "district"
    RESEARCH = "research"
    NETWORK = "network"
    GOVERNMENT = "government"
    VOLUNTEER_SERVICE = "volunteer_service"
    INTERPRETING = "interpreting"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "council": _l("Local council"),
            "district": _l("District town hall"),
            "research": _l("Research organisation"),
            "network": _l("Network"),
            "government": _l("Government"),
            "volunteer_service": _l("Volunteer service"),
            "interpreting": _l("Interpreting service"),
            "other": _l("Other"),
        }


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        stored_enum(OrganisationKind, 30), default=OrganisationKind.OTHER
    )
    city: Mapped[str] = mapped_column(String(120), default="")
    # ISO 3166-1 alpha-2, and the ISO 3166-2 subdivision where public holidays differ (GB: SCT).
    country: Mapped[str] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(8), default="en")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # What it is and does, for a visitor or an interpreter who does not know it.
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    people: Mapped[list[Person]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class Person(db.Model):
    """A practitioner, host, interpreter or researcher; may have a login (``user``)."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str] = mapped_column(String(200), default="")
    # Language codes the person works in, comma separated, e.g. "en,fr".
    languages: Mapped[str] = mapped_column(String(100), default="")
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    # Special-category data (UK GDPR art. 9): seen only by the person and their visits' leads.
    access_needs: Mapped[str] = mapped_column(Text, default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    # What closes the mail they write to hosts; empty, it is made from their name and job.
    signature: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")
    user: Mapped[User | None] = relationship(back_populates="person")
    memberships: Mapped[list[Membership]] = relationship(back_populates="person")

    @property
    def job_and_organisation(self) -> str:
        """ "PB officer, Glasgow City Council": what tells a person apart from a namesake."""
        organisation = self.organisation.name if self.organisation else ""
        return ", ".join(part for part in (self.job_title, organisation) if part)

    @property
    def signature_or_default(self) -> str:
        if self.signature:
            return self.signature
        return "\n".join([self.name, self.job_and_organisation]).strip()

    @property
    def language_list(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]

    def __repr__(self) -> str:
        return f"<Person {self.name}>"


class HandOver(db.Model):
    """Someone left their post: a lead gave their open actions, contacts to keep up and open
    threads to a successor. Kept as the record both people's pages show."""

    __tablename__ = "hand_over"

    id: Mapped[int] = mapped_column(primary_key=True)
    leaver_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    successor_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    actions_moved: Mapped[int] = mapped_column(default=0)
    threads_moved: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    leaver: Mapped[Person] = relationship(foreign_keys=[leaver_id])
    successor: Mapped[Person] = relationship(foreign_keys=[successor_id])
    contacts: Mapped[list[HandOverContact]] = relationship(
        back_populates="hand_over", cascade="all, delete-orphan"
    )


class HandOverContact(db.Model):
    """One of the leaver's contacts the successor is to keep up."""

    __tablename__ = "hand_over_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    hand_over_id: Mapped[int] = mapped_column(
        ForeignKey("hand_over.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)

    hand_over: Mapped[HandOver] = relationship(back_populates="contacts")
    person: Mapped[Person] = relationship()

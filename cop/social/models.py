"""What may be posted about a visit: the protocol agreed with the host, each person's consent to
photos, videos, tags and names, and the checks of draft posts."""

from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.directory.models import Person
from cop.enums import EnumList, LabelledEnum, stored_enum
from cop.extensions import db
from cop.visits.models import Visit


class Platform(LabelledEnum):
    X = "x"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    LINKEDIN = "linkedin"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "x": _l("X (Twitter)"),
            "bluesky": _l("Bluesky"),
            "mastodon": _l("Mastodon"),
            "linkedin": _l("LinkedIn"),
            "instagram": _l("Instagram"),
            "facebook": _l("Facebook"),
        }

    @property
    def max_length(self) -> int:
        """The longest post the platform takes, in characters (its own published limits)."""
        return {
            "x": 280,
            "bluesky": 300,
            "mastodon": 500,
            "linkedin": 3000,
            "instagram": 2200,
            "facebook": 63206,
        }[self.value]


class SocialProtocol(db.Model):
    """A visit's rules for posting, as agreed with the host. Any change after the host approved
    it makes a new version that needs approving, and acknowledging, again."""

    __tablename__ = "social_protocol"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    platforms: Mapped[list[Platform]] = mapped_column(EnumList(Platform, 200), default=[])
    hashtags: Mapped[str] = mapped_column(String(300), default="")
    accounts: Mapped[str] = mapped_column(String(300), default="")
    # One topic a line; a post naming any of its words is flagged.
    forbidden_topics: Mapped[str] = mapped_column(Text, default="")
    photo_rules: Mapped[str] = mapped_column(Text, default="")
    video_rules: Mapped[str] = mapped_column(Text, default="")
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    host_comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship()
    approved_by: Mapped[Person | None] = relationship()
    embargoes: Mapped[list[Embargo]] = relationship(
        back_populates="protocol", cascade="all, delete-orphan", order_by="Embargo.until"
    )

    @property
    def hashtag_list(self) -> list[str]:
        return [tag if tag.startswith("#") else f"#{tag}" for tag in _split(self.hashtags)]

    @property
    def account_list(self) -> list[str]:
        return [name if name.startswith("@") else f"@{name}" for name in _split(self.accounts)]

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.forbidden_topics.splitlines() if line.strip()]


def _split(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


class Embargo(db.Model):
    """Nothing about ``subject`` (its words, or the itinerary item's title) before ``until``."""

    __tablename__ = "embargo"

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("social_protocol.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(200))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("itinerary_item.id", ondelete="SET NULL"), index=True
    )
    until: Mapped[datetime] = mapped_column(UTCDateTime)

    protocol: Mapped[SocialProtocol] = relationship(back_populates="embargoes")


class ProtocolAcknowledgement(db.Model):
    """A member read and accepted one version of the protocol."""

    __tablename__ = "protocol_acknowledgement"
    __table_args__ = (
        UniqueConstraint("protocol_id", "person_id", "version", name="acknowledged_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("social_protocol.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MediaConsent(db.Model):
    """One entry of a person's consent history; the latest entry is what holds now."""

    __tablename__ = "media_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    photo: Mapped[bool] = mapped_column(Boolean, default=False)
    video: Mapped[bool] = mapped_column(Boolean, default=False)
    tagging: Mapped[bool] = mapped_column(Boolean, default=False)
    naming: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who recorded it: the person themself, or an organiser from a signed paper form.
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])


class Decision(LabelledEnum):
    POSTED = "posted"
    CHANGED = "changed"
    NOT_POSTED = "not_posted"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {
            "posted": _l("Posted as checked"),
            "changed": _l("Changed before posting"),
            "not_posted": _l("Not posted"),
        }


post_check_pictured = db.Table(
    "post_check_pictured",
    db.Column("check_id", ForeignKey("post_check.id", ondelete="CASCADE"), primary_key=True),
    db.Column(
        "person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class PostCheck(db.Model):
    """A draft post checked against the protocol and the consents, and what was decided."""

    __tablename__ = "post_check"
    __table_args__ = (CheckConstraint("length(text) > 0", name="has_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[Platform] = mapped_column(stored_enum(Platform, 20))
    text: Mapped[str] = mapped_column(Text)
    has_video: Mapped[bool] = mapped_column(Boolean, default=False)
    post_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # One problem a line as "rule<TAB>detail", worded in the reader's language when shown.
    problems: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[Decision | None] = mapped_column(stored_enum(Decision, 20))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Person | None] = relationship()
    pictured: Mapped[list[Person]] = relationship(secondary=post_check_pictured)

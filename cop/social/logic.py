"""The social-media protocol as the database holds it (no Flask): its versions, the host's
approval, members' acceptance of the current version, the consent register, and the draft-post
check's rules and log. The views word, mail and speak HTTP.

Versions: any change to an approved protocol makes a new version, which the host approves and
every member accepts again; acceptances of earlier versions stay in the record. Consent: the
register keeps every choice a person made, newest last; no choice recorded means no."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from cop.directory.models import Person
from cop.itinerary.models import ItineraryItem
from cop.social import checks
from cop.social.models import (
    Embargo,
    MediaConsent,
    Platform,
    PostCheck,
    ProtocolAcknowledgement,
    SocialProtocol,
)
from cop.visits.models import Membership, MembershipRole

POST_LOG_LENGTH = 50


def protocol_of(session: Session, visit_id: int) -> SocialProtocol:
    """The visit's protocol; a visit made before protocols were started with the visit gets an
    empty one (flushed, committed with whatever the request saves)."""
    protocol = session.scalar(select(SocialProtocol).where(SocialProtocol.visit_id == visit_id))
    if protocol is None:
        protocol = SocialProtocol(visit_id=visit_id)
        session.add(protocol)
        session.flush()
    return protocol


def members_of(session: Session, visit_id: int) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.visit_id == visit_id)
            .options(selectinload(Membership.person))
        )
    )


def changed(protocol: SocialProtocol, now: datetime) -> None:
    """A change to an approved protocol makes a new version, to approve and accept again."""
    if protocol.approved_at is not None:
        protocol.version += 1
        protocol.approved_at = None
        protocol.approved_by_id = None
    protocol.updated_at = now


def add_embargo(
    protocol: SocialProtocol, subject: str, item_id: int | None, until: datetime, now: datetime
) -> Embargo:
    embargo = Embargo(subject=subject, item_id=item_id, until=until)
    protocol.embargoes.append(embargo)
    changed(protocol, now)
    return embargo


def remove_embargo(
    session: Session, protocol: SocialProtocol, embargo: Embargo, now: datetime
) -> None:
    session.delete(embargo)
    changed(protocol, now)


def approve(protocol: SocialProtocol, host: Person, comment: str, now: datetime) -> None:
    protocol.approved_at, protocol.approved_by_id, protocol.host_comment = now, host.id, comment


def hosts_to_ask(members: list[Membership]) -> list[Person]:
    """The visit's hosts who can be mailed to approve the protocol."""
    return [m.person for m in members if m.role is MembershipRole.HOST and m.person.email]


def accepted_by(session: Session, protocol: SocialProtocol) -> set[int]:
    """Who has accepted the current version."""
    return set(
        session.scalars(
            select(ProtocolAcknowledgement.person_id).where(
                ProtocolAcknowledgement.protocol_id == protocol.id,
                ProtocolAcknowledgement.version == protocol.version,
            )
        )
    )


def accepted_at(session: Session, protocol: SocialProtocol, person_id: int) -> datetime | None:
    return session.scalar(
        select(ProtocolAcknowledgement.acknowledged_at).where(
            ProtocolAcknowledgement.protocol_id == protocol.id,
            ProtocolAcknowledgement.person_id == person_id,
            ProtocolAcknowledgement.version == protocol.version,
        )
    )


def accept(session: Session, protocol: SocialProtocol, person_id: int) -> bool:
    """Record that a member accepts the current version (once); False while the host has not
    approved it, when there is nothing to accept."""
    if protocol.approved_at is None:
        return False
    if accepted_at(session, protocol, person_id) is None:
        session.add(
            ProtocolAcknowledgement(
                protocol_id=protocol.id, person_id=person_id, version=protocol.version
            )
        )
    return True


def to_remind(session: Session, protocol: SocialProtocol) -> list[Person]:
    """Members with an address who have not accepted the current, approved version."""
    if protocol.approved_at is None:
        return []
    done = accepted_by(session, protocol)
    return [
        m.person
        for m in members_of(session, protocol.visit_id)
        if m.person_id not in done and m.person.email
    ]


# The consent register


@dataclass(frozen=True)
class ConsentChoices:
    photo: bool
    video: bool
    tagging: bool
    naming: bool
    note: str = ""


def current_consent(session: Session, person_id: int) -> MediaConsent | None:
    return session.scalar(
        select(MediaConsent)
        .where(MediaConsent.person_id == person_id)
        .order_by(MediaConsent.recorded_at.desc(), MediaConsent.id.desc())
        .limit(1)
    )


def consents_of(session: Session, person_ids: list[int]) -> dict[int, MediaConsent]:
    """Each person's latest consent, in one query."""
    latest = (
        select(MediaConsent.person_id, func.max(MediaConsent.id).label("last"))
        .where(MediaConsent.person_id.in_(person_ids))
        .group_by(MediaConsent.person_id)
        .subquery()
    )
    return {
        consent.person_id: consent
        for consent in session.scalars(
            select(MediaConsent).join(latest, MediaConsent.id == latest.c.last)
        )
    }


def record_consent(
    session: Session, person: Person, choices: ConsentChoices, recorded_by: Person | None
) -> MediaConsent:
    """A new entry in the register; earlier ones stay as the history."""
    consent = MediaConsent(
        person_id=person.id,
        photo=choices.photo,
        video=choices.video,
        tagging=choices.tagging,
        naming=choices.naming,
        note=choices.note,
        recorded_by_id=recorded_by.id if recorded_by else None,
    )
    session.add(consent)
    session.flush()
    return consent


def consent_history(session: Session, person_id: int) -> list[MediaConsent]:
    return list(
        session.scalars(
            select(MediaConsent)
            .where(MediaConsent.person_id == person_id)
            .options(selectinload(MediaConsent.recorded_by))
            .order_by(MediaConsent.recorded_at.desc(), MediaConsent.id.desc())
        )
    )


def person_consent_of(person: Person, consent: MediaConsent | None) -> checks.PersonConsent:
    """No consent recorded means no: nothing may be posted of someone who was not asked."""
    if consent is None:
        return checks.PersonConsent(person.name, False, False, False, False)
    return checks.PersonConsent(
        person.name, consent.photo, consent.video, consent.tagging, consent.naming
    )


# The draft-post check


def rules_of(
    session: Session, protocol: SocialProtocol, members: list[Membership]
) -> checks.ProtocolRules:
    """The protocol and everyone's consent as the checker reads them; an embargo tied to an
    itinerary item is also given away by the item's title."""
    people = [m.person for m in members]
    consents = consents_of(session, [p.id for p in people])
    titles = {
        item_id: title
        for item_id, title in session.execute(
            select(ItineraryItem.id, ItineraryItem.title).where(
                ItineraryItem.visit_id == protocol.visit_id
            )
        )
    }
    return checks.ProtocolRules(
        hashtags=protocol.hashtag_list,
        forbidden_topics=protocol.topic_list,
        embargoes=[
            checks.EmbargoRule(
                subject=e.subject,
                until=e.until,
                words=tuple(w for w in (e.subject, titles.get(e.item_id or 0, "")) if w),
            )
            for e in protocol.embargoes
        ],
        people=[person_consent_of(p, consents.get(p.id)) for p in people],
    )


@dataclass(frozen=True)
class DraftPost:
    text: str
    platform: Platform
    post_at: datetime
    has_video: bool
    pictured_ids: list[int]
    tagged_ids: list[int]


def check_and_log(
    session: Session,
    protocol: SocialProtocol,
    members: list[Membership],
    author_id: int | None,
    draft: DraftPost,
) -> PostCheck:
    """Check a draft against the protocol and consents, and keep the check in the visit's log
    (problems as "rule<TAB>detail" lines, which the views word)."""
    by_id = {m.person.id: m.person for m in members}
    consents = consents_of(session, list(by_id))

    def consent_of(person_id: int) -> checks.PersonConsent:
        return person_consent_of(by_id[person_id], consents.get(person_id))

    problems = checks.check_post(
        checks.Draft(
            text=draft.text,
            platform_limit=draft.platform.max_length,
            post_at=draft.post_at,
            has_video=draft.has_video,
            pictured=[consent_of(i) for i in draft.pictured_ids],
            tagged=[consent_of(i) for i in draft.tagged_ids],
        ),
        rules_of(session, protocol, members),
    )
    logged = PostCheck(
        visit_id=protocol.visit_id,
        author_id=author_id,
        platform=draft.platform,
        text=draft.text,
        has_video=draft.has_video,
        post_at=draft.post_at,
        problems="\n".join(f"{rule}\t{detail}" for rule, detail in problems),
        pictured=[by_id[i] for i in draft.pictured_ids],
    )
    session.add(logged)
    session.flush()
    return logged


def post_log(session: Session, visit_id: int) -> list[PostCheck]:
    return list(
        session.scalars(
            select(PostCheck)
            .where(PostCheck.visit_id == visit_id)
            .options(selectinload(PostCheck.author), selectinload(PostCheck.pictured))
            .order_by(PostCheck.checked_at.desc(), PostCheck.id.desc())
            .limit(POST_LOG_LENGTH)
        )
    )

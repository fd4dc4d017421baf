"""Accounts made from the web (no Flask here): an administrator or a visit's lead invites a
person by email, the person chooses a password through their own link, and administrators give
and take roles. Until the invitation is accepted the account cannot sign in (its password is a
random one nobody knows) and the invitation can be withdrawn, which removes the account and
leaves the person in the directory.

Roles: administrator (everything), organiser (starts programmes and visits), researcher (reads
reflections, as consent allows, of the programmes they are assigned to)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cop.accounts.models import User
from cop.accounts.passwords import normalise_email
from cop.directory.models import Person
from cop.links import live_link, revoke_links, subjects_with_live_links
from cop.visits.models import ProgrammeResearcher

PURPOSE = "invitation"


class InvitationProblem(ValueError):
    """Why an invitation cannot be made: ``has_account`` (the address already has one)."""


@dataclass(frozen=True)
class Roles:
    admin: bool = False
    organiser: bool = False
    researcher: bool = False
    programme_ids: frozenset[int] = field(default_factory=frozenset)


def roles_of(session: Session, user: User) -> Roles:
    return Roles(
        user.is_admin,
        user.is_organiser,
        user.is_researcher,
        frozenset(
            session.scalars(
                select(ProgrammeResearcher.programme_id).where(
                    ProgrammeResearcher.user_id == user.id
                )
            )
        ),
    )


def set_roles(session: Session, user: User, roles: Roles) -> None:
    """Give the account exactly these roles; a researcher's programmes replace the old ones
    (a non-researcher is assigned to none)."""
    user.is_admin, user.is_organiser, user.is_researcher = (
        roles.admin,
        roles.organiser,
        roles.researcher,
    )
    wanted = roles.programme_ids if roles.researcher else frozenset()
    have = roles_of(session, user).programme_ids
    session.execute(
        delete(ProgrammeResearcher).where(
            ProgrammeResearcher.user_id == user.id,
            ProgrammeResearcher.programme_id.in_(have - wanted),
        )
    )
    session.add_all(
        ProgrammeResearcher(programme_id=programme_id, user_id=user.id)
        for programme_id in sorted(wanted - have)
    )
    session.flush()


def invite(session: Session, email: str, name: str, language: str, roles: Roles = Roles()) -> User:
    """An account waiting for its person to choose a password. The person in the directory with
    this address becomes the account's person (a member invited by a lead); otherwise one is
    added."""
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvitationProblem("has_account")
    person = session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(name=name, email=email, preferred_language=language)
        session.add(person)
    user = User(email=email, locale=language, person=person)
    # Nobody knows this password: the account signs in only once its person has chosen one.
    user.set_password(secrets.token_urlsafe(32))
    session.add(user)
    session.flush()
    set_roles(session, user, roles)
    return user


def is_pending(user: User) -> bool:
    """Invited and not yet accepted: a live invitation link exists."""
    return live_link(PURPOSE, user.id, user.person_id) is not None


def pending_among(user_ids: list[int]) -> set[int]:
    """The accounts among these still waiting for their invitation to be accepted."""
    return subjects_with_live_links(PURPOSE, user_ids)


def accept(session: Session, user: User, password: str) -> None:
    """The person chose a password: the invitation is used up."""
    user.set_password(password)
    revoke_links(PURPOSE, user.id)
    session.flush()


def withdraw(session: Session, user: User) -> None:
    """Take back an invitation not yet accepted: the account goes, the person stays."""
    revoke_links(PURPOSE, user.id)
    session.execute(delete(ProgrammeResearcher).where(ProgrammeResearcher.user_id == user.id))
    session.delete(user)
    session.flush()

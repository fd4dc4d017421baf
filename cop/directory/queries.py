"""Searches of the directory, as SQL statements the views paginate."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from cop.database import matches_text
from cop.directory.models import Organisation, Person


def search_organisations(text: str = "") -> Select:
    query = select(Organisation).order_by(Organisation.name)
    if text.strip():
        query = query.where(matches_text(text, Organisation.name, Organisation.city))
    return query


def search_people(text: str = "", organisation_id: int | None = None) -> Select:
    query = (
        select(Person)
        .outerjoin(Person.organisation)
        .options(joinedload(Person.organisation))
        .order_by(Person.name, Person.id)
    )
    if organisation_id is not None:
        query = query.where(Person.organisation_id == organisation_id)
    if text.strip():
        query = query.where(
            matches_text(text, Person.name, Person.email, Person.job_title, Organisation.name)
        )
    return query


def organisations_with_places(session) -> list[Organisation]:
    """Organisations by name, for a choice that also brings their place (the visit form's
    host organisation fills its city, country, time zone and language)."""
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def organisation_choices(session) -> list[tuple[int, str]]:
    rows = session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    return [(row.id, row.name) for row in rows]


def person_label(person: Person) -> str:
    """How a person is told apart from namesakes in a picker: name, job and organisation."""
    details = person.job_and_organisation
    return f"{person.name} ({details})" if details else person.name


def narrow_people(candidates: Select, text: str) -> Select:
    """Candidates (a Select of Person joined to nothing yet) matching a search, by name."""
    query = candidates.outerjoin(Person.organisation).options(joinedload(Person.organisation))
    if text:
        query = query.where(
            matches_text(text, Person.name, Person.email, Person.job_title, Organisation.name)
        )
    return query.order_by(Person.name, Person.id)

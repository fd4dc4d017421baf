"""Searches of the directory, as SQL statements the views paginate."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from cop.directory.models import Organisation, Person


def _pattern(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_organisations(text: str = "") -> Select:
    query = select(Organisation).order_by(Organisation.name)
    if text.strip():
        pattern = _pattern(text)
        query = query.where(
            or_(
                func.lower(Organisation.name).like(pattern, escape="\\"),
                func.lower(Organisation.city).like(pattern, escape="\\"),
            )
        )
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
        pattern = _pattern(text)
        query = query.where(
            or_(
                func.lower(Person.name).like(pattern, escape="\\"),
                func.lower(Person.email).like(pattern, escape="\\"),
                func.lower(Person.job_title).like(pattern, escape="\\"),
                func.lower(Organisation.name).like(pattern, escape="\\"),
            )
        )
    return query


def organisation_choices(session) -> list[tuple[int, str]]:
    rows = session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    return [(row.id, row.name) for row in rows]

"""Reading contacts from CSV: every row checked, every problem named, nothing half-imported."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.directory.models import Person
from cop.network.loading import programme_people
from cop.network.models import Channel, Contact, TieSource
from cop.spreadsheets import numbered_rows

REQUIRED = ("from_email", "to_email", "date")
CHANNELS = {"email", "phone", "video", "meeting", "event", "social", "other"}
MAX_ROWS = 50_000


@dataclass(frozen=True)
class ContactRow:
    line: int
    from_email: str
    to_email: str
    day: date
    channel: str
    topic: str
    from_name: str
    to_name: str


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str  # a key the view words
    value: str = ""


def _email(raw: str) -> str | None:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _read_row(
    line: int, values: dict[str, str], known_emails: set[str], create_people: bool, latest: date
) -> tuple[ContactRow | None, list[RowProblem]]:
    """One row as a contact, or what is wrong with it (every problem, not only the first)."""
    problems: list[RowProblem] = []
    emails = []
    for column in ("from_email", "to_email"):
        email = _email(values.get(column, ""))
        if email is None:
            problems.append(RowProblem(line, "bad_email", values.get(column, "")))
        elif email not in known_emails and not create_people:
            problems.append(RowProblem(line, "unknown_person", email))
        emails.append(email)
    try:
        day = date.fromisoformat(values.get("date", ""))
    except ValueError:
        problems.append(RowProblem(line, "bad_date", values.get("date", "")))
        day = None
    if day is not None and day > latest:
        problems.append(RowProblem(line, "future_date", day.isoformat()))
        day = None
    channel = (values.get("channel") or "other").lower()
    if channel not in CHANNELS:
        problems.append(RowProblem(line, "bad_channel", channel))
    if emails[0] and emails[0] == emails[1]:
        problems.append(RowProblem(line, "same_person", emails[0]))
    if create_people:
        for email, column in zip(emails, ("from_name", "to_name"), strict=True):
            if email and email not in known_emails and not values.get(column):
                problems.append(RowProblem(line, "name_needed", email))
    if problems or not all(emails) or day is None:
        return None, problems
    row = ContactRow(
        line,
        emails[0],
        emails[1],
        day,
        channel,
        values.get("topic", "")[:300],
        values.get("from_name", "")[:200],
        values.get("to_name", "")[:200],
    )
    return row, []


def read_contacts(
    text: str, known_emails: set[str], create_people: bool, latest: date
) -> tuple[list[ContactRow], list[RowProblem]]:
    """Rows of ``from_email,to_email,date[,channel,topic,from_name,to_name]``; a contact dated
    after ``latest`` (the latest day it is anywhere now) has not happened and is refused."""
    # newline="" lets the csv module, not the text layer, read line ends (a stray \r included).
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        headers = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        return [], [RowProblem(1, "unreadable", str(error))]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        return [], [RowProblem(1, "missing_columns", ", ".join(missing))]
    reader.fieldnames = headers
    rows: list[ContactRow] = []
    problems: list[RowProblem] = []

    def unreadable(line: int, why: str) -> None:
        problems.append(RowProblem(line, "unreadable", why))

    for line, raw in numbered_rows(reader, unreadable):
        if line - 1 > MAX_ROWS:
            problems.append(RowProblem(line, "too_many_rows", str(MAX_ROWS)))
            break
        values = {key: (value or "").strip() for key, value in raw.items() if key}
        row, found = _read_row(line, values, known_emails, create_people, latest)
        problems.extend(found)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(RowProblem(1, "no_rows"))
    return rows, problems


def outside_programme(
    rows: list[ContactRow], known: dict[str, int], programme_people: set[int]
) -> list[RowProblem]:
    """Rows naming someone already in the directory who is not in the programme: contacts are
    imported into one programme's network and must not reach into another's."""
    problems = []
    for row in rows:
        for email in (row.from_email, row.to_email):
            person_id = known.get(email)
            if person_id is not None and person_id not in programme_people:
                problems.append(RowProblem(row.line, "outside_programme", email))
    return problems


def contacts_for_programme(
    session: Session, text: str, programme_id: int, create_people: bool, latest: date
) -> tuple[list[ContactRow], dict[str, int], list[RowProblem]]:
    """Read a contacts file for one programme: its rows, the directory's people by address,
    and every problem, including rows that name someone outside the programme's visits."""
    known = known_people(session)
    rows, problems = read_contacts(text, set(known), create_people, latest)
    members = {row[0] for row in session.execute(programme_people(programme_id))}
    return rows, known, [*problems, *outside_programme(rows, known, members)]


def known_people(session: Session) -> dict[str, int]:
    """Everyone in the directory with an address, by address."""
    return {
        email: person_id
        for email, person_id in session.execute(select(Person.email, Person.id))
        if email
    }


def save_contacts(
    session: Session, rows: list[ContactRow], known: dict[str, int], logged_by_id: int | None
) -> int:
    """Add the people the file introduces, then every contact, recording who imported them
    (the caller commits, so it all lands or none of it does)."""
    names: dict[str, str] = {}
    for row in rows:
        names.setdefault(row.from_email, row.from_name)
        names.setdefault(row.to_email, row.to_name)
    for email, name in names.items():
        if email not in known:
            person = Person(name=name, email=email)
            session.add(person)
            session.flush()
            known[email] = person.id
    for row in rows:
        session.add(
            Contact(
                from_person_id=known[row.from_email],
                to_person_id=known[row.to_email],
                day=row.day,
                channel=Channel(row.channel),
                topic=row.topic,
                source=TieSource.IMPORTED,
                logged_by_id=logged_by_id,
            )
        )
    return len(rows)

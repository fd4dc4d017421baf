"""Loading a scope's people and ties from the database for analysis (no Flask here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, String, select, type_coerce
from sqlalchemy.orm import Session, aliased

from cop.directory.models import Organisation, Person
from cop.itinerary.logic import in_zone
from cop.itinerary.models import ItineraryItem, item_attendee
from cop.network import analysis
from cop.network.models import Contact, SurveyAnswer, SurveyRespondent, SurveyWave, TieSource
from cop.visits.models import Membership, Visit

ALL_SOURCES = tuple(source.value for source in TieSource)
# Attending the same meeting makes everyone "tied" to everyone: analysis leaves it out unless asked.
DEFAULT_SOURCES = (
    TieSource.LOGGED.value,
    TieSource.IMPORTED.value,
    TieSource.SURVEY.value,
    TieSource.CORRESPONDENCE.value,
)
WINDOW_DAYS = 365


def programme_organisations(programme_id: int) -> Select:
    """The organisations of the programme's people, for choosing a scope."""
    people = select(Membership.person_id).join(Visit, Visit.id == Membership.visit_id)
    return (
        select(Organisation.id, Organisation.name)
        .join(Person, Person.organisation_id == Organisation.id)
        .where(Person.id.in_(people.where(Visit.programme_id == programme_id)))
        .distinct()
        .order_by(Organisation.name)
    )


def programme_people(programme_id: int) -> Select:
    return (
        select(Person.id, Organisation.name, Organisation.country)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(
            Person.id.in_(
                select(Membership.person_id)
                .join(Visit, Visit.id == Membership.visit_id)
                .where(Visit.programme_id == programme_id)
            )
        )
    )


@dataclass(frozen=True)
class WaveResponse:
    """Who a survey wave asked and who answered, and the day its answers are dated at."""

    wave_id: int
    title: str
    day: date
    asked: frozenset
    answered: frozenset

    @property
    def silent(self) -> frozenset:
        return self.asked - self.answered

    @property
    def rate(self) -> float | None:
        return len(self.answered) / len(self.asked) if self.asked else None


@dataclass
class Scope:
    people: list[analysis.Person]
    ties: list[analysis.Tie]
    waves: list[WaveResponse] = field(default_factory=list)

    def silent_in(self, first: date, last: date) -> frozenset:
        """The people a wave dated in the window asked who did not answer it."""
        return frozenset().union(*(wave.silent for wave in self.waves if first <= wave.day <= last))


def survey_day(asked_on: date, months: int) -> date:
    """Where a wave's answers sit in time: its day of asking less half the period asked about."""
    return asked_on - timedelta(days=int(months * 30.4 / 2))


def wave_responses(session: Session, programme_id: int, ids: set) -> list[WaveResponse]:
    """Each wave of the programme with the people in scope it asked and those who answered."""
    rows = session.execute(
        select(
            SurveyWave.id,
            SurveyWave.title,
            SurveyWave.asked_on,
            SurveyWave.months,
            SurveyRespondent.person_id,
            SurveyRespondent.answered_at,
        )
        .join(SurveyRespondent, SurveyRespondent.wave_id == SurveyWave.id)
        .where(SurveyWave.programme_id == programme_id)
        .order_by(SurveyWave.asked_on, SurveyWave.id)
    )
    asked: dict[int, set] = {}
    answered: dict[int, set] = {}
    about: dict[int, tuple[str, date]] = {}
    for wave_id, title, asked_on, months, person_id, answered_at in rows:
        about[wave_id] = (title, survey_day(asked_on, months))
        if person_id not in ids:
            continue
        asked.setdefault(wave_id, set()).add(person_id)
        if answered_at is not None:
            answered.setdefault(wave_id, set()).add(person_id)
    return [
        WaveResponse(
            wave_id,
            title,
            day,
            frozenset(asked.get(wave_id, ())),
            frozenset(answered.get(wave_id, ())),
        )
        for wave_id, (title, day) in about.items()
    ]


def load_scope(
    session: Session,
    programme_id: int,
    sources: tuple[str, ...] = ALL_SOURCES,
    only_visit_id: int | None = None,
    organisation_ids: tuple[int, ...] = (),
) -> Scope:
    """Everyone who took part in the programme's visits (or in one of them) and their ties."""
    query = programme_people(programme_id)
    if only_visit_id is not None:
        query = query.where(
            Person.id.in_(select(Membership.person_id).where(Membership.visit_id == only_visit_id))
        )
    if organisation_ids:
        query = query.where(Person.organisation_id.in_(organisation_ids))
    people = [
        analysis.Person(person_id, organisation or None, country or None)
        for person_id, organisation, country in session.execute(query)
    ]
    ids = {person.id for person in people}
    # The same people as a subquery for the database: PostgreSQL plans a list of a few hundred
    # ids poorly (153 ms for a programme's contacts against 20 ms with the subquery).
    in_scope = query.with_only_columns(Person.id)
    ties: list[analysis.Tie] = []
    contact_sources = [
        s for s in sources if s in (TieSource.LOGGED.value, TieSource.IMPORTED.value)
    ]
    if contact_sources:
        rows = session.execute(
            select(
                Contact.from_person_id,
                Contact.to_person_id,
                Contact.day,
                # The stored text: Enum.value costs 1 µs a row (26 ms of 5,306 contacts).
                type_coerce(Contact.source, String),
                Contact.mutual,
            ).where(
                Contact.source.in_(contact_sources),
                Contact.from_person_id.in_(in_scope),
                Contact.to_person_id.in_(in_scope),
            )
        )
        ties += [
            analysis.Tie(source_id, target_id, day, kind, mutual)
            for source_id, target_id, day, kind, mutual in rows
        ]
    if TieSource.SURVEY.value in sources:
        ties += survey_ties(session, programme_id, ids)
    if TieSource.CORRESPONDENCE.value in sources:
        ties += correspondence_ties(session, in_scope)
    if TieSource.CO_ATTENDANCE.value in sources:
        ties += co_attendance_ties(session, programme_id)
    return Scope(people, ties, wave_responses(session, programme_id, ids))


def survey_ties(session: Session, programme_id: int, ids: set) -> list[analysis.Tie]:
    """A tie from each respondent to each person they named, dated at the wave's reference day
    less half its period, and weighted by how often they said they were in touch."""
    rows = session.execute(
        select(
            SurveyRespondent.person_id,
            SurveyAnswer.named_person_id,
            SurveyWave.asked_on,
            SurveyWave.months,
            SurveyAnswer.frequency,
        )
        .join(SurveyRespondent, SurveyRespondent.id == SurveyAnswer.respondent_id)
        .join(SurveyWave, SurveyWave.id == SurveyRespondent.wave_id)
        .where(SurveyWave.programme_id == programme_id)
    )
    return [
        analysis.Tie(
            respondent,
            named,
            survey_day(asked_on, months),
            TieSource.SURVEY.value,
            False,
            frequency.weight,
        )
        for respondent, named, asked_on, months, frequency in rows
        if respondent in ids and named in ids
    ]


def correspondence_ties(session: Session, ids: Select | set) -> list[analysis.Tie]:
    """A tie from the writer to the recipient of every message between two known people."""
    from cop.correspondence.models import Message

    rows = session.execute(
        select(Message.author_person_id, Message.recipient_person_id, Message.sent_at).where(
            Message.author_person_id.in_(ids), Message.recipient_person_id.in_(ids)
        )
    )
    return [
        analysis.Tie(author, recipient, sent_at.date(), TieSource.CORRESPONDENCE.value)
        for author, recipient, sent_at in rows
    ]


def co_attendance_ties(session: Session, programme_id: int) -> list[analysis.Tie]:
    """A mutual tie between every two people who attended the same (not cancelled) item."""
    first, second = aliased(item_attendee), aliased(item_attendee)
    rows = session.execute(
        select(
            first.c.person_id, second.c.person_id, ItineraryItem.starts_at, ItineraryItem.time_zone
        )
        .join(
            second, (second.c.item_id == first.c.item_id) & (second.c.person_id > first.c.person_id)
        )
        .join(ItineraryItem, ItineraryItem.id == first.c.item_id)
        .join(Visit, Visit.id == ItineraryItem.visit_id)
        .where(Visit.programme_id == programme_id, ItineraryItem.cancelled.is_(False))
    )
    return [
        analysis.Tie(a, b, in_zone(starts_at, zone).date(), TieSource.CO_ATTENDANCE.value, True)
        for a, b, starts_at, zone in rows
    ]


@dataclass(frozen=True)
class Windows:
    before: tuple[date, date]
    after: tuple[date, date]
    visit_id: int | None


def windows_around(
    session: Session, programme_id: int, visit_id: int | None = None
) -> Windows | None:
    """A year before the visit, and from its first day to a year after its last (the contacts
    made during the visit are what it brought)."""
    query = select(Visit).where(Visit.programme_id == programme_id, Visit.start_date.is_not(None))
    if visit_id is not None:
        query = query.where(Visit.id == visit_id)
    visit = session.scalar(query.order_by(Visit.start_date).limit(1))
    if visit is None:
        return None
    return Windows(
        before=(
            visit.start_date - timedelta(days=WINDOW_DAYS),
            visit.start_date - timedelta(days=1),
        ),
        after=(visit.start_date, visit.end_date + timedelta(days=WINDOW_DAYS)),
        visit_id=visit.id,
    )

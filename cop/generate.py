"""Synthetic data at chosen scales, seeded so that the same scale always gives the same data.

Used by benchmarks and query-count tests: it writes with bulk inserts, not one object at a time."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from cop.actions.models import Action, ActionStatus
from cop.database import utcnow
from cop.directory.models import Organisation, OrganisationKind, Person
from cop.itinerary.logic import to_utc
from cop.itinerary.models import ItineraryItem, item_attendee, new_uid
from cop.network.models import Channel, Contact, TieSource
from cop.reflections.logic import ensure_codebook
from cop.reflections.models import Consent, Passage, Phase, Reflection, ReflectionSource
from cop.visits.logic import give_defaults
from cop.visits.models import Membership, MembershipRole, Programme, Visit, VisitStatus


@dataclass(frozen=True)
class Scale:
    organisations: int
    people: int
    programmes: int
    visits: int
    members_per_visit: int
    items_per_visit: int = 0
    contacts: int = 0


SCALES = {
    "small": Scale(
        organisations=20,
        people=200,
        programmes=4,
        visits=20,
        members_per_visit=8,
        items_per_visit=10,
        contacts=2000,
    ),
    "national": Scale(
        organisations=300,
        people=5000,
        programmes=40,
        visits=400,
        members_per_visit=12,
        items_per_visit=50,
        contacts=200_000,
    ),
}

PLACES = [
    (
        "GB",
        "SCT",
        "Europe/London",
        "en",
        [
            "Glasgow",
            "Edinburgh",
            "Dundee",
            "Aberdeen",
            "Inverness",
            "Perth",
            "Stirling",
            "Kirkcaldy",
        ],
    ),
    ("GB", "ENG", "Europe/London", "en", ["Manchester", "Leeds", "Bristol", "Newcastle"]),
    (
        "FR",
        None,
        "Europe/Paris",
        "fr",
        ["Paris", "Lyon", "Grenoble", "Montreuil", "Rennes", "Lille"],
    ),
    ("PT", None, "Europe/Lisbon", "pt", ["Lisboa", "Porto", "Cascais"]),
    ("ES", None, "Europe/Madrid", "es", ["Madrid", "Barcelona", "Valencia"]),
    ("DE", None, "Europe/Berlin", "de", ["Berlin", "Hamburg", "Köln"]),
]
FIRST_NAMES = [
    "Morag",
    "Iain",
    "Eilidh",
    "Callum",
    "Fiona",
    "Ruth",
    "Claire",
    "Julien",
    "Sophie",
    "Karim",
    "Ana",
    "João",
    "Lucía",
    "Jonas",
    "Aisha",
    "Tom",
]
LAST_NAMES = [
    "Campbell",
    "MacLeod",
    "Robertson",
    "Stewart",
    "Duncan",
    "Dubois",
    "Martin",
    "Lefèvre",
    "Benali",
    "Silva",
    "García",
    "Schmidt",
    "Khan",
    "Baxter",
]
KINDS = [
    OrganisationKind.COUNCIL,
    OrganisationKind.DISTRICT,
    OrganisationKind.RESEARCH,
    OrganisationKind.NETWORK,
    OrganisationKind.GOVERNMENT,
]
ROLES = (
    [MembershipRole.PARTICIPANT] * 6
    + [MembershipRole.HOST] * 2
    + [MembershipRole.RESEARCHER, MembershipRole.OBSERVER, MembershipRole.INTERPRETER]
)


def generate(session: Session, scale: Scale, seed: int = 2016) -> dict[str, int]:
    """Add generated organisations, people, programmes, visits and memberships; returns counts."""
    rng = random.Random(seed)
    prefix = f"g{seed}-"
    start_organisation = session.scalar(select(func.coalesce(func.max(Organisation.id), 0))) or 0

    organisation_rows = []
    for number in range(scale.organisations):
        country, subdivision, zone, language, cities = rng.choice(PLACES)
        city = rng.choice(cities)
        kind_word = rng.choice(["Council", "Partnership", "Network", "Institute"])
        organisation_rows.append(
            {
                "name": f"{city} {kind_word} {prefix}{number:04d}",
                "kind": rng.choice(KINDS),
                "city": city,
                "country": country,
                "subdivision": subdivision,
                "language": language,
                "time_zone": zone,
            }
        )
    session.execute(insert(Organisation), organisation_rows)
    organisations = session.execute(
        select(Organisation.id, Organisation.country, Organisation.city, Organisation.time_zone)
        .where(Organisation.id > start_organisation)
        .order_by(Organisation.id)
    ).all()

    start_person = session.scalar(select(func.coalesce(func.max(Person.id), 0))) or 0
    people_rows = []
    for number in range(scale.people):
        organisation = organisations[number % len(organisations)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people_rows.append(
            {
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{prefix}{number:05d}@example.org".lower(),
                "organisation_id": organisation.id,
                "job_title": rng.choice(
                    ["Officer", "Manager", "Councillor", "Researcher", "Coordinator"]
                ),
                "languages": "en,fr" if rng.random() < 0.3 else "en",
                "preferred_language": "fr" if organisation.country == "FR" else "en",
            }
        )
    session.execute(insert(Person), people_rows)
    people = list(
        session.scalars(select(Person.id).where(Person.id > start_person).order_by(Person.id))
    )

    start_programme = session.scalar(select(func.coalesce(func.max(Programme.id), 0))) or 0
    session.execute(
        insert(Programme),
        [
            {
                "name": f"Programme {prefix}{number:03d}",
                "reporting_currency": rng.choice(["GBP", "EUR"]),
            }
            for number in range(scale.programmes)
        ],
    )
    programmes = list(
        session.scalars(
            select(Programme.id).where(Programme.id > start_programme).order_by(Programme.id)
        )
    )

    start_visit = session.scalar(select(func.coalesce(func.max(Visit.id), 0))) or 0
    visit_rows = []
    programme_of_visit: list[int] = []
    visit_zones: list[str] = []
    statuses = list(VisitStatus)
    for number in range(scale.visits):
        host = rng.choice(organisations)
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11))
        agreed = rng.random() < 0.85
        programme_id = rng.choice(programmes)
        programme_of_visit.append(programme_id)
        visit_rows.append(
            {
                "title": f"Study visit {prefix}{number:04d} to {host.city}",
                "objective": "Learn how the host runs participatory budgeting at scale.",
                "programme_id": programme_id,
                "host_organisation_id": host.id,
                "host_city": host.city,
                "host_country": host.country,
                "start_date": start if agreed else None,
                "end_date": start + timedelta(days=rng.randrange(1, 4)) if agreed else None,
                "time_zone": host.time_zone,
                "languages": "en,fr",
                "status": rng.choice(statuses),
            }
        )
    session.execute(insert(Visit), visit_rows)
    visit_zones = [row["time_zone"] for row in visit_rows]
    visits = list(
        session.scalars(select(Visit.id).where(Visit.id > start_visit).order_by(Visit.id))
    )

    membership_rows = []
    members_of: dict[int, list[int]] = {}
    for visit_id in visits:
        chosen = rng.sample(people, min(scale.members_per_visit, len(people)))
        members_of[visit_id] = chosen
        for position, person_id in enumerate(chosen):
            membership_rows.append(
                {
                    "visit_id": visit_id,
                    "person_id": person_id,
                    "role": MembershipRole.LEAD if position == 0 else rng.choice(ROLES),
                    "selection_reason": "Generated",
                }
            )
    session.execute(insert(Membership), membership_rows)
    items = 0
    for visit_id, zone in zip(visits, visit_zones, strict=True):
        items += add_itinerary(
            session, visit_id, zone, members_of[visit_id], scale.items_per_visit, rng
        )
    pools: dict[int, set[int]] = {}
    for visit_id, programme_id in zip(visits, programme_of_visit, strict=True):
        pools.setdefault(programme_id, set()).update(members_of[visit_id])
    contacts = add_contacts(session, [sorted(pool) for pool in pools.values()], scale.contacts, rng)
    reflections, actions = add_reflections(session, membership_rows, rng)
    for visit_id in visits:
        give_defaults(session, visit_id)
    for programme_id in programmes:
        ensure_codebook(session, programme_id)
    return {
        "organisations": len(organisations),
        "people": len(people),
        "programmes": len(programmes),
        "visits": len(visits),
        "memberships": len(membership_rows),
        "itinerary items": items,
        "contacts": contacts,
        "reflections": reflections,
        "actions": actions,
    }


LEARNING_POINTS = [
    "A central team and a named officer in every department.",
    "Residents merge similar proposals online before the vote.",
    "Accepting a period of uncertainty as a risk worth taking.",
    "Volunteers help people put their proposals together.",
]


def add_reflections(
    session: Session, memberships: list[dict], rng: random.Random
) -> tuple[int, int]:
    """An after-visit reflection of two passages from each participant and lead, under a
    random consent, and one action at home for each lead."""
    reflecting = [
        row
        for row in memberships
        if row["role"] in (MembershipRole.PARTICIPANT, MembershipRole.LEAD)
    ]
    start = session.scalar(select(func.coalesce(func.max(Reflection.id), 0))) or 0
    submitted = datetime(2020, 1, 1, tzinfo=UTC)
    session.execute(
        insert(Reflection),
        [
            {
                "visit_id": row["visit_id"],
                "person_id": row["person_id"],
                "phase": Phase.AFTER,
                "source": ReflectionSource.WRITTEN,
                "consent": rng.choice(list(Consent)),
                "submitted_at": submitted if rng.random() < 0.9 else None,
            }
            for row in reflecting
        ],
    )
    reflection_ids = session.scalars(
        select(Reflection.id).where(Reflection.id > start).order_by(Reflection.id)
    ).all()
    session.execute(
        insert(Passage),
        [
            {
                "reflection_id": reflection_id,
                "position": position,
                "question_text": "What did you learn?",
                "text": rng.choice(LEARNING_POINTS),
            }
            for reflection_id in reflection_ids
            for position in range(2)
        ],
    )
    leads = [row for row in memberships if row["role"] == MembershipRole.LEAD]
    if leads:
        session.execute(
            insert(Action),
            [
                {
                    "visit_id": row["visit_id"],
                    "owner_id": row["person_id"],
                    "title": "Try at home what the hosts showed",
                    "status": rng.choice(list(ActionStatus)),
                }
                for row in leads
            ],
        )
    return len(reflection_ids), len(leads)


def add_contacts(session: Session, pools: list[list[int]], count: int, rng: random.Random) -> int:
    """Contacts between people of the same programme, spread over 2015 to 2026."""
    pools = [pool for pool in pools if len(pool) > 1]
    if not pools or count == 0:
        return 0
    channels = list(Channel)
    rows = []
    for _ in range(count):
        source, target = rng.sample(rng.choice(pools), 2)
        rows.append(
            {
                "from_person_id": source,
                "to_person_id": target,
                "day": date(2015, 1, 1) + timedelta(days=rng.randrange(365 * 12)),
                "channel": rng.choice(channels),
                "topic": "Participatory budgeting",
                "mutual": rng.random() < 0.2,
                "source": TieSource.LOGGED,
                "created_at": utcnow(),
            }
        )
    for start in range(0, len(rows), 20_000):
        session.execute(insert(Contact), rows[start : start + 20_000])
    return len(rows)


def add_itinerary(
    session: Session,
    visit_id: int,
    zone: str,
    attendee_pool: list[int],
    count: int,
    rng: random.Random,
    first_day: date = date(2016, 12, 5),
) -> int:
    """``count`` items over consecutive days (five a day), each attended by part of the pool."""
    rows = []
    for number in range(count):
        day = first_day + timedelta(days=number // 5)
        start = to_utc(day, time(8 + 2 * (number % 5)), zone)
        rows.append(
            {
                "visit_id": visit_id,
                "uid": new_uid(),
                "sequence": 0,
                "title": f"Session {number + 1}",
                "starts_at": start,
                "ends_at": start + timedelta(minutes=90),
                "time_zone": zone,
                "place": rng.choice(["Town hall", "District office", "Community centre"]),
                "language": rng.choice(["en", "fr"]),
                "needs_interpreter": rng.random() < 0.5,
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
    if not rows:
        return 0
    ids = session.scalars(
        insert(ItineraryItem).returning(ItineraryItem.id, sort_by_parameter_order=True), rows
    ).all()
    attendance = [
        {"item_id": item_id, "person_id": person_id}
        for item_id in ids
        for person_id in rng.sample(attendee_pool, min(len(attendee_pool), rng.randint(3, 6)))
    ]
    if attendance:
        session.execute(insert(item_attendee), attendance)
    return len(ids)

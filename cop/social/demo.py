"""The Paris case's interpreter, bookings, protocol, acknowledgements, consents and post checks,
for the demo (no Flask here)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.directory.models import Organisation, Person
from cop.interpreting.models import (
    Booking,
    BookingStatus,
    Interpreter,
    Knowledge,
    LanguagePair,
    Mode,
    Unavailability,
)
from cop.itinerary.models import ItineraryItem
from cop.planning.models import Cost, CostCategory
from cop.social.models import (
    Decision,
    Embargo,
    MediaConsent,
    Platform,
    PostCheck,
    ProtocolAcknowledgement,
    SocialProtocol,
)
from cop.visits.models import Membership, Visit

INTERPRETER_EMAIL = "anne.moreau@interpretes.example"
HOST_EMAIL = "hote@paris.example"

ORGANISATIONS_EXPLAINED = {
    "Ville de Paris": "The City of Paris: both a commune and a département, led by the Mayor of "
    "Paris and the Conseil de Paris; it runs the city-wide participatory budget.",
    "Mairie du 14e arrondissement": "The town hall of one of Paris's 20 arrondissements, with its "
    "own mayor and council; it runs the district part of the participatory budget with the "
    "neighbourhood councils (conseils de quartier).",
    "Glasgow City Council": "Scotland's largest local authority; asked, like every Scottish "
    "council, to put at least 1% of its budget through participatory budgeting.",
    "Fife Council": "The local authority for Fife, on Scotland's east coast, working in seven "
    "local areas with their own committees.",
    "What Works Scotland": "A research initiative of the universities of Glasgow and Edinburgh "
    "that studies how public services can reform; it organised the visit.",
}

# name, photo, video, tagging, naming
CONSENTS = [
    ("lead@glasgow.example", True, True, True, True),
    ("participant@fife.example", True, False, True, True),
    ("iain.macleod@glasgow.example", True, True, False, True),
    ("alasdair.reid@glasgow.example", False, False, False, True),
    ("hote@paris.example", True, False, True, True),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def add_interpreting_and_protocol(
    session: Session, visit: Visit, people: dict[str, Person]
) -> None:
    for name, text in ORGANISATIONS_EXPLAINED.items():
        organisation = session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is not None and not organisation.description:
            organisation.description = text
    interpreter = Interpreter(
        person=people[INTERPRETER_EMAIL],
        modes=[Mode.CONSECUTIVE, Mode.WHISPERED],
        knowledge=[Knowledge.LOCAL_GOVERNMENT, Knowledge.PARTICIPATORY_BUDGETING],
        day_rate=Decimal("750.00"),
        half_day_rate=Decimal("450.00"),
        currency="EUR",
        notes="Worked for Scottish councils before; knows the conseils de quartier well.",
        pairs=[LanguagePair(source="fr", target="en"), LanguagePair(source="en", target="fr")],
        unavailable=[
            Unavailability(
                first_day=date(2016, 12, 12), last_day=date(2016, 12, 16), note="Conference"
            )
        ],
    )
    session.add(interpreter)
    interpreting_cost = session.scalar(
        select(Cost).where(Cost.visit_id == visit.id, Cost.category == CostCategory.INTERPRETING)
    )
    items = session.scalars(
        select(ItineraryItem)
        .where(ItineraryItem.visit_id == visit.id, ItineraryItem.needs_interpreter.is_(True))
        .order_by(ItineraryItem.starts_at)
    ).all()
    for position, item in enumerate(items):
        session.add(
            Booking(
                interpreter=interpreter,
                item=item,
                # Whispered for the steering group, which the visitors only observe.
                mode=Mode.WHISPERED if "steering group" in item.title else Mode.CONSECUTIVE,
                status=BookingStatus.CONFIRMED,
                # Booked for the two days as a whole: the cost is the planning log's one line.
                estimate=Decimal("1500.00") if position == 0 else None,
                currency="EUR",
                cost_id=interpreting_cost.id if (position == 0 and interpreting_cost) else None,
                created_at=_at(date(2016, 11, 21), 10),
                answered_at=_at(date(2016, 11, 22), 9),
            )
        )
    steering = next((item for item in items if "steering group" in item.title), None)
    protocol = SocialProtocol(
        visit_id=visit.id,
        platforms=[Platform.X, Platform.LINKEDIN],
        hashtags="#PBScotland #BudgetParticipatif",
        accounts="@WWSScotland @Paris",
        forbidden_topics="names of residents\nproposals not yet on the ballot",
        photo_rules="No photos in the steering group. Ask before photographing residents; "
        "officers in meetings may be photographed if they agreed.",
        video_rules="Video only for the What Works Scotland interviews, with written consent.",
        approved_at=_at(date(2016, 12, 5), 16),
        approved_by=people[HOST_EMAIL],
        host_comment="D'accord. Merci de ne rien publier sur le comité de pilotage avant lundi.",
        updated_at=_at(date(2016, 12, 2), 11),
        embargoes=[
            Embargo(
                subject="steering group",
                item_id=steering.id if steering else None,
                until=_at(date(2016, 12, 12), 8),
            )
        ],
    )
    session.add(protocol)
    session.flush()
    members = session.scalars(
        select(Membership.person_id).where(Membership.visit_id == visit.id)
    ).all()
    waiting = {people["alasdair.reid@glasgow.example"].id, people[INTERPRETER_EMAIL].id}
    for person_id in members:
        if person_id in waiting:
            continue  # still to acknowledge: the page shows whom to remind
        session.add(
            ProtocolAcknowledgement(
                protocol_id=protocol.id,
                person_id=person_id,
                version=protocol.version,
                acknowledged_at=_at(date(2016, 12, 6), 12),
            )
        )
    for email, photo, video, tagging, naming in CONSENTS:
        session.add(
            MediaConsent(
                person_id=people[email].id,
                photo=photo,
                video=video,
                tagging=tagging,
                naming=naming,
                recorded_by_id=people[email].id,
                recorded_at=_at(date(2016, 12, 6), 12),
            )
        )
    session.add(
        PostCheck(
            visit_id=visit.id,
            author_id=people["lead@glasgow.example"].id,
            platform="x",
            text="Fascinating morning watching the Paris PB steering group at work! #PBScotland",
            post_at=_at(date(2016, 12, 9), 11),
            problems="embargo\tsteering group\nhashtag\t#BudgetParticipatif",
            decision=Decision.CHANGED,
            decided_at=_at(date(2016, 12, 9), 11, 10),
            checked_at=_at(date(2016, 12, 9), 11, 5),
        )
    )
    session.add(
        PostCheck(
            visit_id=visit.id,
            author_id=people["lead@glasgow.example"].id,
            platform="x",
            text="EUR 100m a year through participatory budgeting: learning from Paris today "
            "with Fife. #PBScotland #BudgetParticipatif",
            post_at=_at(date(2016, 12, 9), 11, 15),
            problems="",
            decision=Decision.POSTED,
            decided_at=_at(date(2016, 12, 9), 11, 20),
            checked_at=_at(date(2016, 12, 9), 11, 12),
            pictured=[people["lead@glasgow.example"], people["participant@fife.example"]],
        )
    )

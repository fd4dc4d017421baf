"""The Paris case as demo data: Glasgow and Fife visit Paris to learn how it runs Participatory
Budgeting. People are fictional; organisations and facts follow the public case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.accounts.models import User
from cop.correspondence.models import Direction, Message, MessageTranslation, Thread
from cop.directory.models import Organisation, OrganisationKind, Person
from cop.itinerary.logic import to_utc
from cop.itinerary.models import ItineraryItem
from cop.network.models import Channel, Contact, TieSource
from cop.planning.logic import CHECKLIST_KEYS
from cop.planning.models import (
    Cost,
    CostCategory,
    EffortCategory,
    EffortEntry,
    PlanningTask,
    TaskStatus,
)
from cop.polls.models import Answer, DateOption, DatePoll, DateVote, PollInvitee
from cop.reflections.demo import add_reflections
from cop.social.demo import add_interpreting_and_protocol
from cop.translation import content
from cop.translation.models import TranslationStatus
from cop.translation.seed import seed_glossary
from cop.visits.logic import give_all_defaults
from cop.visits.models import (
    Membership,
    MembershipRole,
    Programme,
    ProgrammeResearcher,
    Visit,
    VisitStatus,
)

DEMO_PASSWORD = "cop-demo"  # noqa: S105 - the published password of the demo sign-ins
PROGRAMME_NAME = "Scotland–Paris Participatory Budgeting exchange"
VISIT_TITLE = "Participatory Budgeting study visit to Paris"


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    role: str
    language: str


DEMO_SIGN_INS = [
    DemoSignIn("lead@glasgow.example", "lead of the Paris visit", "en"),
    DemoSignIn("participant@fife.example", "participant", "en"),
    DemoSignIn("hote@paris.example", "host (French interface)", "fr"),
    DemoSignIn("researcher@wws.example", "researcher", "en"),
    DemoSignIn("tom.baxter@wws.example", "second researcher (for agreement between coders)", "en"),
    DemoSignIn("admin@cop.example", "administrator", "en"),
]

ORGANISATIONS = [
    # name, kind, city, country, subdivision, language, time zone
    (
        "Glasgow City Council",
        OrganisationKind.COUNCIL,
        "Glasgow",
        "GB",
        "SCT",
        "en",
        "Europe/London",
    ),
    ("Fife Council", OrganisationKind.COUNCIL, "Glenrothes", "GB", "SCT", "en", "Europe/London"),
    (
        "What Works Scotland",
        OrganisationKind.RESEARCH,
        "Glasgow",
        "GB",
        "SCT",
        "en",
        "Europe/London",
    ),
    ("Ville de Paris", OrganisationKind.COUNCIL, "Paris", "FR", None, "fr", "Europe/Paris"),
    (
        "Mairie du 14e arrondissement",
        OrganisationKind.DISTRICT,
        "Paris",
        "FR",
        None,
        "fr",
        "Europe/Paris",
    ),
    (
        "Service Civique – Paris volunteers",
        OrganisationKind.VOLUNTEER_SERVICE,
        "Paris",
        "FR",
        None,
        "fr",
        "Europe/Paris",
    ),
    (
        "Interprètes associés",
        OrganisationKind.INTERPRETING,
        "Paris",
        "FR",
        None,
        "fr",
        "Europe/Paris",
    ),
]

# name, email, organisation, job title, languages, preferred language, role, why chosen
PEOPLE = [
    (
        "Morag Campbell",
        "lead@glasgow.example",
        "Glasgow City Council",
        "PB lead officer",
        "en",
        "en",
        MembershipRole.LEAD,
        "Leads Glasgow's PB collaborative action research group and the move to mainstream PB.",
    ),
    (
        "Iain MacLeod",
        "iain.macleod@glasgow.example",
        "Glasgow City Council",
        "Community planning officer",
        "en",
        "en",
        MembershipRole.PARTICIPANT,
        "Runs the technical side of Glasgow's PB ballots.",
    ),
    (
        "Priya Sharma",
        "priya.sharma@glasgow.example",
        "Glasgow City Council",
        "Equalities officer",
        "en,pa",
        "en",
        MembershipRole.PARTICIPANT,
        "Brings the equality and diversity questions of Glasgow's PB.",
    ),
    (
        "Cllr Alasdair Reid",
        "alasdair.reid@glasgow.example",
        "Glasgow City Council",
        "Elected member",
        "en",
        "en",
        MembershipRole.PARTICIPANT,
        "The elected member who will argue for PB at scale in the council.",
    ),
    (
        "Eilidh Robertson",
        "participant@fife.example",
        "Fife Council",
        "Community development officer",
        "en,fr",
        "en",
        MembershipRole.PARTICIPANT,
        "Runs PB in Fife's local areas and speaks some French.",
    ),
    (
        "Callum Stewart",
        "callum.stewart@fife.example",
        "Fife Council",
        "Policy officer",
        "en",
        "en",
        MembershipRole.PARTICIPANT,
        "Writes Fife's PB policy.",
    ),
    (
        "Fiona Duncan",
        "fiona.duncan@fife.example",
        "Fife Council",
        "Area manager",
        "en",
        "en",
        MembershipRole.PARTICIPANT,
        "Manages the area teams that would deliver PB in Fife.",
    ),
    (
        "Dr Ruth Henderson",
        "researcher@wws.example",
        "What Works Scotland",
        "Research fellow",
        "en,fr",
        "en",
        MembershipRole.RESEARCHER,
        "Organised the visit and studies international learning.",
    ),
    (
        "Dr Tom Baxter",
        "tom.baxter@wws.example",
        "What Works Scotland",
        "Research associate",
        "en",
        "en",
        MembershipRole.RESEARCHER,
        "Records the visit on video and runs the interviews.",
    ),
    (
        "Claire Dubois",
        "hote@paris.example",
        "Ville de Paris",
        "Responsable du budget participatif",
        "fr,en",
        "fr",
        MembershipRole.HOST,
        "Leads the Paris PB team and hosts the visit.",
    ),
    (
        "Julien Martin",
        "julien.martin@paris.example",
        "Ville de Paris",
        "Chargé de mission technique",
        "fr",
        "fr",
        MembershipRole.HOST,
        "Explains the technical and costing checks of proposals.",
    ),
    (
        "Sophie Lefèvre",
        "sophie.lefevre@paris.example",
        "Mairie du 14e arrondissement",
        "Coordinatrice de la démocratie locale",
        "fr",
        "fr",
        MembershipRole.HOST,
        "Shows how a district town hall works with neighbourhood councils.",
    ),
    (
        "Karim Benali",
        "karim.benali@paris.example",
        "Service Civique – Paris volunteers",
        "Coordinateur des volontaires",
        "fr,ar",
        "fr",
        MembershipRole.HOST,
        "Coordinates the young civic-service volunteers who support PB.",
    ),
    (
        "Anne Moreau",
        "anne.moreau@interpretes.example",
        "Interprètes associés",
        "Conference interpreter",
        "fr,en",
        "fr",
        MembershipRole.INTERPRETER,
        "Interprets French–English with knowledge of local government in both countries.",
    ),
]

ADMIN_EMAIL = "admin@cop.example"

HOTEL_DE_VILLE = "Hôtel de Ville, 5 rue de Lobau, 75004 Paris"
MAIRIE_14 = "Mairie du 14e, 2 place Ferdinand Brunot, 75014 Paris"

# day, start, end, title, place, address, travel minutes, host contact, language, notes
ITINERARY = [
    (
        date(2016, 12, 8),
        time(9, 30),
        time(11, 0),
        "Meeting 1: how Paris mainstreams PB (lead officers)",
        "Hôtel de Ville",
        HOTEL_DE_VILLE,
        0,
        "hote@paris.example",
        "fr",
        "EUR 100m a year for five years, capital spending only; the central PB team and a named "
        "officer in each department.",
    ),
    (
        date(2016, 12, 8),
        time(11, 15),
        time(12, 45),
        "Meeting 2: from 2,000 proposals to the ballot (technical officers)",
        "Hôtel de Ville",
        HOTEL_DE_VILLE,
        0,
        "julien.martin@paris.example",
        "fr",
        "Eligibility and feasibility checks (recevabilité, faisabilité), merging similar "
        "proposals (co-construction), the commission ad hoc.",
    ),
    (
        date(2016, 12, 8),
        time(14, 30),
        time(16, 0),
        "Meeting 3: PB in a district town hall",
        "Mairie du 14e arrondissement",
        MAIRIE_14,
        40,
        "sophie.lefevre@paris.example",
        "fr",
        "The local mayor, elected members, neighbourhood councils (conseils de quartier) and "
        "officers working with residents.",
    ),
    (
        date(2016, 12, 9),
        time(9, 30),
        time(11, 0),
        "Meeting 4: the digital platform and the volunteers (operational officers)",
        "Hôtel de Ville",
        HOTEL_DE_VILLE,
        0,
        "karim.benali@paris.example",
        "fr",
        "Commenting and co-producing proposals online; 300 young Service Civique volunteers.",
    ),
    (
        date(2016, 12, 9),
        time(14, 0),
        time(16, 30),
        "Observation of the Paris PB steering group",
        "Hôtel de Ville",
        HOTEL_DE_VILLE,
        0,
        "hote@paris.example",
        "fr",
        "Closed meeting: nothing may be posted from it (see the social-media protocol).",
    ),
]


def load_demo(session: Session) -> bool:
    """Add the Paris case; returns False (and changes nothing) when it is already there."""
    if session.scalar(select(Visit.id).where(Visit.title == VISIT_TITLE)) is not None:
        return False
    organisations = {}
    for name, kind, city, country, subdivision, language, zone in ORGANISATIONS:
        organisation = session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            organisation = Organisation(
                name=name,
                kind=kind,
                city=city,
                country=country,
                subdivision=subdivision,
                language=language,
                time_zone=zone,
            )
            session.add(organisation)
        organisations[name] = organisation
    programme = session.scalar(select(Programme).where(Programme.name == PROGRAMME_NAME))
    if programme is None:
        programme = Programme(
            name=PROGRAMME_NAME,
            description=(
                "What Works Scotland's collaborative action research with Glasgow Community "
                "Planning Partnership: learning from Paris, which puts EUR 100m a year through "
                "Participatory Budgeting, how Scottish councils can mainstream PB (1% of budgets; "
                "about GBP 24m a year for Glasgow)."
            ),
            reporting_currency="GBP",
        )
        session.add(programme)
    visit = Visit(
        title=VISIT_TITLE,
        objective=(
            "See 'backstage' how Paris mainstreams PB (technically, structurally, politically and "
            "practically): four meetings with the lead, technical and operational officers of the "
            "Paris PB team, and observation of the Paris PB steering group. Serves Glasgow's and "
            "Fife's move from small grants to PB at scale."
        ),
        programme=programme,
        host_organisation=organisations["Ville de Paris"],
        host_city="Paris",
        host_country="FR",
        start_date=date(2016, 12, 8),
        end_date=date(2016, 12, 9),
        time_zone="Europe/Paris",
        languages="en,fr",
        status=VisitStatus.DONE,
    )
    session.add(visit)
    for name, email, organisation, title, languages, preferred, role, reason in PEOPLE:
        person = session.scalar(select(Person).where(Person.email == email))
        if person is None:
            person = Person(
                name=name,
                email=email,
                organisation=organisations[organisation],
                job_title=title,
                languages=languages,
                preferred_language=preferred,
            )
            session.add(person)
        session.add(Membership(visit=visit, person=person, role=role, selection_reason=reason))
    session.flush()
    people_by_email = {person.email: person for person in session.scalars(select(Person))}
    everyone = [people_by_email[row[1]] for row in PEOPLE]
    items = []
    for day, start, end, title, place, address, travel, contact, language, notes in ITINERARY:
        items.append(
            ItineraryItem(
                visit=visit,
                title=title,
                starts_at=to_utc(day, start, visit.time_zone),
                ends_at=to_utc(day, end, visit.time_zone),
                time_zone=visit.time_zone,
                place=place,
                address=address,
                travel_minutes=travel,
                host_contact=people_by_email[contact],
                language=language,
                needs_interpreter=True,
                notes=notes,
                attendees=everyone,
            )
        )
    session.add_all(items)
    _add_french_readings(session, visit, items, people_by_email["hote@paris.example"])
    people_by_email["participant@fife.example"].dietary_needs = "Vegetarian"
    people_by_email[
        "alasdair.reid@glasgow.example"
    ].access_needs = "Step-free access; cannot climb long flights of stairs."
    _add_date_poll(session, visit, everyone)
    _add_planning_log(session, visit, people_by_email)
    _add_contacts(session, visit, people_by_email)
    seed_glossary(session)
    _add_correspondence(session, visit, people_by_email)
    for sign_in in DEMO_SIGN_INS:
        user = session.scalar(select(User).where(User.email == sign_in.email))
        if user is None:
            user = User(email=sign_in.email, locale=sign_in.language)
            user.set_password(DEMO_PASSWORD)
            session.add(user)
        user.person = people_by_email.get(sign_in.email)
        user.is_admin = sign_in.email == ADMIN_EMAIL
        user.is_researcher = sign_in.email == "researcher@wws.example"
    session.flush()
    # Ruth studies the Paris programme (and, as a researcher of the installation, no other).
    ruth = session.scalar(select(User).where(User.email == "researcher@wws.example"))
    session.add(ProgrammeResearcher(programme_id=visit.programme_id, user_id=ruth.id))
    add_reflections(session, visit, people_by_email)
    add_interpreting_and_protocol(session, visit, people_by_email)
    give_all_defaults(session)
    return True


# The visit as the Paris team reads it, translated and checked by Claire: the demo shows
# translated content with no translation service.
FRENCH_TITLE = "Visite d’étude sur le budget participatif à Paris"
FRENCH_OBJECTIVE = (
    "Voir « en coulisses » comment Paris généralise le budget participatif (techniquement, "
    "structurellement, politiquement et concrètement) : quatre réunions avec les responsables, "
    "les agents techniques et opérationnels de l’équipe du budget participatif, et "
    "l’observation de son comité de pilotage. Au service du passage de Glasgow et de Fife des "
    "petites subventions au budget participatif à grande échelle."
)
FRENCH_ITEM_TITLES = [
    "Réunion 1 : comment Paris généralise le budget participatif (responsables)",
    "Réunion 2 : de 2 000 propositions au vote (agents techniques)",
    "Réunion 3 : le budget participatif dans une mairie d’arrondissement",
    "Réunion 4 : la plateforme numérique et les volontaires (agents opérationnels)",
    "Observation du comité de pilotage du budget participatif de Paris",
]


def _add_french_readings(
    session: Session, visit: Visit, items: list[ItineraryItem], host: Person
) -> None:
    session.flush()
    checked = [
        *content.written(session, visit, "en"),
        *(row for item in items for row in content.written(session, item, "en", ("title",))),
    ]
    french = {
        ("visit", "title"): [FRENCH_TITLE],
        ("visit", "objective"): [FRENCH_OBJECTIVE],
        ("item", "title"): list(FRENCH_ITEM_TITLES),
    }
    for row in checked:
        content.correct(session, row, french[(row.kind, row.field)].pop(0), host.id)


# Three windows were offered; St Andrew's Day fell in the first and Paris could not do the second.
POLL_WINDOWS = [
    (date(2016, 11, 29), date(2016, 11, 30)),
    (date(2016, 12, 1), date(2016, 12, 2)),
    (date(2016, 12, 8), date(2016, 12, 9)),
]
HOST_EMAILS = {"hote@paris.example", "julien.martin@paris.example", "sophie.lefevre@paris.example"}


def _add_date_poll(session: Session, visit: Visit, people: list[Person]) -> None:
    options = [DateOption(first_day=first, last_day=last) for first, last in POLL_WINDOWS]
    options[2].chosen = True
    poll = DatePoll(
        visit=visit,
        options=options,
        closed_at=datetime(2016, 10, 21, 16, 0, tzinfo=UTC),
        everyone_answered_at=datetime(2016, 10, 20, 9, 30, tzinfo=UTC),
    )
    for person in people:
        is_host = person.email in HOST_EMAILS
        glasgow_officer = person.email.endswith("@glasgow.example")
        answers = [
            Answer.NO if glasgow_officer else Answer.IF_NEED_BE,
            Answer.NO if is_host else Answer.YES,
            Answer.YES,
        ]
        if person.email == "alasdair.reid@glasgow.example":
            answers[2] = Answer.IF_NEED_BE  # a council meeting that week
        poll.invitees.append(
            PollInvitee(
                person=person,
                key_person=is_host or person.email == "lead@glasgow.example",
                answered_at=datetime(2016, 10, 18, 12, 0, tzinfo=UTC),
                comment="30 novembre : fête de la Saint-André en Écosse."
                if person.email == "hote@paris.example"
                else "",
                votes=[
                    DateVote(option=option, answer=answer)
                    for option, answer in zip(options, answers, strict=True)
                ],
            )
        )
    session.add(poll)


# The checklist as the organisers left it (English: the lead's language).
CHECKLIST = {
    "objective": "Objective agreed and the problem at home it serves written down",
    "coordinator": "A named coordinator on each side",
    "dates": "Dates agreed with the host (public holidays checked)",
    "agenda": "Formal agenda with names, titles and short bios",
    "invitations": "Invitations sent",
    "travel": "Travel booked (passports valid for Schengen, insurance)",
    "accommodation": "Accommodation booked",
    "budget": "Budget agreed and who pays",
    "access_needs": "Access and dietary needs asked for, with explicit consent",
    "interpreter_booked": "Interpreter booked",
    "interpreter_briefed": "Interpreter briefed (agenda, glossary, documents, names)",
    "social_media": "Social-media protocol agreed with the host",
    "consents": "Photo, video and interview consents collected",
    "privacy_notice": "Privacy notice given; sharing the participant list abroad agreed",
    "thank_you": "Thank-you letters sent",
}

# who, day, minutes, category, note
EFFORT = [
    (
        "researcher@wws.example",
        date(2016, 9, 12),
        180,
        EffortCategory.CORRESPONDENCE,
        "First emails to the Paris PB team",
    ),
    (
        "researcher@wws.example",
        date(2016, 9, 20),
        150,
        EffortCategory.TRANSLATION,
        "Translating the Paris replies",
    ),
    (
        "lead@glasgow.example",
        date(2016, 10, 3),
        120,
        EffortCategory.DATE_NEGOTIATION,
        "First round of dates",
    ),
    (
        "researcher@wws.example",
        date(2016, 10, 18),
        90,
        EffortCategory.DATE_NEGOTIATION,
        "Date poll",
    ),
    (
        "lead@glasgow.example",
        date(2016, 10, 25),
        240,
        EffortCategory.SCHEDULING,
        "Agenda with Paris",
    ),
    (
        "tom.baxter@wws.example",
        date(2016, 11, 2),
        120,
        EffortCategory.INTERPRETING,
        "Finding and briefing the interpreter",
    ),
    (
        "researcher@wws.example",
        date(2016, 11, 10),
        90,
        EffortCategory.PROTOCOLS,
        "Social-media protocol",
    ),
    (
        "participant@fife.example",
        date(2016, 11, 14),
        150,
        EffortCategory.TRAVEL_AND_LOGISTICS,
        "Flights and hotel for Fife",
    ),
    ("lead@glasgow.example", date(2016, 12, 8), 480, EffortCategory.OTHER, "First day in Paris"),
    (
        "lead@glasgow.example",
        date(2016, 12, 15),
        120,
        EffortCategory.CORRESPONDENCE,
        "Thank-you letters",
    ),
]

# day, category, description, amount, currency, rate into GBP, paid by
COSTS = [
    (
        date(2016, 11, 14),
        CostCategory.TRAVEL,
        "Return flights Edinburgh-Paris, 9 people",
        "1710.00",
        "GBP",
        "1",
        "What Works Scotland",
    ),
    (
        date(2016, 11, 15),
        CostCategory.ACCOMMODATION,
        "Hotel, 9 rooms, 2 nights",
        "2160.00",
        "EUR",
        "0.85",
        "What Works Scotland",
    ),
    (
        date(2016, 12, 9),
        CostCategory.INTERPRETING,
        "Interpreter, 2 days",
        "1500.00",
        "EUR",
        "0.85",
        "What Works Scotland",
    ),
    (date(2016, 12, 8), CostCategory.SUBSISTENCE, "Meals", "630.00", "EUR", "0.85", "Each council"),
    (
        date(2016, 12, 9),
        CostCategory.HOSPITALITY,
        "Gifts for the hosts",
        "60.00",
        "GBP",
        "1",
        "Glasgow City Council",
    ),
]


def _add_planning_log(session: Session, visit: Visit, people: dict[str, Person]) -> None:
    for position, key in enumerate(CHECKLIST_KEYS):
        session.add(
            PlanningTask(
                visit=visit,
                title=CHECKLIST[key],
                key=key,
                position=position,
                owner=people["researcher@wws.example" if position % 2 else "lead@glasgow.example"],
                due_date=date(2016, 12, 1) if key != "thank_you" else date(2016, 12, 16),
                status=TaskStatus.DONE,
            )
        )
    for email, day, minutes, category, note in EFFORT:
        session.add(
            EffortEntry(
                visit=visit,
                person=people[email],
                day=day,
                minutes=minutes,
                category=category,
                note=note,
            )
        )
    for day, category, description, amount, currency, rate, paid_by in COSTS:
        session.add(
            Cost(
                visit_id=visit.id,
                day=day,
                category=category,
                description=description,
                amount=Decimal(amount),
                currency=currency,
                rate=Decimal(rate),
                paid_by=paid_by,
            )
        )


GLASGOW = [
    "lead@glasgow.example",
    "iain.macleod@glasgow.example",
    "priya.sharma@glasgow.example",
    "alasdair.reid@glasgow.example",
]
FIFE = ["participant@fife.example", "callum.stewart@fife.example", "fiona.duncan@fife.example"]
PARIS = ["hote@paris.example", "julien.martin@paris.example", "sophie.lefevre@paris.example"]
WWS = ["researcher@wws.example", "tom.baxter@wws.example"]

# Before the visit each council talked to itself and to What Works Scotland; one line ran to Paris.
CONTACTS_BEFORE = [
    (GLASGOW[0], GLASGOW[1], date(2016, 3, 2)),
    (GLASGOW[0], GLASGOW[2], date(2016, 4, 11)),
    (GLASGOW[1], GLASGOW[2], date(2016, 5, 9)),
    (GLASGOW[0], GLASGOW[3], date(2016, 6, 20)),
    (FIFE[0], FIFE[1], date(2016, 3, 15)),
    (FIFE[1], FIFE[2], date(2016, 5, 4)),
    (WWS[0], GLASGOW[0], date(2016, 2, 1)),
    (WWS[0], FIFE[0], date(2016, 7, 7)),
    (WWS[0], WWS[1], date(2016, 8, 1)),
    (WWS[0], PARIS[0], date(2016, 9, 12)),
]
# After it, Glasgow and Fife work together, and the ties to Paris last.
CONTACTS_AFTER = [
    (GLASGOW[0], FIFE[0], date(2016, 12, 9)),
    (FIFE[0], GLASGOW[1], date(2017, 1, 18)),
    (GLASGOW[2], FIFE[2], date(2017, 2, 8)),
    (FIFE[1], GLASGOW[0], date(2017, 3, 1)),
    (GLASGOW[0], GLASGOW[1], date(2017, 3, 20)),
    (FIFE[0], FIFE[1], date(2017, 4, 5)),
    (GLASGOW[0], PARIS[0], date(2017, 1, 10)),
    (PARIS[0], GLASGOW[0], date(2017, 5, 16)),
    (FIFE[0], PARIS[1], date(2017, 2, 20)),
    (FIFE[0], PARIS[2], date(2017, 6, 14)),
    (WWS[0], PARIS[0], date(2017, 4, 3)),
    (WWS[0], GLASGOW[0], date(2017, 6, 1)),
    (GLASGOW[3], FIFE[2], date(2017, 9, 12)),
    # The Fife officer speaks at France's national PB meeting in Montreuil.
    (PARIS[0], FIFE[0], date(2018, 11, 16)),
]


def _add_contacts(session: Session, visit: Visit, people: dict[str, Person]) -> None:
    for rows, channel in ((CONTACTS_BEFORE, Channel.EMAIL), (CONTACTS_AFTER, Channel.VIDEO)):
        for first, second, day in rows:
            session.add(
                Contact(
                    from_person=people[first],
                    to_person=people[second],
                    day=day,
                    channel=channel,
                    topic="Participatory budgeting",
                    source=TieSource.LOGGED,
                    visit_id=visit.id if day >= date(2016, 12, 8) else None,
                )
            )


# direction, author, day, language, text, translation (reviewed by the researcher)
CORRESPONDENCE = [
    (
        Direction.OUTBOUND,
        "researcher@wws.example",
        datetime(2016, 9, 12, 10, 0, tzinfo=UTC),
        "en",
        "Dear Ms Dubois,\n\nWhat Works Scotland would like to bring officers of Glasgow City "
        "Council and Fife Council to Paris to learn how the city runs participatory budgeting at "
        "scale. Could your team receive us for two days this winter?",
        "Madame,\n\nWhat Works Scotland souhaiterait faire venir à Paris des agents de la ville "
        "de Glasgow et du conseil de Fife pour comprendre comment la Ville mène le budget "
        "participatif à grande échelle. Votre équipe pourrait-elle nous recevoir deux jours cet "
        "hiver ?",
    ),
    (
        Direction.INBOUND,
        "hote@paris.example",
        datetime(2016, 9, 20, 15, 30, tzinfo=UTC),
        "fr",
        "Bonjour,\n\nNous serons heureux de vous accueillir. Nous pouvons organiser quatre "
        "réunions avec l'équipe du budget participatif et vous faire assister au comité de suivi. "
        "Attention : rien ne doit être publié depuis cette réunion fermée.",
        "Hello,\n\nWe will be happy to welcome you. We can organise four meetings with the "
        "participatory budgeting team and let you observe the steering group. Please note: "
        "nothing may be posted from that closed meeting.",
    ),
    (
        Direction.OUTBOUND,
        "researcher@wws.example",
        datetime(2016, 10, 21, 16, 30, tzinfo=UTC),
        "en",
        "Thank you. The dates are agreed: 8 and 9 December. Our interpreter knows local "
        "government in both countries.",
        "Merci. Les dates sont convenues : les 8 et 9 décembre. Notre interprète connaît les "
        "collectivités locales des deux pays.",
    ),
]


def _add_correspondence(session: Session, visit: Visit, people: dict[str, Person]) -> None:
    thread = Thread(
        visit=visit,
        subject="Study visit to Paris: dates and programme",
        counterpart_organisation=people["hote@paris.example"].organisation,
        counterpart_person=people["hote@paris.example"],
    )
    for direction, author, sent_at, language, text, translated in CORRESPONDENCE:
        person = people[author]
        other = "hote@paris.example" if author != "hote@paris.example" else "researcher@wws.example"
        thread.messages.append(
            Message(
                direction=direction,
                author_name=person.name,
                author_person=person,
                recipient_person_id=people[other].id,
                language=language,
                body=text,
                sent_at=sent_at,
                translations=[
                    MessageTranslation(
                        target_language="fr" if language == "en" else "en",
                        text=translated,
                        status=TranslationStatus.REVIEWED,
                        provider="person",
                        # The researcher who kept the correspondence checked them.
                        reviewed_by=people["researcher@wws.example"],
                    )
                ],
            )
        )
    session.add(thread)

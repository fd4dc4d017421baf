"""The evaluation report of a visit: one section per research question, built from what the tool
holds, and the Glasgow PB evaluation toolkit's frame beside it (no Flask here).

Every figure comes with the table it was computed from, so a reader can trace it, a chart can have
a table beside it, and the CSV and JSON exports hold exactly what the page shows. Reflections count
only where the writer let researchers read them (private ones are left out of every figure), and
quotes only where the writer agreed to be quoted in public: the report is made to be shared."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from cop.actions.models import Action, ActionStatus
from cop.correspondence.models import Message, MessageTranslation, Thread
from cop.directory.models import Person
from cop.interpreting.models import Booking, BookingStatus
from cop.itinerary.models import ItineraryItem
from cop.planning.logic import CostRow, EffortRow, in_reporting_currency
from cop.planning.models import CostCategory, EffortCategory, PlanningTask, TaskStatus
from cop.polls.models import DatePoll
from cop.reflections.defaults import CYCLES_ROOT, THEMES_ROOT
from cop.reflections.logic import (
    children_of,
    code_name,
    descendants,
    readable_by_researchers,
)
from cop.reflections.models import Consent, Passage, Phase, Reflection
from cop.research.models import Code, CodedSegment
from cop.social.models import ProtocolAcknowledgement, SocialProtocol
from cop.visits.models import Membership, MembershipRole, Visit

TRAVELLERS = (MembershipRole.PARTICIPANT, MembershipRole.LEAD)
CENT = Decimal("0.01")


@dataclass
class Table:
    """Figures as rows; ``chart`` names the numeric column drawn as bars (None: no chart)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    chart: int | None = None

    def chart_bars(self) -> list[tuple[str, float]]:
        """The bars of the chart: rows whose figure is missing (shown as "–" in the table, a
        new visit has many) are left out of the chart rather than drawn as zero."""
        if self.chart is None:
            return []
        return [
            (str(row[0]), float(row[self.chart]))
            for row in self.rows
            if isinstance(row[self.chart], int | float | Decimal)
            and not isinstance(row[self.chart], bool)
        ]


@dataclass
class Section:
    key: str
    title: str
    question: str
    findings: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    quotes: list[tuple[str, str, str]] = field(default_factory=list)  # theme, quote, who


@dataclass
class Report:
    visit: Visit
    currency: str
    sections: list[Section]
    toolkit: Section
    figures: dict[str, Any]

    def all_tables(self) -> list[Table]:
        return [table for section in [*self.sections, self.toolkit] for table in section.tables]


def _largest(item: tuple[str, Any]) -> Any:
    return -item[1]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def per(total: Decimal, count: int) -> Decimal | None:
    return money(total / count) if count else None


class Evidence:
    """What the tool holds about one visit, loaded once for every section."""

    def __init__(
        self,
        session: Session,
        visit: Visit,
        efforts: list[EffortRow],
        costs: list[CostRow],
    ) -> None:
        self.session, self.visit = session, visit
        self.efforts, self.costs = efforts, costs
        self.programme_id = visit.programme_id
        self.travellers = session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.visit_id == visit.id, Membership.role.in_(TRAVELLERS))
            .options(selectinload(Person.organisation))
        ).all()
        self.reflections = session.scalars(
            select(Reflection)
            .where(
                Reflection.visit_id == visit.id,
                readable_by_researchers(),
            )
            .options(selectinload(Reflection.person), selectinload(Reflection.ratings))
        ).all()
        readable = [r.id for r in self.reflections]
        self.segments = session.scalars(
            select(CodedSegment)
            .join(Passage, Passage.id == CodedSegment.passage_id)
            .where(Passage.reflection_id.in_(readable))
            .options(
                selectinload(CodedSegment.passage).selectinload(Passage.reflection),
                selectinload(CodedSegment.code),
            )
            .order_by(CodedSegment.id)
        ).all()
        self.actions = session.scalars(
            select(Action)
            .where(Action.visit_id == visit.id)
            .options(
                selectinload(Action.owner),
                selectinload(Action.organisation),
                selectinload(Action.theme),
                selectinload(Action.updates),
            )
            .order_by(Action.id)
        ).all()

    def codes_under(self, root_key: str) -> list[Code]:
        if self.programme_id is None:
            return []
        return children_of(self.session, self.programme_id, root_key)

    def segments_by_code(self, code: Code) -> list[CodedSegment]:
        ids = set(descendants(self.session, code))
        return [s for s in self.segments if s.code_id in ids]

    def coded_people(self, key: str) -> set[int]:
        """The people with a passage coded with the default code ``key``."""
        return {s.passage.reflection.person_id for s in self.segments if s.code.default_key == key}


def build(
    session: Session,
    visit: Visit,
    efforts: list[EffortRow],
    costs: list[CostRow],
    reporting_currency: str,
    network: Any | None,
) -> Report:
    evidence = Evidence(session, visit, efforts, costs)
    figures: dict[str, Any] = {}
    if network is not None and network.persistence is not None:
        figures["new_ties"] = network.persistence.new
    sections = [
        what_was_learned(evidence, figures),
        learning_model(evidence, figures),
        adaptation(evidence, figures),
        efficiency(evidence, figures, reporting_currency),
        community(network, figures),
    ]
    toolkit = toolkit_frame(evidence, figures)
    return Report(visit, reporting_currency, sections, toolkit, figures)


def what_was_learned(evidence: Evidence, figures: dict) -> Section:
    section = Section(
        "learned",
        str(_l("1. What was learned")),
        str(_l("What can Scotland learn from international partners about mainstreaming PB?")),
    )
    rows = []
    for theme in evidence.codes_under(THEMES_ROOT):
        found = evidence.segments_by_code(theme)
        # Two coders applying a theme to one passage is one coded passage, and one quote.
        passages = {s.passage_id for s in found}
        people = {s.passage.reflection.person_id for s in found}
        rows.append([code_name(theme), len(passages), len(people)])
        for segment in found:
            reflection = segment.passage.reflection
            quote = (code_name(theme), segment.quote, reflection.person.name)
            if reflection.consent is Consent.QUOTABLE and quote not in section.quotes:
                section.quotes.append(quote)
    rows.sort(key=lambda row: (-row[1], row[0]))
    section.tables.append(
        Table(
            "themes",
            str(_l("Learning themes")),
            [str(_l("Theme")), str(_l("Coded passages")), str(_l("People"))],
            rows,
            chart=1,
        )
    )
    figures["themes"] = {row[0]: row[1] for row in rows}
    top = [row[0] for row in rows if row[1]][:3]
    if top:
        section.findings.append(str(_l("Most often coded: %(themes)s.", themes=", ".join(top))))
    section.findings.append(
        str(
            _l(
                "%(reflections)s reflections from %(people)s people could be read; %(quotes)s "
                "quotes may be used in public.",
                reflections=len(evidence.reflections),
                people=len({r.person_id for r in evidence.reflections}),
                quotes=len(section.quotes),
            )
        )
    )
    return section


def learning_model(evidence: Evidence, figures: dict) -> Section:
    section = Section(
        "model",
        str(_l("2. The visit as a model for learning")),
        str(_l("How well do international fact-finding visits work as a model for learning?")),
    )
    scores = [
        r.satisfaction
        for r in evidence.reflections
        if r.phase is Phase.AFTER and r.satisfaction is not None
    ]
    figures["satisfaction_mean"] = round(statistics.mean(scores), 2) if scores else None
    figures["satisfaction_answers"] = len(scores)
    if scores:
        section.findings.append(
            str(
                _l(
                    "Satisfaction: %(mean)s out of 5 on average (%(count)s answers).",
                    mean=f"{statistics.mean(scores):.1f}",
                    count=len(scores),
                )
            )
        )
    # Learning against the baseline: people who rated a theme before and after.
    before: dict[tuple[int, int], int] = {}
    after: dict[tuple[int, int], int] = {}
    for reflection in evidence.reflections:
        target = before if reflection.phase is Phase.BEFORE else after
        if reflection.phase in (Phase.BEFORE, Phase.AFTER):
            for rating in reflection.ratings:
                target[(reflection.person_id, rating.code_id)] = rating.score
    rows = []
    risen: set[int] = set()
    for theme in evidence.codes_under(THEMES_ROOT):
        pairs = [(before[key], after[key]) for key in before if key[1] == theme.id and key in after]
        for person_id, code_id in before:
            key = (person_id, code_id)
            if code_id == theme.id and key in after and after[key] > before[key]:
                risen.add(person_id)
        if pairs:
            mean_before = statistics.mean(b for b, _a in pairs)
            mean_after = statistics.mean(a for _b, a in pairs)
            rows.append(
                [
                    code_name(theme),
                    len(pairs),
                    round(mean_before, 2),
                    round(mean_after, 2),
                    round(mean_after - mean_before, 2),
                ]
            )
    section.tables.append(
        Table(
            "baseline",
            str(_l("Self-rating before and after, by theme (1 to 5)")),
            [
                str(_l("Theme")),
                str(_l("People")),
                str(_l("Before")),
                str(_l("After")),
                str(_l("Change")),
            ],
            rows,
            chart=4,
        )
    )
    figures["baseline"] = {row[0]: row[4] for row in rows}
    # Kirkpatrick: the highest level each person shows evidence of.
    acting = {
        a.owner_id
        for a in evidence.actions
        if a.status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE)
    }
    proven = {a.owner_id for a in evidence.actions if a.status is ActionStatus.DONE and a.evidence}
    reacted = {
        r.person_id for r in evidence.reflections if r.satisfaction is not None
    } | evidence.coded_people("reaction")
    levels = [
        (str(_l("Level 1: reaction")), reacted),
        (str(_l("Level 2: learning")), risen | evidence.coded_people("learning")),
        (str(_l("Level 3: behaviour")), acting | evidence.coded_people("behaviour")),
        (str(_l("Level 4: results")), proven | evidence.coded_people("results")),
    ]
    section.tables.append(
        Table(
            "kirkpatrick",
            str(_l("Kirkpatrick levels reached")),
            [str(_l("Level")), str(_l("People")), str(_l("Evidence"))],
            [
                [levels[0][0], len(levels[0][1]), str(_l("satisfaction given, or coded"))],
                [levels[1][0], len(levels[1][1]), str(_l("a self-rating rose, or coded"))],
                [levels[2][0], len(levels[2][1]), str(_l("an action under way or done, or coded"))],
                [
                    levels[3][0],
                    len(levels[3][1]),
                    str(_l("an action done with evidence, or coded")),
                ],
            ],
            chart=1,
        )
    )
    figures["kirkpatrick"] = [len(people) for _name, people in levels]
    new_ties = figures.get("new_ties")
    outcomes = [
        [str(_l("New knowledge")), len(risen), str(_l("people whose self-rating rose"))],
        [
            str(_l("Enhanced skills")),
            len(evidence.coded_people("applied")),
            str(_l("people with passages coded “applied value”")),
        ],
        [
            str(_l("Improved consensus")),
            len(evidence.coded_people("learning_from_each_other")),
            str(_l("people with passages coded “learning from each other”")),
        ],
        [
            str(_l("Enhanced connectivity")),
            new_ties if new_ties is not None else "–",
            str(_l("new ties in the network after the visit")),
        ],
        [str(_l("New or improved actions")), len(evidence.actions), str(_l("actions recorded"))],
    ]
    section.tables.append(
        Table(
            "world_bank",
            str(_l("Knowledge-exchange outcomes (World Bank)")),
            [str(_l("Outcome")), str(_l("Count")), str(_l("Counted as"))],
            outcomes,
            chart=1,
        )
    )
    figures["world_bank"] = [row[1] for row in outcomes]
    return section


def days_to_done(action: Action) -> int | None:
    done = [u for u in action.updates if u.status is ActionStatus.DONE]
    if not done:
        return None
    return (done[0].created_at.date() - action.created_at.date()).days


def adaptation(evidence: Evidence, figures: dict) -> Section:
    section = Section(
        "adaptation",
        str(_l("3. Adaptation at home")),
        str(_l("How is learning from visits adapted for domestic application?")),
    )
    statuses = Counter(a.status for a in evidence.actions)
    section.tables.append(
        Table(
            "actions_by_status",
            str(_l("Actions by status")),
            [str(_l("Status")), str(_l("Actions"))],
            [[status.label, statuses.get(status, 0)] for status in ActionStatus],
            chart=1,
        )
    )
    figures["actions_by_status"] = {s.value: statuses.get(s, 0) for s in ActionStatus}
    by_organisation: dict[str, Counter] = defaultdict(Counter)
    by_theme: dict[str, Counter] = defaultdict(Counter)
    for action in evidence.actions:
        organisation = action.organisation.name if action.organisation else "–"
        by_organisation[organisation][action.status] += 1
        by_theme[code_name(action.theme) if action.theme else "–"][action.status] += 1
    columns = [str(_l("Total")), *(s.label for s in ActionStatus)]
    for key, title, grouped, first in [
        (
            "actions_by_organisation",
            _l("Actions by organisation"),
            by_organisation,
            _l("Organisation"),
        ),
        ("actions_by_theme", _l("Actions by learning theme"), by_theme, _l("Theme")),
    ]:
        section.tables.append(
            Table(
                key,
                str(title),
                [str(first), *columns],
                [
                    [name, sum(counts.values()), *(counts.get(s, 0) for s in ActionStatus)]
                    for name, counts in sorted(grouped.items())
                ],
                chart=1,
            )
        )
    durations = [d for d in (days_to_done(a) for a in evidence.actions) if d is not None]
    figures["median_days_to_done"] = statistics.median(durations) if durations else None
    if durations:
        section.findings.append(
            str(
                _l(
                    "Actions done took %(days)s days from being recorded to being done (median of "
                    "%(count)s).",
                    days=f"{statistics.median(durations):g}",
                    count=len(durations),
                )
            )
        )
    return section


def efficiency(evidence: Evidence, figures: dict, currency: str) -> Section:
    section = Section(
        "efficiency",
        str(_l("4. Efficiency")),
        str(
            _l(
                "What are the efficiencies and inefficiencies of such visits, including less "
                "tangible outcomes?"
            )
        ),
    )
    hours: dict[str, dict[str, float]] = {"phase": {}, "category": {}, "person": {}}
    phases = {"before": _l("Before"), "during": _l("During"), "after": _l("After")}
    for row in evidence.efforts:
        labelled = (
            ("phase", str(phases.get(row.phase, row.phase))),
            ("category", EffortCategory(row.category).label),
            ("person", row.person),
        )
        for kind, key in labelled:
            hours[kind][key] = hours[kind].get(key, 0) + row.minutes / 60
    total_hours = sum(row.minutes for row in evidence.efforts) / 60
    for kind, title in (
        ("phase", _l("Hours by phase")),
        ("category", _l("Hours by category")),
        ("person", _l("Hours by person")),
    ):
        section.tables.append(
            Table(
                f"hours_by_{kind}",
                str(title),
                [
                    str(
                        _l("Phase")
                        if kind == "phase"
                        else _l("Category")
                        if kind == "category"
                        else _l("Person")
                    ),
                    str(_l("Hours")),
                ],
                [
                    [key, round(value, 2)]
                    for key, value in sorted(hours[kind].items(), key=lambda i: -i[1])
                ],
                chart=1,
            )
        )
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    for cost in evidence.costs:
        by_category[CostCategory(cost.category).label] += in_reporting_currency(
            cost.amount, cost.rate
        )
    total = money(sum(by_category.values(), Decimal(0)))
    section.tables.append(
        Table(
            "costs_by_category",
            str(_l("Costs by category (%(currency)s)", currency=currency)),
            [str(_l("Category")), currency],
            [
                [key, money(value)]
                for key, value in sorted(by_category.items(), key=lambda i: -i[1])
            ],
            chart=1,
        )
    )
    participants = len(evidence.travellers)
    learning_points = len(
        {
            s.passage_id
            for theme in evidence.codes_under(THEMES_ROOT)
            for s in evidence.segments_by_code(theme)
        }
    )
    implemented = sum(1 for a in evidence.actions if a.status is ActionStatus.DONE)
    unit_rows = [
        [str(_l("Total cost")), total, ""],
        [str(_l("Per participant")), per(total, participants), participants],
        [str(_l("Per learning point")), per(total, learning_points), learning_points],
        [str(_l("Per implemented action")), per(total, implemented), implemented],
    ]
    section.tables.append(
        Table(
            "unit_costs",
            str(_l("What it cost (%(currency)s)", currency=currency)),
            [str(_l("Measure")), currency, str(_l("Divided by"))],
            unit_rows,
        )
    )
    figures.update(
        total_cost=total,
        participants=participants,
        learning_points=learning_points,
        implemented_actions=implemented,
        cost_per_participant=per(total, participants),
        cost_per_learning_point=per(total, learning_points),
        cost_per_implemented_action=per(total, implemented),
        total_hours=round(total_hours, 2),
    )
    session, visit = evidence.session, evidence.visit
    messages = session.scalar(
        select(func.count(Message.id)).join(Thread).where(Thread.visit_id == visit.id)
    )
    translations = session.scalar(
        select(func.count(MessageTranslation.id))
        .join(Message, Message.id == MessageTranslation.message_id)
        .join(Thread, Thread.id == Message.thread_id)
        .where(Thread.visit_id == visit.id)
    )
    polls = session.scalar(select(func.count(DatePoll.id)).where(DatePoll.visit_id == visit.id))
    burden = [
        [str(_l("Hours of planning and organising")), round(total_hours, 2)],
        [str(_l("Messages with the hosts")), messages],
        [str(_l("Translations of messages")), translations],
        [str(_l("Rounds of date polls")), polls],
    ]
    section.tables.append(
        Table(
            "planning_burden",
            str(_l("The planning burden")),
            [str(_l("Measure")), str(_l("Count"))],
            burden,
        )
    )
    figures.update(messages=messages, translations=translations, poll_rounds=polls)
    intangible = []
    for cycle in evidence.codes_under(CYCLES_ROOT):
        if cycle.default_key in ("immediate", "reframing"):
            found = evidence.segments_by_code(cycle)
            intangible.append([code_name(cycle), len({s.passage_id for s in found})])
    section.tables.append(
        Table(
            "less_tangible",
            str(_l("Less tangible outcomes (coded passages)")),
            [str(_l("Value")), str(_l("Coded passages"))],
            intangible,
        )
    )
    if participants:
        section.findings.append(
            str(
                _l(
                    "The visit cost %(total)s %(currency)s: %(per)s per participant.",
                    total=total,
                    currency=currency,
                    per=per(total, participants),
                )
            )
        )
    if implemented:
        section.findings.append(
            str(
                _l(
                    "Per action implemented at home it cost %(per)s %(currency)s, the figure that "
                    "matters more than the cost per participant.",
                    per=per(total, implemented),
                    currency=currency,
                )
            )
        )
    return section


INDICATOR_LABELS = {
    "ties": _l("Ties between people"),
    "density": _l("Density"),
    "mean_degree": _l("Contacts per person"),
    "largest_component_share": _l("Share in the largest connected group"),
    "isolates": _l("People with no ties"),
    "transitivity": _l("Transitivity"),
    "average_clustering": _l("Average clustering"),
    "reciprocity": _l("Reciprocity"),
    "centralisation": _l("Degree centralisation"),
    "ei_organisation": _l("E-I index by organisation"),
    "ei_country": _l("E-I index by country"),
    "cross_organisation_ties": _l("Ties across organisations"),
    "communities_spanning_organisations": _l("Communities spanning organisations"),
    "community_organisation_agreement": _l("Communities following organisation lines"),
}
VERDICTS = {
    "too_small": _l(
        "The network is too small to conclude anything yet. Log more contacts, or include more "
        "kinds of ties."
    ),
    "forming": _l("Most indicators moved the way a forming community of practice would."),
    "not_forming": _l(
        "Most indicators did not move the way a forming community of practice would."
    ),
    "mixed": _l("The indicators point in different directions."),
}


def community(network: Any | None, figures: dict) -> Section:
    section = Section(
        "community",
        str(_l("5. A community of practice")),
        str(_l("To what extent is a community of practice developing among participants?")),
    )
    if network is None:
        section.findings.append(str(_l("The visit belongs to no programme: no network to read.")))
        return section
    figures["verdict"] = network.conclusion
    section.findings.append(str(VERDICTS.get(network.conclusion, network.conclusion)))
    if network.persistence is not None:
        section.findings.append(
            str(
                _l(
                    "%(new)s new ties after the visit, %(kept)s kept and %(lost)s lost.",
                    new=network.persistence.new,
                    kept=network.persistence.persisting,
                    lost=network.persistence.lost,
                )
            )
        )
    section.tables.append(
        Table(
            "network_indicators",
            str(_l("Network indicators before and after")),
            [
                str(_l("Indicator")),
                str(_l("Before")),
                str(_l("After")),
                str(_l("Moved as a forming community would")),
            ],
            [
                [
                    str(INDICATOR_LABELS.get(indicator.key, indicator.key)),
                    _rounded(indicator.before),
                    _rounded(indicator.after),
                    "–"
                    if indicator.supports is None
                    else str(_l("yes") if indicator.supports else _l("no")),
                ]
                for indicator in network.indicators
            ],
        )
    )
    figures["network"] = {
        i.key: [_rounded(i.before), _rounded(i.after)] for i in network.indicators
    }
    return section


def _rounded(value: Any) -> Any:
    return round(value, 3) if isinstance(value, float) else value


def toolkit_frame(evidence: Evidence, figures: dict) -> Section:
    """The Glasgow PB evaluation toolkit's frame: Aim, Planning, Process, Impact, capacity for
    improvement, with the improvement plan built from the actions."""
    section = Section(
        "toolkit",
        str(_l("The Glasgow PB evaluation toolkit")),
        str(_l("Aim, planning, process, impact, and what is our capacity for improvement?")),
    )
    session, visit = evidence.session, evidence.visit
    tasks = session.scalars(select(PlanningTask).where(PlanningTask.visit_id == visit.id)).all()
    checked = sum(1 for task in tasks if task.status is TaskStatus.DONE)
    needing = session.scalars(
        select(ItineraryItem.id).where(
            ItineraryItem.visit_id == visit.id,
            ItineraryItem.needs_interpreter.is_(True),
            ItineraryItem.cancelled.is_(False),
        )
    ).all()
    interpreted = set(
        session.scalars(
            select(Booking.item_id).where(
                Booking.item_id.in_(needing), Booking.status == BookingStatus.CONFIRMED
            )
        )
    )
    protocol = session.scalar(select(SocialProtocol).where(SocialProtocol.visit_id == visit.id))
    members = session.scalar(
        select(func.count(Membership.id)).where(Membership.visit_id == visit.id)
    )
    accepted = 0
    if protocol is not None:
        accepted = session.scalar(
            select(func.count(ProtocolAcknowledgement.id)).where(
                ProtocolAcknowledgement.protocol_id == protocol.id,
                ProtocolAcknowledgement.version == protocol.version,
            )
        )
    statuses = figures.get("actions_by_status", {})
    open_actions = statuses.get("planned", 0) + statuses.get("in_progress", 0)
    frame = [
        [str(_l("Aim")), visit.objective or "–"],
        [
            str(_l("Planning: how good is our leadership?")),
            str(
                _l(
                    "%(checked)s of %(tasks)s planning checks done; %(hours)s hours logged; "
                    "%(rounds)s rounds of date polls.",
                    checked=checked,
                    tasks=len(tasks),
                    hours=figures.get("total_hours", 0),
                    rounds=figures.get("poll_rounds", 0),
                )
            ),
        ],
        [
            str(_l("Process: how good is our delivery?")),
            str(
                _l(
                    "Satisfaction %(satisfaction)s out of 5; %(interpreted)s of %(needing)s "
                    "meetings interpreted; %(accepted)s of %(members)s members accepted the "
                    "social-media protocol.",
                    satisfaction=figures.get("satisfaction_mean") or "–",
                    interpreted=len(interpreted),
                    needing=len(needing),
                    accepted=accepted,
                    members=members,
                )
            ),
        ],
        [
            str(_l("Impact: what outcomes?")),
            str(
                _l(
                    "%(done)s actions done and %(open)s under way or planned; %(behaviour)s "
                    "people reached Kirkpatrick level 3 and %(results)s level 4.",
                    done=statuses.get("done", 0),
                    open=open_actions,
                    behaviour=figures["kirkpatrick"][2],
                    results=figures["kirkpatrick"][3],
                )
            ),
        ],
        [
            str(_l("What is our capacity for improvement?")),
            str(
                _l(
                    "%(open)s actions still open and %(dropped)s dropped: the improvement plan "
                    "below.",
                    open=open_actions,
                    dropped=statuses.get("dropped", 0),
                )
            ),
        ],
    ]
    section.tables.append(
        Table(
            "toolkit",
            str(_l("The toolkit’s questions")),
            [str(_l("Stage")), str(_l("From the evidence"))],
            frame,
        )
    )
    section.tables.append(
        Table(
            "improvement_plan",
            str(_l("Improvement plan")),
            [
                str(_l("Action")),
                str(_l("Owner")),
                str(_l("Organisation")),
                str(_l("Target date")),
                str(_l("Status")),
                str(_l("Evidence")),
            ],
            [
                [
                    action.title,
                    action.owner.name,
                    action.organisation.name if action.organisation else "",
                    action.target_date.isoformat() if action.target_date else "",
                    action.status.label,
                    action.evidence,
                ]
                for action in evidence.actions
            ],
        )
    )
    charter = []
    for feature in evidence.codes_under("charter"):
        found = evidence.segments_by_code(feature)
        if found:
            charter.append([code_name(feature), len({s.passage_id for s in found})])
    section.tables.append(
        Table(
            "pb_charter",
            str(_l("PB Charter features in the reflections (coded passages)")),
            [str(_l("Feature")), str(_l("Coded passages"))],
            charter,
            chart=1 if charter else None,
        )
    )
    return section

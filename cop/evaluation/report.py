"""The evaluation report of a visit: one section per research question, built from what the tool
holds, and the Glasgow PB evaluation toolkit's frame beside it (no Flask here).

Every figure comes with the table it was computed from, so a reader can trace it, a chart can have
a table beside it, and the CSV and JSON exports hold exactly what the page shows. Reflections count
only where the writer let researchers read them (private ones are left out of every figure), and
quotes only where the writer agreed to be quoted in public: the report is made to be shared."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from cop.actions.models import Action, ActionStatus
from cop.correspondence.models import Message, MessageTranslation, Thread
from cop.directory.models import Person
from cop.evaluation import measures
from cop.interpreting.models import Booking, BookingStatus
from cop.itinerary.models import ItineraryItem
from cop.planning.logic import CostRow, EffortRow
from cop.planning.models import (
    CostCategory,
    EffortCategory,
    HostContribution,
    PlanningTask,
    TaskStatus,
)
from cop.polls.models import DatePoll
from cop.reflections.defaults import CYCLES_ROOT, THEMES_ROOT
from cop.reflections.logic import (
    children_of,
    code_name,
    descendants,
    readable_by_researchers,
)
from cop.reflections.models import Consent, Passage, Reflection
from cop.research.models import Code, CodedSegment
from cop.research.quotes import quotes_of
from cop.social.models import ProtocolAcknowledgement, SocialProtocol
from cop.visits.models import Membership, MembershipRole, Visit

TRAVELLERS = (MembershipRole.PARTICIPANT, MembershipRole.LEAD)


@dataclass
class Table:
    """Figures as rows; ``chart`` names the numeric column drawn as bars, or the columns drawn
    side by side for each row (before and after, say); None: no chart."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    chart: int | tuple[int, ...] | None = None

    @property
    def chart_columns(self) -> tuple[int, ...]:
        if self.chart is None:
            return ()
        return (self.chart,) if isinstance(self.chart, int) else self.chart

    def chart_series(self) -> list[str]:
        """The names of the bars drawn for each row (the columns' headings)."""
        return [self.columns[index] for index in self.chart_columns]

    def chart_bars(self) -> list[tuple[str, tuple[float, ...]]]:
        """Each row's label and figures: rows with a figure missing (shown as "–" in the table,
        a new visit has many) are left out of the chart rather than drawn as zero."""
        bars = []
        for row in self.rows:
            values = [row[index] for index in self.chart_columns]
            if values and all(_is_figure(value) for value in values):
                bars.append((str(row[0]), tuple(float(value) for value in values)))
        return bars


def _is_figure(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


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
    figures: Figures

    def all_tables(self) -> list[Table]:
        return [table for section in [*self.sections, self.toolkit] for table in section.tables]


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
        self.host_accounts = session.scalars(
            select(HostContribution)
            .where(HostContribution.visit_id == visit.id)
            .options(selectinload(HostContribution.person))
            .order_by(HostContribution.id)
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

        self.messages = session.scalar(
            select(func.count(Message.id)).join(Thread).where(Thread.visit_id == visit.id)
        )
        self.translations = session.scalar(
            select(func.count(MessageTranslation.id))
            .join(Message, Message.id == MessageTranslation.message_id)
            .join(Thread, Thread.id == Message.thread_id)
            .where(Thread.visit_id == visit.id)
        )
        self.poll_rounds = session.scalar(
            select(func.count(DatePoll.id)).where(DatePoll.visit_id == visit.id)
        )
        self.tasks = session.scalars(
            select(PlanningTask).where(PlanningTask.visit_id == visit.id)
        ).all()
        self.needing_interpreter = session.scalars(
            select(ItineraryItem.id).where(
                ItineraryItem.visit_id == visit.id,
                ItineraryItem.needs_interpreter.is_(True),
                ItineraryItem.cancelled.is_(False),
            )
        ).all()
        self.interpreted = set(
            session.scalars(
                select(Booking.item_id).where(
                    Booking.item_id.in_(self.needing_interpreter),
                    Booking.status == BookingStatus.CONFIRMED,
                )
            )
        )
        self.members = session.scalar(
            select(func.count(Membership.id)).where(Membership.visit_id == visit.id)
        )
        protocol = session.scalar(select(SocialProtocol).where(SocialProtocol.visit_id == visit.id))
        self.accepted_protocol = (
            session.scalar(
                select(func.count(ProtocolAcknowledgement.id)).where(
                    ProtocolAcknowledgement.protocol_id == protocol.id,
                    ProtocolAcknowledgement.version == protocol.version,
                )
            )
            if protocol is not None
            else 0
        )

    def codes_under(self, root_key: str) -> list[Code]:
        if self.programme_id is None:
            return []
        return children_of(self.session, self.programme_id, root_key)

    def segments_by_code(self, code: Code) -> list[CodedSegment]:
        ids = set(descendants(self.session, code))
        return [s for s in self.segments if s.code_id in ids]

    def coded_under(self, root_key: str) -> list[tuple[Code, list[CodedSegment]]]:
        """Each code under a root of the codebook with the segments coded with it or below it."""
        return [(code, self.segments_by_code(code)) for code in self.codes_under(root_key)]


@dataclass(frozen=True)
class Figures:
    """Every figure of the report, computed once by the measures (cop.evaluation.measures) and
    then only worded and tabulated by the sections."""

    reflections_read: int
    people_read: int
    themes: list[measures.CodeCount]
    quotes: list[tuple[Code, str, str]]  # theme, words, who: only where quotable in public
    satisfaction: measures.Satisfaction
    ratings: measures.Ratings
    coded: dict[str, set[int]]
    kirkpatrick: measures.Kirkpatrick
    actions: measures.ActionCounts
    action_total: int
    days_to_done: measures.Median
    hours: measures.Hours
    costs: measures.Costs
    units: measures.UnitCosts
    less_tangible: list[measures.CodeCount]
    charter: list[measures.CodeCount]
    messages: int
    translations: int
    poll_rounds: int
    tasks: int
    tasks_done: int
    needing_interpreter: int
    interpreted: int
    members: int
    accepted_protocol: int
    network: Any | None
    # The hosts' own accounts: (name, minutes, who worked, what they gained, its language).
    host_accounts: tuple = ()

    @property
    def new_ties(self) -> int | None:
        if self.network is None or self.network.persistence is None:
            return None
        return self.network.persistence.new

    def world_bank(self) -> list[int | str]:
        """The World Bank's knowledge-exchange outcomes, as counted here."""
        return [
            len(self.ratings.risen),
            len(self.coded.get("applied", set())),
            len(self.coded.get("learning_from_each_other", set())),
            self.new_ties if self.new_ties is not None else "–",
            self.action_total,
        ]

    def as_json(self) -> dict[str, Any]:
        """The figures under the names the JSON export has always used."""
        plain: dict[str, Any] = {}
        if self.new_ties is not None:
            plain["new_ties"] = self.new_ties
        plain.update(
            themes={code_name(c.code): c.passages for c in self.themes},
            satisfaction_mean=self.satisfaction.mean,
            satisfaction_answers=self.satisfaction.answers,
            baseline={code_name(c.code): c.change for c in self.ratings.changes},
            kirkpatrick=self.kirkpatrick.counts(),
            world_bank=self.world_bank(),
            actions_by_status={s.value: n for s, n in self.actions.by_status.items()},
            median_days_to_done=self.days_to_done.value,
            total_cost=self.units.total,
            costs_without_rate=self.costs.without_rate,
            uncounted_costs=self.costs.uncounted,
            participants=self.units.participants,
            learning_points=self.units.learning_points,
            implemented_actions=self.units.implemented_actions,
            cost_per_participant=self.units.per_participant,
            cost_per_learning_point=self.units.per_learning_point,
            cost_per_implemented_action=self.units.per_implemented_action,
            total_hours=self.hours.total,
            messages=self.messages,
            translations=self.translations,
            poll_rounds=self.poll_rounds,
        )
        if self.network is not None:
            plain["verdict"] = self.network.conclusion
            plain["network"] = {
                i.key: [rounded_figure(i.before), rounded_figure(i.after)]
                for i in self.network.indicators
            }
        return plain


def compute(evidence: Evidence, network: Any | None) -> Figures:
    themes = evidence.coded_under(THEMES_ROOT)
    ratings = measures.rating_changes(evidence.reflections, evidence.codes_under(THEMES_ROOT))
    coded = measures.coded_people(evidence.segments)
    cycles = evidence.coded_under(CYCLES_ROOT)
    return Figures(
        reflections_read=len(evidence.reflections),
        people_read=len({r.person_id for r in evidence.reflections}),
        themes=measures.code_counts(themes),
        quotes=_quotes(themes),
        satisfaction=measures.satisfaction(evidence.reflections),
        ratings=ratings,
        coded=coded,
        kirkpatrick=measures.kirkpatrick(
            evidence.reflections, evidence.actions, ratings.risen, coded
        ),
        actions=measures.action_counts(evidence.actions),
        action_total=len(evidence.actions),
        days_to_done=measures.median_days_to_done(evidence.actions),
        hours=measures.hours(evidence.efforts),
        costs=measures.costs(evidence.costs),
        units=measures.UnitCosts(
            measures.costs(evidence.costs).total,
            len(evidence.travellers),
            measures.passages_coded(themes),
            measures.implemented(evidence.actions),
        ),
        less_tangible=[
            count
            for count in measures.code_counts(cycles)
            if count.code.default_key in ("immediate", "reframing")
        ],
        charter=[c for c in measures.code_counts(evidence.coded_under("charter")) if c.passages],
        messages=evidence.messages or 0,
        translations=evidence.translations or 0,
        poll_rounds=evidence.poll_rounds or 0,
        tasks=len(evidence.tasks),
        tasks_done=sum(1 for task in evidence.tasks if task.status is TaskStatus.DONE),
        needing_interpreter=len(evidence.needing_interpreter),
        interpreted=len(evidence.interpreted),
        members=evidence.members or 0,
        accepted_protocol=evidence.accepted_protocol or 0,
        network=network,
        host_accounts=tuple(
            (a.person.name, a.minutes, a.staff, a.gained, a.language)
            for a in evidence.host_accounts
        ),
    )


def _quotes(themes: list[tuple[Code, list[CodedSegment]]]) -> list[tuple[Code, str, str]]:
    """Words writers agreed may be quoted in public, once each per theme however many coders
    coded them."""
    quotes: list[tuple[Code, str, str]] = []
    for theme, segments in themes:
        for quote in quotes_of(segments):
            reflection = quote.passage.reflection
            if reflection.consent is Consent.QUOTABLE:
                quotes.append((theme, quote.text, reflection.person.name))
    return quotes


def build(
    session: Session,
    visit: Visit,
    efforts: list[EffortRow],
    costs: list[CostRow],
    reporting_currency: str,
    network: Any | None,
) -> Report:
    evidence = Evidence(session, visit, efforts, costs)
    figures = compute(evidence, network)
    sections = [
        what_was_learned(figures),
        learning_model(figures),
        adaptation(figures),
        efficiency(figures, reporting_currency),
        community(network),
    ]
    toolkit = toolkit_frame(figures, visit, evidence.actions)
    return Report(visit, reporting_currency, sections, toolkit, figures)


def what_was_learned(figures: Figures) -> Section:
    section = Section(
        "learned",
        str(_l("1. What was learned")),
        str(_l("What can Scotland learn from international partners about mainstreaming PB?")),
    )
    section.quotes = [(code_name(theme), words, who) for theme, words, who in figures.quotes]
    section.tables.append(
        Table(
            "themes",
            str(_l("Learning themes")),
            [str(_l("Theme")), str(_l("Coded passages")), str(_l("People"))],
            [[code_name(c.code), c.passages, c.people] for c in figures.themes],
            chart=1,
        )
    )
    top = [code_name(c.code) for c in figures.themes if c.passages][:3]
    if top:
        section.findings.append(str(_l("Most often coded: %(themes)s.", themes=", ".join(top))))
    section.findings.append(
        str(
            _l(
                "%(reflections)s reflections from %(people)s people could be read; %(quotes)s "
                "quotes may be used in public.",
                reflections=figures.reflections_read,
                people=figures.people_read,
                quotes=len(figures.quotes),
            )
        )
    )
    return section


def learning_model(figures: Figures) -> Section:
    section = Section(
        "model",
        str(_l("2. The visit as a model for learning")),
        str(_l("How well do international fact-finding visits work as a model for learning?")),
    )
    if figures.satisfaction.mean is not None:
        section.findings.append(
            str(
                lazy_ngettext(
                    "Satisfaction: %(mean)s out of 5 on average (%(num)s answer).",
                    "Satisfaction: %(mean)s out of 5 on average (%(num)s answers).",
                    figures.satisfaction.answers,
                    mean=f"{figures.satisfaction.mean:.1f}",
                )
            )
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
            [
                [code_name(c.code), c.people, c.before, c.after, c.change]
                for c in figures.ratings.changes
            ],
            chart=(2, 3),
        )
    )
    reached = figures.kirkpatrick.counts()
    section.tables.append(
        Table(
            "kirkpatrick",
            str(_l("Kirkpatrick levels reached")),
            [str(_l("Level")), str(_l("People")), str(_l("Evidence"))],
            [
                [str(_l("Level 1: reaction")), reached[0], str(_l("satisfaction given, or coded"))],
                [str(_l("Level 2: learning")), reached[1], str(_l("a self-rating rose, or coded"))],
                [
                    str(_l("Level 3: behaviour")),
                    reached[2],
                    str(_l("an action under way or done, or coded")),
                ],
                [
                    str(_l("Level 4: results")),
                    reached[3],
                    str(_l("an action done with evidence, or coded")),
                ],
            ],
            chart=1,
        )
    )
    counted_as = [
        (_l("New knowledge"), _l("people whose self-rating rose")),
        (_l("Enhanced skills"), _l("people with passages coded “applied value”")),
        (_l("Improved consensus"), _l("people with passages coded “learning from each other”")),
        (_l("Enhanced connectivity"), _l("new ties in the network after the visit")),
        (_l("New or improved actions"), _l("actions recorded")),
    ]
    section.tables.append(
        Table(
            "world_bank",
            str(_l("Knowledge-exchange outcomes (World Bank)")),
            [str(_l("Outcome")), str(_l("Count")), str(_l("Counted as"))],
            [
                [str(outcome), count, str(meaning)]
                for (outcome, meaning), count in zip(counted_as, figures.world_bank(), strict=True)
            ],
            chart=1,
        )
    )
    return section


def adaptation(figures: Figures) -> Section:
    section = Section(
        "adaptation",
        str(_l("3. Adaptation at home")),
        str(_l("How is learning from visits adapted for domestic application?")),
    )
    counts = figures.actions
    section.tables.append(
        Table(
            "actions_by_status",
            str(_l("Actions by status")),
            [str(_l("Status")), str(_l("Actions"))],
            [[status.label, count] for status, count in counts.by_status.items()],
            chart=1,
        )
    )
    columns = [str(_l("Total")), *(s.label for s in ActionStatus)]
    by_organisation = {name or "–": found for name, found in counts.by_organisation.items()}
    by_theme = {
        (code_name(theme) if theme else "–"): found for theme, found in counts.by_theme.items()
    }
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
                    [name, sum(found.values()), *(found.get(s, 0) for s in ActionStatus)]
                    for name, found in sorted(grouped.items())
                ],
                chart=1,
            )
        )
    if figures.days_to_done.value is not None:
        section.findings.append(
            str(
                lazy_ngettext(
                    "Actions done took %(days)s days from being recorded to being done (median of "
                    "%(num)s).",
                    "Actions done took %(days)s days from being recorded to being done (median of "
                    "%(num)s).",
                    figures.days_to_done.count,
                    days=f"{figures.days_to_done.value:g}",
                )
            )
        )
    return section


PHASE_NAMES = {"before": _l("Before"), "during": _l("During"), "after": _l("After")}


def efficiency(figures: Figures, currency: str) -> Section:
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
    hours = figures.hours
    for key, title, first, found, name in (
        ("phase", _l("Hours by phase"), _l("Phase"), hours.by_phase, _phase_name),
        (
            "category",
            _l("Hours by category"),
            _l("Category"),
            hours.by_category,
            lambda value: EffortCategory(value).label,
        ),
        ("person", _l("Hours by person"), _l("Person"), hours.by_person, str),
    ):
        section.tables.append(
            Table(
                f"hours_by_{key}",
                str(title),
                [str(first), str(_l("Hours"))],
                [[name(value), amount] for value, amount in found.items()],
                chart=1,
            )
        )
    section.tables.append(
        Table(
            "costs_by_category",
            str(_l("Costs by category (%(currency)s)", currency=currency)),
            [str(_l("Category")), currency],
            [
                [CostCategory(category).label, amount]
                for category, amount in figures.costs.by_category.items()
            ],
            chart=1,
        )
    )
    units = figures.units
    unit_costs = Table(
        "unit_costs",
        str(
            _l("What it cost (%(currency)s), leaving out costs with no rate", currency=currency)
            if figures.costs.without_rate
            else _l("What it cost (%(currency)s)", currency=currency)
        ),
        [str(_l("Measure")), currency, str(_l("Divided by"))],
        [
            [str(_l("Total cost")), units.total, ""],
            [str(_l("Per participant")), units.per_participant, units.participants],
            [str(_l("Per learning point")), units.per_learning_point, units.learning_points],
            [
                str(_l("Per implemented action")),
                units.per_implemented_action,
                units.implemented_actions,
            ],
        ],
    )
    section.tables.append(unit_costs)
    section.tables.append(
        Table(
            "planning_burden",
            str(_l("The planning burden")),
            [str(_l("Measure")), str(_l("Count"))],
            [
                [str(_l("Hours of planning and organising")), hours.total],
                [str(_l("Messages with the hosts")), figures.messages],
                [str(_l("Translations of messages")), figures.translations],
                [str(_l("Rounds of date polls")), figures.poll_rounds],
            ],
        )
    )
    if figures.host_accounts:
        section.tables.append(
            Table(
                "host_side",
                str(_l("The hosts’ side")),
                [str(_l("Host")), str(_l("Hours")), str(_l("Who worked on it"))],
                [
                    [name, round(minutes / 60, 1), staff]
                    for name, minutes, staff, _gained, _language in figures.host_accounts
                ],
            )
        )
    section.tables.append(
        Table(
            "less_tangible",
            str(_l("Less tangible outcomes (coded passages)")),
            [str(_l("Value")), str(_l("Coded passages"))],
            [[code_name(c.code), c.passages] for c in _in_code_order(figures.less_tangible)],
        )
    )
    if figures.costs.without_rate:
        # First, so nobody quotes a total without reading that it is short.
        section.findings.append(
            str(
                lazy_ngettext(
                    "%(num)s cost is in none of these figures: no exchange rate is known for it "
                    "(%(amounts)s). Give its rate on the visit's planning log.",
                    "%(num)s costs are in none of these figures: no exchange rate is known for "
                    "them (%(amounts)s). Give their rates on the visit's planning log.",
                    figures.costs.without_rate,
                    amounts=", ".join(
                        f"{amount} {currency}"
                        for currency, amount in figures.costs.uncounted.items()
                    ),
                )
            )
        )
    if units.participants:
        section.findings.append(
            str(
                _l(
                    "The visit cost %(total)s %(currency)s: %(per)s per participant.",
                    total=units.total,
                    currency=currency,
                    per=units.per_participant,
                )
            )
        )
    if units.implemented_actions:
        section.findings.append(
            str(
                _l(
                    "Per action implemented at home it cost %(per)s %(currency)s, the figure that "
                    "matters more than the cost per participant.",
                    per=units.per_implemented_action,
                    currency=currency,
                )
            )
        )
    # The hosts' words, after the figures' own findings.
    section.findings += [
        str(_l("What %(host)s gained: “%(words)s”", host=name, words=gained))
        for name, _minutes, _staff, gained, _language in figures.host_accounts
        if gained
    ]
    return section


def _phase_name(value: str) -> str:
    return str(PHASE_NAMES.get(value, value))


def _in_code_order(counts: list[measures.CodeCount]) -> list[measures.CodeCount]:
    return sorted(counts, key=lambda count: count.code.position)


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
    "betweenness_centralisation": _l("Betweenness centralisation"),
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


def community(network: Any | None) -> Section:
    section = Section(
        "community",
        str(_l("5. A community of practice")),
        str(_l("To what extent is a community of practice developing among participants?")),
    )
    if network is None:
        section.findings.append(str(_l("The visit belongs to no programme: no network to read.")))
        return section
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
                    rounded_figure(indicator.before),
                    rounded_figure(indicator.after),
                    "–"
                    if indicator.supports is None
                    else str(_l("yes") if indicator.supports else _l("no")),
                ]
                for indicator in network.indicators
            ],
        )
    )
    return section


def rounded_figure(value: Any) -> Any:
    return round(value, 3) if isinstance(value, float) else value


def toolkit_frame(figures: Figures, visit: Visit, actions: list[Action]) -> Section:
    """The Glasgow PB evaluation toolkit's frame: Aim, Planning, Process, Impact, capacity for
    improvement, with the improvement plan built from the actions."""
    section = Section(
        "toolkit",
        str(_l("The Glasgow PB evaluation toolkit")),
        str(_l("Aim, planning, process, impact, and what is our capacity for improvement?")),
    )
    counts = figures.actions.by_status
    frame = [
        [str(_l("Aim")), visit.objective or "–"],
        [
            str(_l("Planning: how good is our leadership?")),
            str(
                _l(
                    "%(checked)s of %(tasks)s planning checks done; %(hours)s hours logged; "
                    "%(rounds)s rounds of date polls.",
                    checked=figures.tasks_done,
                    tasks=figures.tasks,
                    hours=figures.hours.total,
                    rounds=figures.poll_rounds,
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
                    satisfaction=figures.satisfaction.mean or "–",
                    interpreted=figures.interpreted,
                    needing=figures.needing_interpreter,
                    accepted=figures.accepted_protocol,
                    members=figures.members,
                )
            ),
        ],
        [
            str(_l("Impact: what outcomes?")),
            str(
                _l(
                    "%(done)s actions done and %(open)s under way or planned; %(behaviour)s "
                    "people reached Kirkpatrick level 3 and %(results)s level 4.",
                    done=counts[ActionStatus.DONE],
                    open=figures.actions.open,
                    behaviour=len(figures.kirkpatrick.behaviour),
                    results=len(figures.kirkpatrick.results),
                )
            ),
        ],
        [
            str(_l("What is our capacity for improvement?")),
            str(
                _l(
                    "%(open)s actions still open and %(dropped)s dropped: the improvement plan "
                    "below.",
                    open=figures.actions.open,
                    dropped=counts[ActionStatus.DROPPED],
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
                for action in actions
            ],
        )
    )
    charter = [[code_name(c.code), c.passages] for c in _in_code_order(figures.charter)]
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

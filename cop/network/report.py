"""Putting it together for one programme: the two windows, their measures, the change and the
verdict. Plain data out, for the page, the command line and the evaluation report."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date

import networkx as nx
from sqlalchemy.orm import Session

from cop.network import analysis, verdict
from cop.network.loading import ALL_SOURCES, Scope, Windows, load_scope, windows_around


@dataclass(frozen=True)
class Range:
    """An indicator's lowest and highest value over the three readings of each window, and
    whether its direction is the same in all three."""

    key: str
    before: tuple[float | int | None, float | int | None]
    after: tuple[float | int | None, float | int | None]
    direction_holds: bool


def _span(values: list) -> tuple:
    known = [value for value in values if value is not None]
    return (min(known), max(known)) if known else (None, None)


def sensitivity(
    before: nx.DiGraph, after: nx.DiGraph, silent_before: frozenset, silent_after: frozenset
) -> tuple[Range, ...]:
    """Each judged indicator recomputed without the people who did not answer and with their
    ties made mutual, before and after: the range, and whether the direction holds."""
    readings = []
    for observed, silent in ((before, silent_before), (after, silent_after)):
        readings.append(
            [
                analysis.measures(observed),
                analysis.measures(analysis.without_people(observed, silent)),
                analysis.measures(analysis.symmetrised_towards(observed, silent)),
            ]
        )
    ranges = []
    for key in verdict.EXPECTED:
        pairs = [(b.get(key), a.get(key)) for b, a in zip(*readings, strict=True)]
        directions = {verdict.direction(b, a) for b, a in pairs}
        ranges.append(
            Range(
                key,
                _span([b for b, _a in pairs]),
                _span([a for _b, a in pairs]),
                len(directions) == 1,
            )
        )
    return tuple(ranges)


@dataclass
class NetworkReport:
    windows: Windows | None
    before: dict
    after: dict
    persistence: analysis.Persistence | None
    indicators: list[verdict.Indicator]
    too_small: bool
    conclusion: str
    ei_by_organisation_after: dict[str, float | None]
    ei_by_country_after: dict[str, float | None]
    brokers_after: list[tuple[str, dict[str, int]]]
    betweenness_after: list[tuple[str, float]] = field(default_factory=list)
    timeline: list[tuple[date, date, int, float | None, float | None]] = field(default_factory=list)
    # People whose organisation or country is not recorded: in the pictures and the counts of
    # people and ties, left out of every measure between groups.
    without_organisation: int = 0
    without_country: int = 0
    # Survey waves' response: (title, day, asked, answered) each; and, where some did not
    # answer, each indicator's range over the network as observed, without the people who did
    # not answer, and with the ties others reported with them made mutual.
    response: tuple = ()
    sensitivity: tuple = ()
    silent_before: int = 0
    silent_after: int = 0

    def range_of(self, key: str) -> Range | None:
        return next((r for r in self.sensitivity if r.key == key), None)

    def as_json(self) -> str:
        return json.dumps(asdict(self), default=str, indent=2, sort_keys=True)


def analyse(
    session: Session,
    programme_id: int,
    visit_id: int | None = None,
    sources: tuple[str, ...] = ALL_SOURCES,
    rounds: int = analysis.PERMUTATION_ROUNDS,
    label=str,
    only_visit_people: bool = False,
    custom: Windows | None = None,
    organisation_ids: tuple[int, ...] = (),
) -> NetworkReport:
    windows = custom or windows_around(session, programme_id, visit_id)
    scope = load_scope(
        session,
        programme_id,
        sources,
        only_visit_id=windows.visit_id if (only_visit_people and windows) else None,
        organisation_ids=organisation_ids,
    )
    return analyse_scope(scope, windows, rounds=rounds, label=label)


def analyse_scope(
    scope: Scope, windows: Windows | None, rounds: int = analysis.PERMUTATION_ROUNDS, label=str
) -> NetworkReport:
    """The computation alone, on a scope already loaded (benchmarks time the two apart)."""
    if windows is None:
        whole = analysis.build_graph(scope.people, scope.ties)
        measured = analysis.measures(whole)
        indicators, too_small = verdict.judge(measured, measured)
        return NetworkReport(
            None,
            measured,
            measured,
            None,
            indicators,
            True,
            "too_small",
            {},
            {},
            [],
            without_organisation=analysis.without_group(whole, "organisation"),
            without_country=analysis.without_group(whole, "country"),
            response=response_of(scope),
        )
    before = graph_in(scope, *windows.before)
    after = graph_in(scope, *windows.after)
    measured_before, measured_after = analysis.measures(before), analysis.measures(after)
    p_values = {
        key: analysis.permutation_p_value(before, after, key, rounds=rounds)
        for key in ("density", "ei_organisation")
    }
    indicators, too_small = verdict.judge(measured_before, measured_after, p_values)
    silent_before, silent_after = scope.silent_in(*windows.before), scope.silent_in(*windows.after)
    ranges = (
        sensitivity(before, after, silent_before, silent_after)
        if silent_before or silent_after
        else ()
    )
    roles = analysis.brokerage(after, "organisation")
    brokers = sorted(
        ((label(node), counts) for node, counts in roles.items() if sum(counts.values())),
        key=lambda item: (-sum(item[1].values()), item[0]),
    )[:10]
    return NetworkReport(
        windows,
        measured_before,
        measured_after,
        analysis.compare_ties(before, after),
        indicators,
        too_small,
        verdict.overall(indicators, too_small),
        analysis.ei_by_group(after, "organisation"),
        analysis.ei_by_group(after, "country"),
        brokers,
        sorted(
            ((label(node), value) for node, value in analysis.betweenness(after).items() if value),
            key=lambda item: (-item[1], item[0]),
        )[:5],
        timeline(scope),
        analysis.without_group(after, "organisation"),
        analysis.without_group(after, "country"),
        response_of(scope),
        ranges,
        len(silent_before),
        len(silent_after),
    )


def response_of(scope: Scope) -> tuple:
    """(title, day, asked, answered) of each survey wave, for the page."""
    return tuple(
        (wave.title, wave.day, len(wave.asked), len(wave.answered)) for wave in scope.waves
    )


def graph_in(scope: Scope, first: date, last: date) -> nx.DiGraph:
    return analysis.build_graph(scope.people, analysis.in_window(scope.ties, first, last))


def timeline(scope: Scope) -> list[tuple[date, date, int, float | None, float | None]]:
    """Ties, density and E-I by organisation in 12-month windows every 6 months."""
    rows = []
    for first, last in analysis.sliding_windows(scope.ties):
        graph = graph_in(scope, first, last)
        undirected_ties = len(analysis.undirected_pairs(graph))
        density = nx.density(nx.Graph(graph)) if graph.number_of_nodes() > 1 else None
        rows.append(
            (first, last, undirected_ties, density, analysis.ei_index(graph, "organisation"))
        )
    return rows

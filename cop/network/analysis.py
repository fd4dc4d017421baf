"""Network measures for "is a community of practice forming?", as plain functions on networkx
graphs. networkx lacks the E-I index, Freeman centralisation, Gould-Fernandez brokerage and
window comparison, so they are written here from their definitions."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import networkx as nx
from networkx.algorithms import community as nx_community

# Above this many people, betweenness is estimated from a seeded sample of sources.
BETWEENNESS_EXACT_UP_TO = 500
BETWEENNESS_SAMPLE = 200
SEED = 2016
# Rounds of every permutation test cop reports (the network page, the evaluation report, the
# command line): one figure, so the same question never gets two p-values.
PERMUTATION_ROUNDS = 300


class Tie(NamedTuple):
    """One contact between two people. A named tuple, not a dataclass: a programme's loading
    makes thousands, and a frozen dataclass takes 2.5 µs each to make (13 ms of a national
    programme's 5,306), a tuple 0.1 µs."""

    source: Hashable
    target: Hashable
    day: date
    kind: str = "logged"
    mutual: bool = False
    weight: int = 1


@dataclass(frozen=True)
class Person:
    id: Hashable
    # None: not recorded. Such a person is "no organisation" to readers, never a group of its
    # own: the measures between groups leave their ties out.
    organisation: str | None
    country: str | None


def build_graph(people: Iterable[Person], ties: Iterable[Tie]) -> nx.DiGraph:
    """A directed graph: an arc from whoever started each contact, weighted by how many; mutual
    contacts count both ways. Everyone in scope is a node, isolates included."""
    graph = nx.DiGraph()
    for person in people:
        graph.add_node(person.id, organisation=person.organisation, country=person.country)
    for tie in ties:
        if tie.source == tie.target or tie.source not in graph or tie.target not in graph:
            continue
        pairs = [(tie.source, tie.target)] + ([(tie.target, tie.source)] if tie.mutual else [])
        for source, target in pairs:
            if graph.has_edge(source, target):
                graph[source][target]["weight"] += tie.weight
                graph[source][target]["first"] = min(graph[source][target]["first"], tie.day)
            else:
                graph.add_edge(source, target, weight=tie.weight, first=tie.day)
    return graph


def _grouped_ties(graph: nx.Graph, attribute: str) -> list[tuple[str, str]]:
    """The groups at both ends of each undirected tie whose two ends both have a group; a tie
    with someone whose group is not recorded says nothing about inside or across."""
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    groups = graph.nodes(data=attribute)
    ends = ((groups[u], groups[v]) for u, v in undirected.edges())
    return [(a, b) for a, b in ends if a is not None and b is not None]


def ei_index(graph: nx.Graph, attribute: str) -> float | None:
    """Krackhardt-Stern: (external - internal) / (external + internal) over undirected ties
    between people whose group is recorded."""
    return _ei(_grouped_ties(graph, attribute))


def _ei(grouped: list[tuple[str, str]]) -> float | None:
    external = sum(1 for group_u, group_v in grouped if group_u != group_v)
    total = len(grouped)
    return None if total == 0 else (2 * external - total) / total


def ei_by_group(graph: nx.Graph, attribute: str) -> dict[str, float | None]:
    """The E-I index of each group's members' ties (ties with both ends in the group count once);
    people without a group are in none."""
    counts: dict[str, list[int]] = {}
    for _node, data in graph.nodes(data=True):
        if data[attribute] is not None:
            counts.setdefault(data[attribute], [0, 0])
    for group_u, group_v in _grouped_ties(graph, attribute):
        if group_u == group_v:
            counts[group_u][1] += 1
        else:
            counts[group_u][0] += 1
            counts[group_v][0] += 1
    return {
        group: (None if external + internal == 0 else (external - internal) / (external + internal))
        for group, (external, internal) in sorted(counts.items())
    }


def freeman_degree_centralisation(graph: nx.Graph) -> float | None:
    """How much ties gather on one person: 1 for a star, 0 when all have the same degree."""
    undirected = nx.Graph(graph.to_undirected(as_view=True)) if graph.is_directed() else graph
    n = undirected.number_of_nodes()
    if n < 3:
        return None
    degrees = [degree for _node, degree in undirected.degree()]
    top = max(degrees)
    return sum(top - degree for degree in degrees) / ((n - 1) * (n - 2))


def betweenness_centralisation(graph: nx.Graph) -> float | None:
    """Freeman's centralisation of betweenness: how far the network depends on one person to
    pass between others; 1 for a star, 0 when everyone brokers alike. With normalised
    betweenness c' (networkx), it is the sum of (max c' - c'_i) over n - 1."""
    undirected = nx.Graph(graph.to_undirected(as_view=True)) if graph.is_directed() else graph
    n = undirected.number_of_nodes()
    if n < 3:
        return None
    values = list(betweenness(undirected).values())
    top = max(values)
    return sum(top - value for value in values) / (n - 1)


BROKERAGE_ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


def brokerage(graph: nx.DiGraph, attribute: str) -> dict[Hashable, dict[str, int]]:
    """Gould-Fernandez roles: for each open path a -> b -> c (no arc a -> c), b brokers, and the
    role follows from the groups of a, b and c."""
    roles = {node: dict.fromkeys(BROKERAGE_ROLES, 0) for node in graph}
    for broker in graph:
        group_b = graph.nodes[broker][attribute]
        for source in graph.predecessors(broker):
            for target in graph.successors(broker):
                if source == target or graph.has_edge(source, target):
                    continue
                group_a = graph.nodes[source][attribute]
                group_c = graph.nodes[target][attribute]
                if None in (group_a, group_b, group_c):
                    continue  # a role between groups needs all three groups known
                if group_a == group_b == group_c:
                    role = "coordinator"
                elif group_a != group_b and group_b == group_c:
                    role = "gatekeeper"
                elif group_a == group_b and group_b != group_c:
                    role = "representative"
                elif group_a == group_c:
                    role = "consultant"
                else:
                    role = "liaison"
                roles[broker][role] += 1
    return roles


def betweenness(graph: nx.Graph) -> dict[Hashable, float]:
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    if undirected.number_of_nodes() > BETWEENNESS_EXACT_UP_TO:
        return nx.betweenness_centrality(undirected, k=BETWEENNESS_SAMPLE, seed=SEED)
    return nx.betweenness_centrality(undirected)


def without_people(graph: nx.DiGraph, people: Iterable[Hashable]) -> nx.DiGraph:
    """The network of the others: the people who did not answer, and every tie with them,
    left out (the respondents-only reading of a survey network)."""
    left_out = set(people)
    return graph.subgraph(node for node in graph if node not in left_out).copy()


def symmetrised_towards(graph: nx.DiGraph, people: Iterable[Hashable]) -> nx.DiGraph:
    """Every tie someone reported with one of these people made mutual: the reading that
    assumes those who did not answer would have named everyone who named them."""
    silent = set(people)
    reading = graph.copy()
    for source, target, data in graph.edges(data=True):
        if target in silent and not reading.has_edge(target, source):
            reading.add_edge(target, source, **data)
    return reading


def undirected_pairs(graph: nx.Graph) -> set[frozenset]:
    return {frozenset((u, v)) for u, v in graph.edges() if u != v}


@dataclass(frozen=True)
class Persistence:
    new: int
    lost: int
    persisting: int
    jaccard: float | None


def compare_ties(before: nx.Graph, after: nx.Graph) -> Persistence:
    first, second = undirected_pairs(before), undirected_pairs(after)
    union = first | second
    return Persistence(
        new=len(second - first),
        lost=len(first - second),
        persisting=len(first & second),
        jaccard=None if not union else len(first & second) / len(union),
    )


def normalised_mutual_information(
    first: dict[Hashable, str], second: dict[Hashable, str]
) -> float | None:
    """How far two labellings of the same people agree: 1 identical groupings, 0 unrelated."""
    nodes = [node for node in first if node in second]
    n = len(nodes)
    if n == 0:
        return None
    joint = Counter((first[node], second[node]) for node in nodes)
    a, b = Counter(first[node] for node in nodes), Counter(second[node] for node in nodes)

    def entropy(counts: Counter) -> float:
        return -sum(c / n * math.log(c / n) for c in counts.values() if c)

    h_a, h_b = entropy(a), entropy(b)
    if h_a == 0 or h_b == 0:
        return 1.0 if h_a == h_b else 0.0
    mutual = sum(
        c / n * math.log((c / n) / ((a[x] / n) * (b[y] / n))) for (x, y), c in joint.items()
    )
    return mutual / math.sqrt(h_a * h_b)


def measures(graph: nx.DiGraph) -> dict[str, float | int | None]:
    """The whole-network indicators researchers compare between windows."""
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    n = undirected.number_of_nodes()
    ties = undirected.number_of_edges()
    components = list(nx.connected_components(undirected)) if n else []
    largest = max((len(c) for c in components), default=0)
    communities = nx_community.louvain_communities(undirected, seed=SEED) if ties else []
    mixed = sum(1 for group in communities if len(_organisations_of(graph, group)) > 1)
    core = nx.core_number(undirected) if n else {}
    # The undirected ties once, for every measure between groups (each tie counted once).
    by_organisation = _grouped_ties(undirected, "organisation")
    return {
        "people": n,
        "ties": ties,
        "density": nx.density(undirected) if n > 1 else None,
        "mean_degree": (2 * ties / n) if n else None,
        "components": len(components),
        "largest_component_share": (largest / n) if n else None,
        "isolates": sum(1 for _node, degree in undirected.degree() if degree == 0),
        "transitivity": nx.transitivity(undirected) if n else None,
        "average_clustering": nx.average_clustering(undirected) if n else None,
        "reciprocity": nx.overall_reciprocity(graph) if graph.number_of_edges() else None,
        "centralisation": freeman_degree_centralisation(undirected),
        "betweenness_centralisation": betweenness_centralisation(undirected),
        "ei_organisation": _ei(by_organisation),
        "ei_country": _ei(_grouped_ties(undirected, "country")),
        "cross_organisation_ties": sum(1 for a, b in by_organisation if a != b),
        "max_core": max(core.values(), default=0),
        "communities": len(communities),
        # How clearly the network falls into the communities found (Newman's modularity of
        # the Louvain partition): printed beside the verdict, not judged, since a community
        # of practice may form inside clusters as well as across them.
        "modularity": nx_community.modularity(undirected, communities) if communities else None,
        "communities_spanning_organisations": mixed,
        "community_organisation_agreement": _agreement(graph, communities),
    }


def _organisations_of(graph: nx.Graph, nodes: Iterable[Hashable]) -> set[str]:
    found = (graph.nodes[node]["organisation"] for node in nodes)
    return {organisation for organisation in found if organisation is not None}


def without_group(graph: nx.Graph, attribute: str) -> int:
    """How many people have no group recorded (said beside the measures that leave them out)."""
    return sum(1 for _node, data in graph.nodes(data=True) if data[attribute] is None)


def _agreement(graph: nx.DiGraph, communities: list[set]) -> float | None:
    """Louvain communities of the tied people whose organisation is recorded, compared with
    their organisations (NMI)."""
    membership = {node: str(index) for index, group in enumerate(communities) for node in group}
    tied = {
        node
        for node in membership
        if graph.degree(node) > 0 and graph.nodes[node]["organisation"] is not None
    }
    if len(tied) < 2:
        return None
    return normalised_mutual_information(
        {node: membership[node] for node in tied},
        {node: graph.nodes[node]["organisation"] for node in tied},
    )


def permutation_p_value(
    before: nx.Graph,
    after: nx.Graph,
    statistic: str,
    rounds: int = PERMUTATION_ROUNDS,
    seed: int = SEED,
) -> float | None:
    """How often a change at least as large as the observed one in ``statistic`` ("density" or
    "ei_organisation") arises when each pair of people's window labels are swapped at random.

    Only pairs tied in exactly one window can change anything when swapped, so only those are
    shuffled; that makes each round cheap. Seeded, so the same data give the same p-value."""
    nodes = set(before) | set(after)
    n = len(nodes)
    if n < 3:
        return None
    groups = {
        node: data.get("organisation")
        for graph in (before, after)
        for node, data in graph.nodes(data=True)
    }
    first, second = undirected_pairs(before), undirected_pairs(after)
    if statistic != "density":
        # As in the E-I index itself, ties with someone of no recorded organisation say nothing.
        first = {pair for pair in first if all(groups[node] is not None for node in pair)}
        second = {pair for pair in second if all(groups[node] is not None for node in pair)}
    both = first & second
    only_one = sorted((first ^ second), key=lambda pair: sorted(map(str, pair)))
    possible = n * (n - 1) / 2

    def external(pair: frozenset) -> bool:
        a, b = tuple(pair)
        return groups[a] != groups[b]

    def value(pairs_count: int, external_count: int) -> float | None:
        if statistic == "density":
            return pairs_count / possible
        if pairs_count == 0:
            return None
        return (2 * external_count - pairs_count) / pairs_count

    base_external = sum(1 for pair in both if external(pair))
    flags = [external(pair) for pair in only_one]

    def difference(in_first: list[bool]) -> float | None:
        count_first = len(both) + sum(in_first)
        count_second = len(both) + len(in_first) - sum(in_first)
        ext_first = base_external + sum(
            f for f, chosen in zip(flags, in_first, strict=True) if chosen
        )
        ext_second = base_external + sum(
            f for f, chosen in zip(flags, in_first, strict=True) if not chosen
        )
        a, b = value(count_first, ext_first), value(count_second, ext_second)
        return None if a is None or b is None else abs(b - a)

    observed = difference([pair in first for pair in only_one])
    if observed is None:
        return None
    rng = random.Random(seed)
    as_extreme = 0
    for _ in range(rounds):
        shuffled = difference([rng.random() < 0.5 for _pair in only_one])
        if shuffled is not None and shuffled >= observed - 1e-12:
            as_extreme += 1
    return (as_extreme + 1) / (rounds + 1)


def in_window(ties: Iterable[Tie], first: date, last: date) -> list[Tie]:
    """The ties whose contact day falls in the window (both days included)."""
    return [tie for tie in ties if first <= tie.day <= last]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return date(year, month % 12 + 1, min(day.day, 28))


def sliding_windows(
    ties: list[Tie], length_months: int = 12, step_months: int = 6, most: int = 30
) -> list[tuple[date, date]]:
    """Windows of ``length_months`` every ``step_months`` across the days the ties cover."""
    if not ties:
        return []
    first = min(tie.day for tie in ties).replace(day=1)
    last = max(tie.day for tie in ties)
    windows = []
    start = first
    while start <= last and len(windows) < most:
        windows.append((start, add_months(start, length_months) - timedelta(days=1)))
        start = add_months(start, step_months)
    return windows

"""The network measures, on small graphs worked out by hand and on the classic data sets that
networkx ships, against their published values."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from cop.network.analysis import (
    Person,
    Tie,
    brokerage,
    build_graph,
    compare_ties,
    ei_by_group,
    ei_index,
    freeman_degree_centralisation,
    in_window,
    measures,
    permutation_p_value,
    without_group,
)

DAY = date(2017, 1, 10)


def labelled(graph: nx.Graph, groups: dict) -> nx.Graph:
    for node in graph:
        graph.nodes[node]["organisation"] = groups.get(node, "X")
        graph.nodes[node]["country"] = "GB"
    return graph


def test_a_star_is_fully_centralised_and_a_cycle_not_at_all() -> None:
    assert freeman_degree_centralisation(nx.star_graph(4)) == pytest.approx(1.0)
    assert freeman_degree_centralisation(nx.cycle_graph(5)) == pytest.approx(0.0)
    # A path of four: degrees 1, 2, 2, 1 -> (1 + 0 + 0 + 1) / (3 * 2).
    assert freeman_degree_centralisation(nx.path_graph(4)) == pytest.approx(2 / 6)


def test_ei_index_counts_ties_across_and_within_groups() -> None:
    graph = labelled(
        nx.Graph([("a1", "a2"), ("a1", "b1"), ("a2", "b2")]),
        {"a1": "Glasgow", "a2": "Glasgow", "b1": "Fife", "b2": "Fife"},
    )
    assert ei_index(graph, "organisation") == pytest.approx((2 - 1) / 3)
    assert ei_by_group(graph, "organisation") == {
        "Fife": pytest.approx(1.0),  # two ties out, none inside
        "Glasgow": pytest.approx((2 - 1) / 3),
    }


def test_people_without_an_organisation_are_in_no_group_and_their_ties_in_no_e_i() -> None:
    graph = labelled(
        nx.Graph([("a1", "a2"), ("a1", "b1"), ("a1", "x"), ("b1", "y")]),
        {"a1": "Glasgow", "a2": "Glasgow", "b1": "Fife", "x": None, "y": None},
    )

    assert ei_index(graph, "organisation") == pytest.approx(0.0)  # one inside, one across
    assert ei_by_group(graph, "organisation") == {
        "Fife": pytest.approx(1.0),
        "Glasgow": pytest.approx(0.0),
    }
    found = measures(graph)
    assert found["cross_organisation_ties"] == 1 and found["people"] == 5
    assert without_group(graph, "organisation") == 2
    # No role between groups on a path through someone whose group nobody knows.
    path = labelled(
        nx.DiGraph([("x", "a1"), ("a1", "b1")]), {"a1": "Glasgow", "b1": "Fife", "x": None}
    )
    assert sum(brokerage(path, "organisation")["a1"].values()) == 0


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        (("A", "A", "A"), "coordinator"),
        (("B", "A", "A"), "gatekeeper"),
        (("A", "A", "B"), "representative"),
        (("A", "B", "A"), "consultant"),
        (("A", "B", "C"), "liaison"),
    ],
)
def test_gould_fernandez_roles_of_the_middle_person(groups, role) -> None:
    graph = labelled(nx.DiGraph([("a", "b"), ("b", "c")]), dict(zip("abc", groups, strict=True)))
    roles = brokerage(graph, "organisation")
    assert roles["b"][role] == 1
    assert sum(roles["b"].values()) == 1
    graph.add_edge("a", "c")  # a closed path brokers nothing
    assert sum(brokerage(graph, "organisation")["b"].values()) == 0


def test_new_lost_and_persisting_ties_and_jaccard() -> None:
    before = nx.Graph([(1, 2), (2, 3), (3, 4)])
    after = nx.Graph([(2, 1), (3, 4), (4, 5), (5, 1)])
    change = compare_ties(before, after)
    assert (change.new, change.lost, change.persisting) == (2, 1, 2)
    assert change.jaccard == pytest.approx(2 / 5)


def test_zacharys_karate_club_matches_its_published_values() -> None:
    karate = labelled(nx.karate_club_graph(), {})
    directed = nx.DiGraph(karate)
    found = measures(directed)
    assert (found["people"], found["ties"]) == (34, 78)
    assert found["density"] == pytest.approx(0.1390, abs=1e-4)
    assert found["transitivity"] == pytest.approx(0.2557, abs=1e-4)
    assert found["average_clustering"] == pytest.approx(0.5706, abs=1e-4)
    assert found["mean_degree"] == pytest.approx(4.588, abs=1e-3)
    assert found["components"] == 1 and found["isolates"] == 0
    assert found["max_core"] == 4
    assert found["reciprocity"] == pytest.approx(1.0)
    assert nx.betweenness_centrality(karate)[0] == pytest.approx(0.4376, abs=1e-4)


def test_padgetts_florentine_families_match_their_published_values() -> None:
    florentine = labelled(nx.florentine_families_graph(), {})
    found = measures(nx.DiGraph(florentine))
    assert (found["people"], found["ties"]) == (15, 20)
    assert found["density"] == pytest.approx(0.1905, abs=1e-4)
    betweenness = nx.betweenness_centrality(florentine)
    assert max(betweenness, key=betweenness.get) == "Medici"
    assert betweenness["Medici"] == pytest.approx(0.5220, abs=1e-4)


def people(*specs: tuple[str, str]) -> list[Person]:
    return [Person(name, organisation, "GB") for name, organisation in specs]


def test_graphs_keep_everyone_and_weigh_repeated_contacts() -> None:
    scope = people(("morag", "Glasgow"), ("eilidh", "Fife"), ("claire", "Paris"))
    ties = [
        Tie("morag", "eilidh", DAY),
        Tie("morag", "eilidh", date(2017, 2, 1)),
        Tie("eilidh", "claire", DAY, mutual=True),
        Tie("morag", "stranger", DAY),  # outside the scope: left out
    ]
    graph = build_graph(scope, ties)
    assert sorted(graph.nodes) == ["claire", "eilidh", "morag"]
    assert graph["morag"]["eilidh"]["weight"] == 2
    assert graph.has_edge("claire", "eilidh") and graph.has_edge("eilidh", "claire")
    alone = build_graph(scope, in_window(ties, date(2017, 1, 20), date(2017, 3, 1)))
    assert alone.number_of_nodes() == 3 and alone.number_of_edges() == 1


def test_the_permutation_test_is_repeatable_and_tells_noise_from_change() -> None:
    nodes = [f"p{i}" for i in range(8)]
    base = labelled(nx.Graph(), {})
    base.add_nodes_from(nodes)
    sparse = base.copy()
    sparse.add_edges_from([("p0", "p1")])
    dense = base.copy()
    dense.add_edges_from((a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :])
    labelled(sparse, {}), labelled(dense, {})
    same = permutation_p_value(sparse, sparse.copy(), "density", rounds=200)
    assert same == pytest.approx(1.0)
    changed = permutation_p_value(sparse, dense, "density", rounds=200)
    assert changed < 0.01
    assert changed == permutation_p_value(sparse, dense, "density", rounds=200)


def test_the_permutation_test_of_ei_sees_ties_move_across_organisations() -> None:
    groups = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "b3": "B"}
    inside = labelled(nx.Graph([("a1", "a2"), ("a2", "a3"), ("b1", "b2"), ("b2", "b3")]), groups)
    across = labelled(nx.Graph([("a1", "b1"), ("a2", "b2"), ("a3", "b3"), ("a1", "b3")]), groups)
    p_value = permutation_p_value(inside, across, "ei_organisation", rounds=500)
    assert p_value < 0.05
    # Under the null the labels are exchangeable: no change gives p = 1.
    assert permutation_p_value(inside, inside.copy(), "ei_organisation", rounds=50) == 1.0


def test_normalised_mutual_information_of_groupings() -> None:
    from cop.network.analysis import normalised_mutual_information

    same = {"a": "x", "b": "x", "c": "y", "d": "y"}
    renamed = {"a": "1", "b": "1", "c": "2", "d": "2"}
    crossed = {"a": "1", "b": "2", "c": "1", "d": "2"}
    assert normalised_mutual_information(same, renamed) == pytest.approx(1.0)
    assert normalised_mutual_information(same, crossed) == pytest.approx(0.0)

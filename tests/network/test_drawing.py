"""The network pictures: valid SVG a screen reader can name, new ties marked, one layout."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree  # noqa: S405 - parses SVG this test just made

import networkx as nx

from cop.network.drawing import (
    layout,
    line_chart_svg,
    network_shapes,
    network_svg,
    organisation_colours,
)

SVG = "{http://www.w3.org/2000/svg}"


def graph(edges, organisations) -> nx.Graph:
    built = nx.Graph()
    for node, organisation in organisations.items():
        built.add_node(node, organisation=organisation, country="GB")
    built.add_edges_from(edges)
    return built


def test_the_after_picture_marks_new_ties_and_names_itself() -> None:
    organisations = {"m": "Glasgow", "i": "Glasgow", "e": "Fife", "c": "Paris"}
    before = graph([("m", "i")], organisations)
    after = graph([("m", "i"), ("m", "e"), ("e", "c")], organisations)
    positions = layout(nx.compose(before, after))
    colours = organisation_colours(after)
    shapes = network_shapes(
        after,
        positions,
        colours,
        new_pairs={frozenset(("m", "e")), frozenset(("e", "c"))},
        label=lambda node: f"P-{node}",
    )
    svg = network_svg(shapes, "After the visit", "4 people and 3 ties, of which 2 new.")
    root = ElementTree.fromstring(svg)  # noqa: S314
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "After the visit"
    lines = root.findall(f"{SVG}line")
    assert len(lines) == 3
    assert sum(1 for line in lines if line.get("stroke-dasharray")) == 2
    circles = root.findall(f"{SVG}circle")
    assert {circle.find(f"{SVG}title").text for circle in circles} >= {
        "P-m – Glasgow",
        "P-c – Paris",
    }
    assert colours["Glasgow"] != colours["Fife"]
    assert "style=" not in svg  # the site's CSP forbids inline styles


def test_the_layout_is_the_same_every_time() -> None:
    union = graph([("a", "b"), ("b", "c")], {"a": "X", "b": "Y", "c": "X"})
    assert layout(union) == layout(union)


def test_a_chart_leaves_gaps_where_a_value_is_undefined() -> None:
    svg = line_chart_svg(
        [
            (date(2016, 1, 1), 0.1),
            (date(2016, 7, 1), None),
            (date(2017, 1, 1), 0.3),
            (date(2017, 7, 1), 0.2),
        ],
        "Density over time",
        "Density in 12-month windows.",
        0,
        0.3,
    )
    root = ElementTree.fromstring(svg)  # noqa: S314
    assert len(root.findall(f"{SVG}circle")) == 3
    assert len(root.findall(f"{SVG}polyline")) == 1  # the lone first point has no line

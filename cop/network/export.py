"""The network in the formats researchers open in their own tools, always pseudonymised: stable
pseudonyms for people, their organisation and country, no names and no emails."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Hashable

import networkx as nx

FORMATS = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "json": ("application/json", "json"),
    "nodes.csv": ("text/csv", "nodes.csv"),
    "edges.csv": ("text/csv", "edges.csv"),
}


def pseudonymised(graph: nx.DiGraph, name_of: Callable[[Hashable], str]) -> nx.DiGraph:
    """A copy with nodes renamed and only research attributes kept; dates as ISO text, and
    GEXF's dynamic ``start`` so that Gephi's timeline shows when each tie first appeared."""
    renamed = nx.DiGraph(mode="dynamic", timeformat="date")
    for node, data in graph.nodes(data=True):
        # What is not recorded is left out (GraphML and GEXF read a missing value as missing),
        # never written as a group of its own.
        known = {key: data[key] for key in ("organisation", "country") if data[key] is not None}
        renamed.add_node(name_of(node), **known)
    for source, target, data in graph.edges(data=True):
        renamed.add_edge(
            name_of(source),
            name_of(target),
            weight=data["weight"],
            first_contact=data["first"].isoformat(),
            start=data["first"].isoformat(),
        )
    return renamed


def render(graph: nx.DiGraph, kind: str) -> str:
    if kind == "graphml":
        return "\n".join(nx.generate_graphml(graph, prettyprint=True))
    if kind == "gexf":
        return "\n".join(nx.generate_gexf(graph, prettyprint=True))
    if kind == "json":
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, indent=2, sort_keys=True)
    out = io.StringIO()
    writer = csv.writer(out)
    if kind == "nodes.csv":
        writer.writerow(["id", "organisation", "country"])
        for node, data in sorted(graph.nodes(data=True)):
            writer.writerow([node, data.get("organisation", ""), data.get("country", "")])
        return out.getvalue()
    if kind == "edges.csv":
        writer.writerow(["source", "target", "weight", "first_contact"])
        for source, target, data in sorted(graph.edges(data=True)):
            writer.writerow([source, target, data["weight"], data["first_contact"]])
        return out.getvalue()
    raise ValueError(f"unknown format {kind}")

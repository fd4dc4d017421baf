"""Server-side SVG pictures of the network: they need no script, print, and go into reports.
Colours come from presentation attributes (not style attributes) so the site's CSP allows them."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import networkx as nx

# Colour-blind-safe colours (Okabe-Ito), in order of assignment to organisations.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
OTHER_COLOUR = "#767676"
NEW_TIE = "#D55E00"
OLD_TIE = "#9a9a9a"


def organisation_colours(graph: nx.Graph) -> dict[str | None, str]:
    """A colour per organisation, the largest first; people with no organisation recorded
    (None) are grey and come last."""
    counts: dict[str, int] = {}
    for _node, data in graph.nodes(data=True):
        if data["organisation"] is not None:
            counts[data["organisation"]] = counts.get(data["organisation"], 0) + 1
    ordered = sorted(counts, key=lambda name: (-counts[name], name))
    colours: dict[str | None, str] = {
        name: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, name in enumerate(ordered)
    }
    if any(data["organisation"] is None for _node, data in graph.nodes(data=True)):
        colours[None] = OTHER_COLOUR
    return colours


def layout(union: nx.Graph, seed: int = 2016) -> dict[Hashable, tuple[float, float]]:
    """One layout for both pictures, so that each person stays in the same place."""
    if union.number_of_nodes() == 0:
        return {}
    undirected = nx.Graph(union.to_undirected(as_view=True))
    if len(undirected) > 500:
        # networkx needs SciPy for force layouts of large graphs, and no one reads 500 dots.
        positions = nx.circular_layout(sorted(undirected, key=str))
    else:
        positions = nx.spring_layout(undirected, seed=seed, k=1.6 / max(1, len(undirected)) ** 0.5)
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


def _scale(point: tuple[float, float], size: int, margin: int) -> tuple[float, float]:
    x, y = point
    span = size - 2 * margin
    return margin + (x + 1) / 2 * span, margin + (y + 1) / 2 * span


@dataclass(frozen=True)
class Dot:
    x: float  # 0 to 1 across, left to right
    y: float  # 0 to 1 down, top to bottom
    colour: str
    name: str  # the pseudonym and the organisation, for the dot's own title


@dataclass(frozen=True)
class Link:
    start: tuple[float, float]
    end: tuple[float, float]
    new: bool


@dataclass(frozen=True)
class NetworkShapes:
    """A network picture as shapes on a unit square, for the page's SVG and the report's PDF
    alike (each person in the same place in both)."""

    dots: list[Dot]
    links: list[Link]


def network_shapes(
    graph: nx.Graph,
    positions: dict[Hashable, tuple[float, float]],
    colours: dict[str | None, str],
    new_pairs: set[frozenset] | None = None,
    label=str,
    no_organisation: str = "no organisation",
) -> NetworkShapes:
    def place(node: Hashable) -> tuple[float, float]:
        x, y = positions[node]
        return (x + 1) / 2, (y + 1) / 2

    undirected = nx.Graph(graph.to_undirected(as_view=True))
    links = [
        Link(place(u), place(v), new_pairs is not None and frozenset((u, v)) in new_pairs)
        for u, v in sorted(undirected.edges(), key=lambda edge: sorted(map(str, edge)))
    ]
    dots = [
        Dot(
            *place(node),
            colours.get(data["organisation"], OTHER_COLOUR),
            f"{label(node)} – {data['organisation'] or no_organisation}",
        )
        for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0]))
    ]
    return NetworkShapes(dots, links)


def network_svg(shapes: NetworkShapes, title: str, description: str, size: int = 420) -> str:
    margin = 18
    span = size - 2 * margin

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return margin + point[0] * span, margin + point[1] * span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'class="network-picture" aria-labelledby="{_id(title)}-title {_id(title)}-desc">',
        f'<title id="{_id(title)}-title">{escape(title)}</title>',
        f'<desc id="{_id(title)}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{size}" height="{size}" fill="#ffffff" stroke="#b1b4b6"/>',
    ]
    for link in shapes.links:
        (x1, y1), (x2, y2) = at(link.start), at(link.end)
        stroke = NEW_TIE if link.new else OLD_TIE
        width = 2.5 if link.new else 1.2
        dash = ' stroke-dasharray="6 3"' if link.new else ""
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
            f'stroke-width="{width}"{dash}/>'
        )
    for dot in shapes.dots:
        x, y = at((dot.x, dot.y))
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{dot.colour}" stroke="#0b0c0c" '
            f'stroke-width="1"><title>{escape(dot.name)}</title></circle>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart_svg(
    points: Sequence[tuple[date, float | None]],
    title: str,
    description: str,
    low: float,
    high: float,
    width: int = 520,
    height: int = 220,
) -> str:
    """A simple line chart of one indicator over time (gaps where it is undefined)."""
    left, right, top, bottom = 48, 12, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart" aria-labelledby="{_id(title)}-title {_id(title)}-desc">',
        f'<title id="{_id(title)}-title">{escape(title)}</title>',
        f'<desc id="{_id(title)}-desc">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        value = low + (high - low) * fraction
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#0b0c0c">{value:.2f}</text>'
        )
    if points:
        count = len(points)
        coordinates = []
        for index, (day, value) in enumerate(points):
            x = left + (plot_w * index / max(1, count - 1))
            if index in (0, count - 1) or count <= 8:
                parts.append(
                    f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
                    f'fill="#0b0c0c">{escape(day.strftime("%Y-%m"))}</text>'
                )
            if value is None:
                coordinates.append(None)
                continue
            y = top + plot_h * (1 - (value - low) / ((high - low) or 1))
            coordinates.append((x, y))
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0072B2"/>')
        segment: list[str] = []
        for point in [*coordinates, None]:
            if point is None:
                if len(segment) > 1:
                    parts.append(
                        f'<polyline points="{" ".join(segment)}" fill="none" stroke="#0072B2" '
                        'stroke-width="2"/>'
                    )
                segment = []
            else:
                segment.append(f"{point[0]:.1f},{point[1]:.1f}")
    parts.append("</svg>")
    return "\n".join(parts)


def _id(text: str) -> str:
    return "svg-" + "".join(char if char.isalnum() else "-" for char in text.lower())[:40]

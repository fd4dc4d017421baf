"""The before and after pictures of a programme's network and its indicators over time, as SVG,
for the network page and the evaluation report."""

from __future__ import annotations

import networkx as nx
from flask_babel import gettext as _

from cop.extensions import db
from cop.formatting import format_day_range
from cop.network import drawing
from cop.network.analysis import undirected_pairs
from cop.network.loading import load_scope
from cop.network.report import graph_in


def draw(
    programme_id: int,
    report,
    sources: tuple[str, ...],
    label,
    only_visit_id: int | None = None,
    organisation_ids: tuple[int, ...] = (),
) -> dict:
    """Before and after pictures on one layout, new ties marked, and the indicators over time."""
    result: dict = {
        "before": None,
        "after": None,
        "shapes": {},  # window -> (title, description, shapes), for the PDF
        "legend": [],
        "organisations": [],
        "charts": [],
    }
    if report.timeline:
        days = [(first, density) for first, _last, _ties, density, _ei in report.timeline]
        result["charts"].append(
            drawing.line_chart_svg(
                days,
                _("Density over time"),
                _("Density in 12-month windows, every 6 months; the table below gives the values."),
                0,
                max([d for _f, d in days if d is not None] or [1]) or 1,
            )
        )
        result["charts"].append(
            drawing.line_chart_svg(
                [(first, ei) for first, _last, _ties, _d, ei in report.timeline],
                _("E-I index by organisation over time"),
                _("From −1 (ties only inside organisations) to +1 (only across them)."),
                -1,
                1,
            )
        )
    if report.windows is None:
        return result
    scope = load_scope(
        db.session,
        programme_id,
        sources,
        only_visit_id=only_visit_id,
        organisation_ids=organisation_ids,
    )
    before = graph_in(scope, *report.windows.before)
    after = graph_in(scope, *report.windows.after)
    union = nx.compose(before, after)
    positions = drawing.layout(union)
    colours = drawing.organisation_colours(union)
    new_pairs = undirected_pairs(after) - undirected_pairs(before)
    no_organisation = _("no organisation")
    for window, graph, pairs, description in (
        (
            "before",
            before,
            None,
            _(
                "%(people)s people and %(ties)s ties.",
                people=before.number_of_nodes(),
                ties=len(undirected_pairs(before)),
            ),
        ),
        (
            "after",
            after,
            new_pairs,
            _(
                "%(people)s people and %(ties)s ties, of which %(new)s new (dashed).",
                people=after.number_of_nodes(),
                ties=len(undirected_pairs(after)),
                new=len(new_pairs),
            ),
        ),
    ):
        dates = format_day_range(*getattr(report.windows, window))
        title = (
            _("Before: %(dates)s", dates=dates)
            if window == "before"
            else _("After: %(dates)s", dates=dates)
        )
        shapes = drawing.network_shapes(
            graph, positions, colours, pairs, label=label, no_organisation=no_organisation
        )
        result["shapes"][window] = (title, description, shapes)
        result[window] = drawing.network_svg(shapes, title, description)
    result["legend"] = [
        (organisation or _("No organisation"), colour) for organisation, colour in colours.items()
    ]
    for organisation in colours:
        members = {
            node for node, data in union.nodes(data=True) if data["organisation"] == organisation
        }

        def counts(graph, members=members):
            pairs = undirected_pairs(graph)
            inside = sum(1 for pair in pairs if pair <= members)
            across = sum(1 for pair in pairs if len(pair & members) == 1)
            return inside, across

        result["organisations"].append(
            (organisation or _("No organisation"), len(members), *counts(before), *counts(after))
        )
    return result

"""The report's bar charts as SVG (no Flask here): every label whole, wrapped onto as many
lines as it needs, and one bar per series for each row (a rating before and after, say).
Colours come from presentation attributes, as the site's CSP allows."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

# One colour per series, told apart in the legend (the first is the site's brand).
SERIES_COLOURS = ("#12436d", "#b3480c", "#1d7368", "#6b3fa0")  # each 3:1 or more on white
WIDTH = 600
LABEL_RIGHT = 222  # labels end here, bars start at 230
BAR_LEFT, BAR_SPAN = 230, 270  # and room to the right for the longest figure
LABEL_CHARACTERS = 32  # at 13px, what fits in the label column without running off its left
LINE_HEIGHT = 15
BAR_HEIGHT = 14


def wrapped(label: str, width: int = LABEL_CHARACTERS) -> list[str]:
    """The label on as many lines as it needs; a word longer than a line is broken."""
    return textwrap.wrap(label, width, break_long_words=True) or [""]


def bar_chart_svg(
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, tuple[float, ...]]],
    series: Sequence[str],
    number: Callable[[float], str],
) -> str:
    """A horizontal bar chart; a legend names the series when there are several."""
    values = [value for _label, figures in bars for value in figures]
    if not values or not any(values):
        return ""
    low, top = min(0.0, *values), max(0.0001, *values)
    span = top - low
    zero = BAR_LEFT + BAR_SPAN * (0 - low) / span
    legend = len(series) > 1
    y = 22.0 if legend else 5.0
    parts = []
    if legend:
        x = float(BAR_LEFT)
        for index, name in enumerate(series):
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            parts.append(
                f'<rect x="{x:.0f}" y="4" width="12" height="12" fill="{colour}" '
                'class="bar-chart__key"/>'
            )
            parts.append(
                f'<text x="{x + 16:.0f}" y="15" class="bar-chart__value">{escape(name)}</text>'
            )
            x += 30 + 8 * len(name)
    for label, figures in bars:
        lines = wrapped(label)
        row_height = max(len(lines) * LINE_HEIGHT, len(figures) * BAR_HEIGHT) + 10
        first_line = y + (row_height - len(lines) * LINE_HEIGHT) / 2 + 11
        text = "".join(
            f'<tspan x="{LABEL_RIGHT}" y="{first_line + LINE_HEIGHT * number_of_line:.1f}">'
            f"{escape(line)}</tspan>"
            for number_of_line, line in enumerate(lines)
        )
        parts.append(f'<text text-anchor="end" class="bar-chart__label">{text}</text>')
        bar_top = y + (row_height - len(figures) * BAR_HEIGHT) / 2
        for index, value in enumerate(figures):
            width = BAR_SPAN * abs(value) / span
            left = zero if value >= 0 else zero - width
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            top_of_bar = bar_top + index * BAR_HEIGHT
            parts.append(
                f'<rect x="{left:.1f}" y="{top_of_bar + 1:.1f}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{colour}" class="bar-chart__series"/>'
            )
            value_x = (zero + width + 4) if value >= 0 else (zero + 4)
            parts.append(
                f'<text x="{value_x:.1f}" y="{top_of_bar + BAR_HEIGHT - 3:.1f}" '
                f'class="bar-chart__value">{escape(number(value))}</text>'
            )
        y += row_height
    height = y + 5
    return "\n".join(
        [
            f'<svg class="chart bar-chart" role="img" aria-labelledby="{chart_id}-title" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            *parts,
            "</svg>",
        ]
    )

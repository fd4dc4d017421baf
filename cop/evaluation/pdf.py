"""The evaluation report as a print-ready PDF (A4), with ReportLab, in the reader's language.

The standard PDF fonts cover Western European text (French accents, typographic quotes, the euro
sign); characters outside it are replaced rather than lost silently as blank boxes."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cop.evaluation.charts import SERIES_COLOURS
from cop.evaluation.report import Report
from cop.evaluation.report import Table as ReportTable
from cop.network.drawing import NEW_TIE, OLD_TIE, NetworkShapes

BRAND = colors.HexColor("#12436d")
LABEL_FONT, LABEL_SIZE, LABEL_LEADING = "Helvetica", 7, 8.5
LABEL_WIDTH = 55 * mm
REPLACEMENTS = {"−": "-", "›": ">", "\u202f": " ", "\u00a0": " "}


def plain_text(value: object) -> str:
    """Text the standard fonts can draw (for drawings, which take no markup)."""
    text = "" if value is None else str(value)
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("cp1252", errors="replace").decode("cp1252")


def pdf_text(value: object) -> str:
    """Text the standard fonts can draw, escaped for ReportLab's paragraph markup."""
    return escape(plain_text(value))


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], textColor=BRAND, alignment=0),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], textColor=BRAND, spaceBefore=12),
        "h3": ParagraphStyle("h3", parent=base["Heading4"], spaceBefore=6),
        "question": ParagraphStyle("question", parent=base["Italic"], spaceAfter=6),
        "body": ParagraphStyle("body", parent=base["BodyText"], spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base["BodyText"], fontSize=8, leading=10),
        "quote": ParagraphStyle(
            "quote", parent=base["BodyText"], leftIndent=10, textColor=colors.HexColor("#333333")
        ),
    }


def _table(table: ReportTable, styles: dict[str, ParagraphStyle]) -> list:
    parts: list = [Paragraph(pdf_text(table.title), styles["h3"])]
    if not table.rows:
        parts.append(Paragraph("–", styles["body"]))
        return parts
    data = [[Paragraph(f"<b>{pdf_text(c)}</b>", styles["cell"]) for c in table.columns]]
    data += [[Paragraph(pdf_text(cell), styles["cell"]) for cell in row] for row in table.rows]
    grid = Table(data, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 1, BRAND),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    bars = table.chart_bars()
    if bars and any(value for _label, figures in bars for value in figures):
        parts.append(_chart(bars, table.chart_series()))
    parts.append(grid)
    return parts


def _label_lines(label: str) -> list[str]:
    """A label wrapped to the width of the label column: whole, never cut."""
    return simpleSplit(plain_text(label), LABEL_FONT, LABEL_SIZE, LABEL_WIDTH) or [""]


def _chart(bars: list[tuple[str, tuple[float, ...]]], series: list[str]) -> Drawing:
    """Horizontal bars, one per series for each row, with the labels wrapped beside them."""
    lines = [_label_lines(label) for label, _figures in bars]
    per_row = max(max(len(found) for found in lines) * LABEL_LEADING, 8 * len(series)) + 6
    legend = 14 if len(series) > 1 else 0
    height = per_row * len(bars) + 20 + legend
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = LABEL_WIDTH + 4 * mm, 12
    chart.width, chart.height = 170 * mm - chart.x - 12 * mm, height - 20 - legend
    # ReportLab draws the first category, and in each category the first series, at the
    # bottom: both reversed, the first row is on top and its first series above the next.
    order = list(reversed(range(len(series))))
    chart.data = [[figures[index] for _label, figures in reversed(bars)] for index in order]
    chart.categoryAxis.categoryNames = ["\n".join(found) for found in reversed(lines)]
    chart.categoryAxis.labels.fontName = LABEL_FONT
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.leading = LABEL_LEADING
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.valueMin = min(0, *(v for _label, figures in bars for v in figures))
    for position, index in enumerate(order):
        chart.bars[position].fillColor = colors.HexColor(
            SERIES_COLOURS[index % len(SERIES_COLOURS)]
        )
    drawing.add(chart)
    if legend:
        x = chart.x
        for index, name in enumerate(series):
            colour = colors.HexColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
            drawing.add(Rect(x, height - 10, 7, 7, fillColor=colour, strokeColor=None))
            text = plain_text(name)
            drawing.add(String(x + 10, height - 9, text, fontName=LABEL_FONT, fontSize=LABEL_SIZE))
            x += 18 + stringWidth(text, LABEL_FONT, LABEL_SIZE)
    return drawing


def _network(title: str, description: str, shapes: NetworkShapes) -> list:
    """A network picture drawn from the same shapes as the page's, each person in place."""
    size = 80 * mm
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=colors.lightgrey))
    margin = 5 * mm

    def at(point: tuple[float, float]) -> tuple[float, float]:
        # The shapes run top to bottom; PDF coordinates run bottom to top.
        return margin + point[0] * (size - 2 * margin), size - margin - point[1] * (
            size - 2 * margin
        )

    for link in shapes.links:
        (x1, y1), (x2, y2) = at(link.start), at(link.end)
        line = Line(x1, y1, x2, y2)
        line.strokeColor = colors.HexColor(NEW_TIE if link.new else OLD_TIE)
        line.strokeWidth = 1.5 if link.new else 0.7
        if link.new:
            line.strokeDashArray = [3, 2]
        drawing.add(line)
    for dot in shapes.dots:
        x, y = at((dot.x, dot.y))
        drawing.add(Circle(x, y, 1.8 * mm, fillColor=colors.HexColor(dot.colour), strokeWidth=0.5))
    styles = _styles()
    return [
        Paragraph(pdf_text(title), styles["h3"]),
        drawing,
        Paragraph(pdf_text(description), styles["cell"]),
    ]


def _network_pictures(pictures: dict) -> list:
    styles = _styles()
    parts: list = []
    cells = [
        _network(*pictures["shapes"][window])
        for window in ("before", "after")
        if window in pictures["shapes"]
    ]
    if cells:
        side_by_side = Table([cells], hAlign="LEFT")
        side_by_side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        parts.append(side_by_side)
    if pictures.get("legend"):
        legend = " · ".join(
            f'<font color="{colour}">●</font> {pdf_text(name)}'
            for name, colour in pictures["legend"]
        )
        parts.append(Paragraph(legend, styles["cell"]))
    return [KeepTogether(parts)] if parts else []


def render(report: Report, language: str, pictures: dict | None = None) -> bytes:
    """The report as a PDF; ``pictures`` (from cop.network.pictures.draw) adds the network
    before and after to the community section, as on the page."""
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=pdf_text(_("Evaluation: %(visit)s", visit=report.visit.title)),
        author="cop",
        lang=language,
    )
    story: list = [
        Paragraph(pdf_text(_("Evaluation: %(visit)s", visit=report.visit.title)), styles["title"]),
        Paragraph(
            pdf_text(
                _(
                    "Built by cop from the evidence it holds, %(day)s. Reflections count only "
                    "where their writers allowed it; quotes only where they agreed to be quoted.",
                    day=datetime.now(UTC).date().isoformat(),
                )
            ),
            styles["body"],
        ),
    ]
    for section in [*report.sections, report.toolkit]:
        story.append(Paragraph(pdf_text(section.title), styles["h2"]))
        story.append(Paragraph(pdf_text(section.question), styles["question"]))
        for finding in section.findings:
            story.append(Paragraph(pdf_text(finding), styles["body"]))
        if section.key == "community" and pictures:
            story.extend(_network_pictures(pictures))
        for table in section.tables:
            story.append(KeepTogether(_table(table, styles)))
            story.append(Spacer(1, 4))
        if section.quotes:
            story.append(Paragraph(pdf_text(_("In their words")), styles["h3"]))
            for theme, quote, who in section.quotes:
                story.append(
                    Paragraph(
                        f"“{pdf_text(quote)}” – {pdf_text(who)} ({pdf_text(theme)})",
                        styles["quote"],
                    )
                )

    def number_pages(canvas, doc) -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(doc.page))

    document.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return buffer.getvalue()

"""The evaluation report as a print-ready PDF (A4), with ReportLab, in the reader's language.

The standard PDF fonts cover Western European text (French accents, typographic quotes, the euro
sign); characters outside it are replaced rather than lost silently as blank boxes."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cop.evaluation.report import Report
from cop.evaluation.report import Table as ReportTable

BRAND = colors.HexColor("#12436d")
REPLACEMENTS = {"−": "-", "›": ">", "\u202f": " ", "\u00a0": " "}


def pdf_text(value: object) -> str:
    """Text the standard fonts can draw, escaped for ReportLab's paragraph markup."""
    text = "" if value is None else str(value)
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    text = text.encode("cp1252", errors="replace").decode("cp1252")
    return escape(text)


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
    if bars and any(value for _label, value in bars):
        parts.append(_chart(bars))
    parts.append(grid)
    return parts


def _chart(bars: list[tuple[str, float]]) -> Drawing:
    height = 14 * len(bars) + 20
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 60 * mm, 10
    chart.width, chart.height = 100 * mm, height - 20
    chart.data = [[value for _label, value in reversed(bars)]]
    chart.categoryAxis.categoryNames = [pdf_text(label)[:40] for label, _value in reversed(bars)]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = min(0, *(value for _label, value in bars))
    chart.bars[0].fillColor = BRAND
    drawing.add(chart)
    return drawing


def render(report: Report, language: str) -> bytes:
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

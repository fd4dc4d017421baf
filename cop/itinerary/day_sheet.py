"""A person's day sheet: their items of one day with times, places, the host contact and the
interpreter, as an A4 PDF to print or keep on a phone, readable without a connection (no Flask
views here; texts come translated in the reader's language)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from cop.evaluation.pdf import BRAND, pdf_text
from cop.itinerary.logic import in_zone
from cop.itinerary.models import ItineraryItem, item_attendee


@dataclass(frozen=True)
class SheetItem:
    """One item as the sheet prints it: each line already in the reader's language."""

    when: str
    title: str
    lines: tuple[str, ...]


def items_of(visit_id: int, person_id: int) -> Select:
    """The person's items of the visit that are not cancelled, in time order, with what the
    sheet prints about them."""
    return (
        select(ItineraryItem)
        .join(item_attendee, item_attendee.c.item_id == ItineraryItem.id)
        .where(
            ItineraryItem.visit_id == visit_id,
            item_attendee.c.person_id == person_id,
            ItineraryItem.cancelled.is_(False),
        )
        .options(
            selectinload(ItineraryItem.host_contact),
            selectinload(ItineraryItem.attendees),
        )
        .order_by(ItineraryItem.starts_at, ItineraryItem.id)
    )


def on_day(items: list[ItineraryItem], day: date) -> list[ItineraryItem]:
    """The items that take place on this day of the host's calendar."""
    return [
        item
        for item in items
        if in_zone(item.starts_at, item.time_zone).date()
        <= day
        <= in_zone(item.ends_at, item.time_zone).date()
    ]


def days_with_items(visit_id: int, person_id: int) -> Select:
    """When the person's items start, and in which zone: the days they have a sheet for."""
    return (
        select(ItineraryItem.starts_at, ItineraryItem.time_zone)
        .join(item_attendee, item_attendee.c.item_id == ItineraryItem.id)
        .where(
            ItineraryItem.visit_id == visit_id,
            item_attendee.c.person_id == person_id,
            ItineraryItem.cancelled.is_(False),
        )
    )


def days_of(starts: list[tuple]) -> list[date]:
    """The days of the host's calendar on which these (start, zone) pairs fall, in order."""
    return sorted({in_zone(starts_at, zone).date() for starts_at, zone in starts})


def render(title: str, person: str, day_label: str, items: list[SheetItem], footer: str) -> bytes:
    """The sheet as a PDF: the visit, the person and the day, then each item."""
    base = getSampleStyleSheet()
    styles = {
        "title": ParagraphStyle("title", parent=base["Title"], textColor=BRAND, alignment=0),
        "day": ParagraphStyle("day", parent=base["Heading2"], textColor=BRAND),
        "item": ParagraphStyle("item", parent=base["Heading3"], spaceBefore=10),
        "line": ParagraphStyle("line", parent=base["BodyText"], leftIndent=6 * mm),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=8),
    }
    story: list = [
        Paragraph(pdf_text(title), styles["title"]),
        Paragraph(pdf_text(f"{person} – {day_label}"), styles["day"]),
    ]
    for item in items:
        story.append(
            KeepTogether(
                [
                    Paragraph(
                        f"<b>{pdf_text(item.when)}</b> {pdf_text(item.title)}", styles["item"]
                    ),
                    *(Paragraph(pdf_text(line), styles["line"]) for line in item.lines if line),
                ]
            )
        )
    story += [Spacer(1, 8 * mm), Paragraph(pdf_text(footer), styles["small"])]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    ).build(story)
    return buffer.getvalue()

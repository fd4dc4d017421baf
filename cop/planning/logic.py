"""Phases, totals and CSV of the planning log, on plain values."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cop.spreadsheets import safe_cell

BEFORE, DURING, AFTER = "before", "during", "after"
PHASES = (BEFORE, DURING, AFTER)

# The checks organisers make (../shared/DOMAIN.md), in the order they usually come.
CHECKLIST_KEYS = (
    "objective",
    "coordinator",
    "dates",
    "agenda",
    "invitations",
    "travel",
    "accommodation",
    "budget",
    "access_needs",
    "interpreter_booked",
    "interpreter_briefed",
    "social_media",
    "consents",
    "privacy_notice",
    "thank_you",
)


def phase_of(day: date, first_day: date | None, last_day: date | None) -> str:
    """Before, during or after the visit; everything is "before" while dates are not agreed."""
    if first_day is None or last_day is None or day < first_day:
        return BEFORE
    return DURING if day <= last_day else AFTER


def in_reporting_currency(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EffortRow:
    person: str
    day: date
    minutes: int
    category: str
    phase: str


@dataclass(frozen=True)
class CostRow:
    day: date
    category: str
    description: str
    amount: Decimal
    currency: str
    rate: Decimal
    paid_by: str
    phase: str

    @property
    def reported(self) -> Decimal:
        return in_reporting_currency(self.amount, self.rate)


def sum_by(rows: Iterable, key: str, value: str) -> dict[str, int | Decimal]:
    totals: dict[str, int | Decimal] = defaultdict(int)
    for row in rows:
        totals[getattr(row, key)] += getattr(row, value)
    return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))


def effort_csv(rows: Iterable[EffortRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["person", "day", "minutes", "hours", "category", "phase"])
    for row in rows:
        writer.writerow(
            [
                row.person,
                row.day.isoformat(),
                row.minutes,
                f"{row.minutes / 60:.2f}",
                row.category,
                row.phase,
            ]
        )
    return out.getvalue()


def costs_csv(rows: Iterable[CostRow], reporting_currency: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "day",
            "category",
            "description",
            "amount",
            "currency",
            "rate",
            f"amount_{reporting_currency.lower()}",
            "paid_by",
            "phase",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.day.isoformat(),
                row.category,
                safe_cell(row.description),
                f"{row.amount:.2f}",
                row.currency,
                f"{row.rate.normalize()}",
                f"{row.reported:.2f}",
                safe_cell(row.paid_by),
                row.phase,
            ]
        )
    return out.getvalue()

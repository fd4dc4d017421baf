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
    rate: Decimal | None  # None: no rate known yet, so no amount in the reporting currency
    paid_by: str
    phase: str
    id: int = 0

    @property
    def reported(self) -> Decimal | None:
        return None if self.rate is None else in_reporting_currency(self.amount, self.rate)


def sum_by(rows: Iterable, key: str, value: str) -> dict[str, int | Decimal]:
    """Totals of `value` per `key`, largest first; rows whose value is unknown (a cost
    without a rate) are left out rather than counted as anything."""
    totals: dict[str, int | Decimal] = defaultdict(int)
    for row in rows:
        found = getattr(row, value)
        if found is not None:
            totals[getattr(row, key)] += found
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
                "" if row.rate is None else f"{row.rate.normalize()}",
                "" if row.reported is None else f"{row.reported:.2f}",
                safe_cell(row.paid_by),
                row.phase,
            ]
        )
    return out.getvalue()

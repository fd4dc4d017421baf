"""Exchange rates into a programme's reporting currency.

A cost is counted in the programme's currency only at a rate someone stands behind: the one
the lead gave, or a published reference rate from the table administrators keep (imported from
the European Central Bank's CSV, one euro in each currency per working day). When neither is
known the cost has no rate: it is left out of totals and marked, never counted at 1.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, joinedload

from cop.planning.models import Cost, ExchangeRate
from cop.visits.models import Visit

EURO = "EUR"
# The bank publishes on its working days only: a weekend or holiday takes the last rate before
# it, but a rate older than a week is too stale to stand for the day.
STALEST = timedelta(days=7)
RATE_PLACES = Decimal("0.000001")
# The bank's full history is about 1.6 MB unpacked; anything far larger is not its file.
LARGEST_UNPACKED = 20 * 1024 * 1024
DAY_FORMATS = ("%Y-%m-%d", "%d %B %Y")


class RateFileError(ValueError):
    """A file that is not a reference-rate table; the message says why, in plain words."""


@dataclass(frozen=True)
class PublishedRate:
    day: date
    currency: str
    per_euro: Decimal


@dataclass
class RateTable:
    rates: list[PublishedRate] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # "day currency value" left out


def reporting_currency(visit: Visit) -> str:
    return visit.programme.reporting_currency if visit.programme else "GBP"


def _per_euro(session: Session, currency: str, day: date) -> Decimal | None:
    if currency == EURO:
        return Decimal(1)
    return session.scalar(
        select(ExchangeRate.per_euro)
        .where(
            ExchangeRate.currency == currency,
            ExchangeRate.day <= day,
            ExchangeRate.day >= day - STALEST,
        )
        .order_by(ExchangeRate.day.desc())
        .limit(1)
    )


def reference_rate(session: Session, currency: str, into: str, day: date) -> Decimal | None:
    """What one unit of `currency` was worth in `into` on the day, by the published table
    (through the euro), or None when the table does not know both."""
    if currency == into:
        return Decimal(1)
    source, target = _per_euro(session, currency, day), _per_euro(session, into, day)
    if source is None or target is None:
        return None
    return (target / source).quantize(RATE_PLACES)


def rate_for(session: Session, visit: Visit, currency: str, day: date) -> Decimal | None:
    """The rate a new cost of the visit takes when nobody gives one: 1 in the programme's own
    currency, else the published rate of the day, else the rate last given in this visit for
    the currency, else None (a rate is needed)."""
    into = reporting_currency(visit)
    published = reference_rate(session, currency, into, day)
    if published is not None:
        return published
    return session.scalar(
        select(Cost.rate)
        .where(Cost.visit_id == visit.id, Cost.currency == currency, Cost.rate.is_not(None))
        .order_by(Cost.id.desc())
        .limit(1)
    )


def _parse_day(text: str) -> date | None:
    for pattern in DAY_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _unpacked(content: bytes) -> bytes:
    """The CSV inside the bank's zip, or the content itself when it is not a zip."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
        if not members:
            raise RateFileError("no-csv-in-zip")
        if members[0].file_size > LARGEST_UNPACKED:
            raise RateFileError("too-large")
        return archive.read(members[0])


def read_reference_csv(content: bytes) -> RateTable:
    """Read the European Central Bank's reference rates (eurofxref.csv, the day's rates, or
    eurofxref-hist.csv, all of them; zipped or not): a Date column, then one column per
    currency holding how many units one euro bought. "N/A" and empty cells are days the bank
    published nothing for that currency. Raises RateFileError with a reason key."""
    try:
        text = _unpacked(content).decode("utf-8-sig")
    except (UnicodeDecodeError, zipfile.BadZipFile) as error:
        raise RateFileError("not-text") from error
    rows = csv.reader(io.StringIO(text))
    header = [cell.strip().upper() for cell in next(rows, [])]
    if not header or header[0] != "DATE":
        raise RateFileError("no-date-column")
    currencies = header[1:]
    table = RateTable()
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        day = _parse_day(row[0])
        if day is None:
            table.unreadable.append(row[0].strip())
            continue
        for currency, cell in zip(currencies, row[1:], strict=False):
            value = cell.strip()
            if len(currency) != 3 or not currency.isalpha() or value in {"", "N/A"}:
                continue
            try:
                per_euro = Decimal(value)
            except InvalidOperation:
                per_euro = Decimal(0)
            if not per_euro.is_finite() or per_euro <= 0:
                table.unreadable.append(f"{day.isoformat()} {currency} {value}")
                continue
            table.rates.append(PublishedRate(day, currency, per_euro))
    if not table.rates:
        raise RateFileError("no-rates")
    return table


def store_rates(session: Session, rates: Iterable[PublishedRate]) -> tuple[int, int]:
    """Add the rates to the table, a later import of the same day and currency replacing the
    earlier value. Returns (added, changed). The bank's history holds a quarter of a million
    rates, so existing ones are read once and new ones inserted in bulk."""
    incoming = {(rate.day, rate.currency): rate.per_euro for rate in rates}
    if not incoming:
        return 0, 0
    days = [day for day, _currency in incoming]
    existing = {
        (row.day, row.currency): row
        for row in session.scalars(
            select(ExchangeRate).where(ExchangeRate.day.between(min(days), max(days)))
        )
    }
    changed = 0
    new_rows = []
    for key, per_euro in incoming.items():
        found = existing.get(key)
        if found is None:
            new_rows.append({"day": key[0], "currency": key[1], "per_euro": per_euro})
        elif found.per_euro != per_euro:
            found.per_euro = per_euro
            changed += 1
    if new_rows:
        session.execute(insert(ExchangeRate), new_rows)
    return len(new_rows), changed


def give_missing_rates(session: Session) -> int:
    """Costs waiting for a rate take the published one once the table knows it; returns how
    many did. A rate a lead gave is never replaced."""
    given = 0
    waiting = session.scalars(
        select(Cost)
        .where(Cost.rate.is_(None))
        .options(joinedload(Cost.visit).joinedload(Visit.programme))
    )
    for cost in waiting:
        rate = reference_rate(session, cost.currency, reporting_currency(cost.visit), cost.day)
        if rate is not None:
            cost.rate = rate
            given += 1
    return given


@dataclass(frozen=True)
class Imported:
    added: int
    changed: int
    given: int  # costs that were waiting for a rate and now have one
    unreadable: list[str]


def import_reference_file(session: Session, content: bytes) -> Imported:
    """Read a reference-rate file into the table and give waiting costs their rate (the page
    and `cop import-rates` both come here). Raises RateFileError; nothing is stored then."""
    table = read_reference_csv(content)
    added, changed = store_rates(session, table.rates)
    session.flush()
    return Imported(added, changed, give_missing_rates(session), table.unreadable)


@dataclass(frozen=True)
class TableSummary:
    currencies: int
    first_day: date | None
    last_day: date | None
    latest: list[tuple[str, date, Decimal]]  # each currency's most recent rate


def summary(session: Session) -> TableSummary:
    first_day, last_day = session.execute(
        select(func.min(ExchangeRate.day), func.max(ExchangeRate.day))
    ).one()
    latest_day = (
        select(ExchangeRate.currency, func.max(ExchangeRate.day).label("day"))
        .group_by(ExchangeRate.currency)
        .subquery()
    )
    latest = session.execute(
        select(ExchangeRate.currency, ExchangeRate.day, ExchangeRate.per_euro)
        .join(
            latest_day,
            (latest_day.c.currency == ExchangeRate.currency)
            & (latest_day.c.day == ExchangeRate.day),
        )
        .order_by(ExchangeRate.currency)
    ).all()
    return TableSummary(len(latest), first_day, last_day, [tuple(row) for row in latest])

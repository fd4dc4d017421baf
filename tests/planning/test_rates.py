"""Exchange rates: a cost is counted in the programme's currency only at a rate someone stands
behind (the lead's, or a published reference rate), never at 1; the European Central Bank's
reference-rate files import as the bank writes them."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cop.evaluation import measures
from cop.planning import rates
from cop.planning.logic import CostRow, costs_csv, sum_by
from cop.planning.models import Cost, CostCategory, ExchangeRate
from tests.conftest import Factory

# What the bank's full history looks like: ISO days, newest first, a trailing comma, and N/A
# for currencies it did not publish that day.
HISTORY = b"""Date,USD,JPY,GBP,CYP,
2016-12-09,1.0559,121.76,0.8404,N/A,
2016-12-08,1.0762,122.43,0.8493,N/A,
2016-12-07,1.0752,122.31,0.8523,N/A,
"""
# The day's file: spaces after the commas and the day written out.
DAILY = b"Date, USD, JPY, GBP, \n09 December 2016, 1.0559, 121.76, 0.8404, \n"


def published(session: Session, *rows: tuple[date, str, str]) -> None:
    for day, currency, per_euro in rows:
        session.add(ExchangeRate(day=day, currency=currency, per_euro=Decimal(per_euro)))
    session.flush()


def cost(visit_id: int, currency: str, rate: str | None, amount: str = "100") -> Cost:
    return Cost(
        visit_id=visit_id,
        day=date(2016, 12, 8),
        category=CostCategory.INTERPRETING,
        description="Interpreter",
        amount=Decimal(amount),
        currency=currency,
        rate=None if rate is None else Decimal(rate),
        paid_by="",
    )


def row(currency: str, rate: str | None, amount: str = "450.00") -> CostRow:
    return CostRow(
        date(2016, 12, 8),
        "interpreting",
        "Interpreter",
        Decimal(amount),
        currency,
        None if rate is None else Decimal(rate),
        "",
        "during",
    )


# Reading the table


def test_a_rate_between_two_currencies_goes_through_the_euro(session: Session) -> None:
    published(session, (date(2016, 12, 8), "GBP", "0.8493"), (date(2016, 12, 8), "USD", "1.0762"))

    assert rates.reference_rate(session, "EUR", "GBP", date(2016, 12, 8)) == Decimal("0.8493")
    assert rates.reference_rate(session, "GBP", "EUR", date(2016, 12, 8)) == Decimal("1.177440")
    assert rates.reference_rate(session, "USD", "GBP", date(2016, 12, 8)) == Decimal("0.789166")
    assert rates.reference_rate(session, "GBP", "GBP", date(2016, 12, 8)) == Decimal(1)


def test_a_weekend_takes_the_last_working_days_rate_but_not_a_stale_one(
    session: Session,
) -> None:
    published(session, (date(2016, 12, 9), "GBP", "0.8404"))  # a Friday

    assert rates.reference_rate(session, "EUR", "GBP", date(2016, 12, 11)) == Decimal("0.8404")
    assert rates.reference_rate(session, "EUR", "GBP", date(2016, 12, 17)) is None
    assert rates.reference_rate(session, "EUR", "GBP", date(2016, 12, 8)) is None  # before it


def test_a_currency_the_table_does_not_know_has_no_rate(session: Session) -> None:
    published(session, (date(2016, 12, 8), "GBP", "0.8493"))
    assert rates.reference_rate(session, "CHF", "GBP", date(2016, 12, 8)) is None


def test_a_new_cost_takes_the_published_rate_then_the_visits_last_then_none(
    build: Factory, session: Session
) -> None:
    visit = build.visit(programme_id=build.programme(reporting_currency="GBP").id)
    day = date(2016, 12, 8)
    assert rates.rate_for(session, visit, "GBP", day) == Decimal(1)
    assert rates.rate_for(session, visit, "EUR", day) is None

    session.add(cost(visit.id, "EUR", "0.86"))
    session.add(cost(visit.id, "EUR", None))  # waiting for a rate: not a rate to copy
    session.flush()
    assert rates.rate_for(session, visit, "EUR", day) == Decimal("0.86")

    published(session, (day, "GBP", "0.8493"))
    assert rates.rate_for(session, visit, "EUR", day) == Decimal("0.8493")


def test_costs_waiting_for_a_rate_take_the_published_one_and_given_rates_stay(
    build: Factory, session: Session
) -> None:
    visit = build.visit(programme_id=build.programme(reporting_currency="GBP").id)
    waiting, given = cost(visit.id, "EUR", None), cost(visit.id, "EUR", "0.9")
    session.add_all([waiting, given])
    session.flush()
    published(session, (date(2016, 12, 8), "GBP", "0.8493"))

    assert rates.give_missing_rates(session) == 1
    assert (waiting.rate, given.rate) == (Decimal("0.8493"), Decimal("0.9"))


# Totals


def test_a_cost_without_a_rate_is_in_no_total_and_is_counted_as_missing() -> None:
    rows = [row("GBP", "1", "100.00"), row("EUR", None, "450.00"), row("EUR", "0.85", "200.00")]

    found = measures.costs(rows)

    assert found.total == Decimal("270.00")  # 100 + 200 × 0.85, and not 450 more
    assert found.without_rate == 1 and found.uncounted == {"EUR": Decimal("450.00")}
    assert sum_by(rows, "currency", "reported") == {"GBP": Decimal("100.00"), "EUR": Decimal("170")}


def test_the_csv_leaves_the_converted_amount_empty_when_no_rate_is_known() -> None:
    text = costs_csv([row("EUR", None)], "GBP")
    assert text.splitlines()[1].split(",")[3:7] == ["450.00", "EUR", "", ""]


# Importing the bank's files


def test_the_banks_history_imports_with_its_gaps() -> None:
    table = rates.read_reference_csv(HISTORY)

    assert len(table.rates) == 9 and table.unreadable == []
    assert rates.PublishedRate(date(2016, 12, 8), "GBP", Decimal("0.8493")) in table.rates
    assert {rate.currency for rate in table.rates} == {"USD", "JPY", "GBP"}


def test_the_days_file_and_a_zipped_file_import_alike() -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("eurofxref.csv", DAILY)

    for content in (DAILY, packed.getvalue()):
        table = rates.read_reference_csv(content)
        assert rates.PublishedRate(date(2016, 12, 9), "GBP", Decimal("0.8404")) in table.rates
        assert len(table.rates) == 3


def test_unreadable_cells_are_listed_and_the_rest_imports() -> None:
    table = rates.read_reference_csv(b"Date,GBP,USD\n2016-12-08,0.85,-1\nyesterday,0.8,1.1\n")

    assert [rate.currency for rate in table.rates] == ["GBP"]
    assert table.unreadable == ["2016-12-08 USD -1", "yesterday"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\xff", "not-text"),
        (b"Day,GBP\n2016-12-08,0.85\n", "no-date-column"),
        (b"Date,GBP\n", "no-rates"),
        (b"", "no-date-column"),
    ],
)
def test_a_file_that_is_not_a_rate_table_is_refused_with_a_reason(
    content: bytes, reason: str
) -> None:
    with pytest.raises(rates.RateFileError) as refused:
        rates.read_reference_csv(content)
    assert str(refused.value) == reason


def test_importing_again_adds_nothing_twice_and_takes_corrections(session: Session) -> None:
    assert rates.store_rates(session, rates.read_reference_csv(HISTORY).rates) == (9, 0)
    corrected = HISTORY.replace(b"0.8493", b"0.8500")

    assert rates.store_rates(session, rates.read_reference_csv(corrected).rates) == (0, 1)
    assert session.scalar(select(func.count()).select_from(ExchangeRate)) == 9
    assert rates.reference_rate(session, "EUR", "GBP", date(2016, 12, 8)) == Decimal("0.85")


def test_the_table_summary_gives_each_currencys_latest_rate(session: Session) -> None:
    rates.store_rates(session, rates.read_reference_csv(HISTORY).rates)

    summary = rates.summary(session)

    assert (summary.currencies, summary.first_day, summary.last_day) == (
        3,
        date(2016, 12, 7),
        date(2016, 12, 9),
    )
    assert summary.latest[0] == ("GBP", date(2016, 12, 9), Decimal("0.8404"))

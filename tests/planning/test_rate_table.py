"""The exchange-rate table administrators keep, through its page: importing the European
Central Bank's file, what the page then says, and files that are not rate tables."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from cop.extensions import db
from cop.planning.models import Cost, CostCategory, ExchangeRate
from tests.conftest import Factory, sign_in, visible_text
from tests.planning.test_rates import HISTORY


def upload(client, content: bytes, name: str = "eurofxref-hist.csv"):
    return client.post(
        "/admin/rates",
        data={"rates": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_an_administrator_imports_the_banks_history_and_waiting_costs_get_their_rate(
    client, make: Factory
) -> None:
    visit = make.visit(programme_id=make.programme(reporting_currency="GBP").id)
    waiting = Cost(
        visit_id=visit.id,
        day=date(2016, 12, 8),
        category=CostCategory.INTERPRETING,
        amount=Decimal("450"),
        currency="EUR",
        rate=None,
    )
    db.session.add(waiting)
    db.session.commit()
    sign_in(client, make.user(admin=True))

    response = upload(client, HISTORY)

    assert response.status_code == 302
    text = visible_text(client.get("/admin/rates").get_data(as_text=True))
    assert "Rates imported: 9 rates added; 0 corrected; 1 cost that was waiting" in text
    assert "rates for 3 currencies, from 7 December 2016 to 9 December 2016." in text
    assert "GBP 9 December 2016 0.8404" in text
    db.session.refresh(waiting)
    assert waiting.rate == Decimal("0.8493")

    again = upload(client, HISTORY)
    assert again.status_code == 302
    assert db.session.scalar(db.select(db.func.count(ExchangeRate.id))) == 9


def test_a_file_that_is_not_a_rate_table_is_refused_in_the_administrators_language(
    client, make: Factory
) -> None:
    sign_in(client, make.user(admin=True, locale="fr"))

    response = upload(client, b"Name,Email\nRuth,ruth@example.org\n", "people.csv")

    assert response.status_code == 400
    assert "sa première colonne doit être « Date »" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ExchangeRate.id))) == 0


def test_unreadable_values_are_named_and_the_rest_imports(client, make: Factory) -> None:
    sign_in(client, make.user(admin=True))

    response = upload(client, b"Date,GBP,USD\n2016-12-08,0.85,abc\n", "rates.csv")

    assert response.status_code == 302
    text = visible_text(client.get("/admin/rates").get_data(as_text=True))
    assert "1 value could not be read and was left out: 2016-12-08 USD abc" in text
    assert db.session.scalar(db.select(db.func.count(ExchangeRate.id))) == 1

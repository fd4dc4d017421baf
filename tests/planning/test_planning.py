"""The planning log: checklist, effort by phase, category and person, costs in the programme's
currency, and CSV a researcher can open."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from cop.extensions import db
from cop.planning.logic import (
    AFTER,
    BEFORE,
    DURING,
    CostRow,
    EffortRow,
    costs_csv,
    in_reporting_currency,
    phase_of,
    sum_by,
)
from cop.planning.models import Cost, EffortEntry, PlanningTask, TaskStatus
from cop.spreadsheets import safe_cell
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text


def test_phases_follow_the_visit_dates() -> None:
    first, last = date(2016, 12, 8), date(2016, 12, 9)
    assert phase_of(date(2016, 11, 1), first, last) == BEFORE
    assert phase_of(date(2016, 12, 9), first, last) == DURING
    assert phase_of(date(2016, 12, 10), first, last) == AFTER
    assert phase_of(date(2017, 1, 1), None, None) == BEFORE


def test_costs_convert_at_the_rate_entered_and_round_to_the_penny() -> None:
    assert in_reporting_currency(Decimal("2160.00"), Decimal("0.85")) == Decimal("1836.00")
    assert in_reporting_currency(Decimal("10.01"), Decimal("0.333333")) == Decimal("3.34")


def test_totals_are_largest_first() -> None:
    rows = [
        EffortRow("Morag", date(2016, 10, 1), 120, "scheduling", BEFORE),
        EffortRow("Ruth", date(2016, 10, 2), 30, "translation", BEFORE),
        EffortRow("Ruth", date(2016, 12, 8), 200, "other", DURING),
    ]
    assert sum_by(rows, "person", "minutes") == {"Ruth": 230, "Morag": 120}
    assert sum_by(rows, "phase", "minutes") == {"before": 150, "during": 200}


def test_csv_cells_never_start_a_formula() -> None:
    assert safe_cell("=HYPERLINK(evil)") == "'=HYPERLINK(evil)"
    assert safe_cell("Hotel") == "Hotel"
    row = CostRow(
        date(2016, 12, 1), "venue", "=1+1", Decimal(5), "EUR", Decimal("0.85"), "", BEFORE
    )
    [_header, line] = list(csv.reader(io.StringIO(costs_csv([row], "GBP"))))
    assert line[2] == "'=1+1" and line[6] == "4.25"


def lead_and_visit(make: Factory):
    lead = make.user()
    programme = make.programme(reporting_currency="GBP")
    visit = make.visit(programme_id=programme.id)
    make.member(visit, lead.person, MembershipRole.LEAD)
    return lead, visit


def test_the_checklist_comes_from_the_template_once(client, make) -> None:
    lead, visit = lead_and_visit(make)
    sign_in(client, lead)
    client.post(f"/visits/{visit.id}/planning/checklist")
    client.post(f"/visits/{visit.id}/planning/checklist")
    titles = list(db.session.scalars(db.select(PlanningTask.title)))
    assert len(titles) == 15
    assert "Interpreter briefed (agenda, glossary, documents, names)" in titles
    task = db.session.scalar(db.select(PlanningTask).filter_by(title="Invitations sent"))
    response = client.post(
        f"/visits/{visit.id}/planning/tasks/{task.id}",
        data={"owner_id": str(lead.person_id), "due_date": "2016-11-20", "status": "done"},
    )
    assert response.status_code == 302
    db.session.refresh(task)
    assert (task.owner_id, task.status, str(task.due_date)) == (
        lead.person_id,
        TaskStatus.DONE,
        "2016-11-20",
    )


def test_a_member_logs_their_time_and_sees_the_totals(client, make) -> None:
    lead, visit = lead_and_visit(make)
    participant = make.user()
    make.member(visit, participant.person)
    sign_in(client, participant)
    response = client.post(
        f"/visits/{visit.id}/planning/effort",
        data={
            "effort-person_id": str(participant.person_id),
            "effort-day": "2016-10-03",
            "effort-minutes": "90",
            "effort-category": "date_negotiation",
        },
    )
    assert response.status_code == 302
    text = visible_text(client.get(f"/visits/{visit.id}/planning").get_data(as_text=True))
    assert "1.5 hours logged in all." in text
    assert "Date negotiation 1.5" in text
    # A participant cannot log time in someone else's name.
    response = client.post(
        f"/visits/{visit.id}/planning/effort",
        data={
            "effort-person_id": str(lead.person_id),
            "effort-day": "2016-10-03",
            "effort-minutes": "60",
            "effort-category": "translation",
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(EffortEntry.id))) == 1


def test_bad_effort_and_costs_are_explained_and_not_saved(client, make) -> None:
    lead, visit = lead_and_visit(make)
    sign_in(client, lead)
    response = client.post(
        f"/visits/{visit.id}/planning/effort",
        data={
            "effort-person_id": str(lead.person_id),
            "effort-day": "2016-10-03",
            "effort-minutes": "0",
            "effort-category": "other",
        },
    )
    assert response.status_code == 400
    assert "Enter between 1 and 1440 minutes" in response.get_data(as_text=True)
    response = client.post(
        f"/visits/{visit.id}/planning/costs",
        data={
            "cost-day": "2016-11-15",
            "cost-category": "venue",
            "cost-amount": "-5",
            "cost-currency": "euros",
            "cost-rate": "0",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The amount cannot be negative" in page
    assert "Enter a three-letter currency code" in page
    assert "The rate must be more than 0" in page
    assert db.session.scalar(db.select(db.func.count(Cost.id))) == 0


def test_costs_are_reported_in_the_programmes_currency_and_exported(client, make) -> None:
    lead, visit = lead_and_visit(make)
    sign_in(client, lead)
    for amount, currency, rate in (("2160.00", "eur", "0.85"), ("1710", "GBP", "1")):
        response = client.post(
            f"/visits/{visit.id}/planning/costs",
            data={
                "cost-day": "2016-11-15",
                "cost-category": "accommodation",
                "cost-description": "Hotel",
                "cost-amount": amount,
                "cost-currency": currency,
                "cost-rate": rate,
                "cost-paid_by": "What Works Scotland",
            },
        )
        assert response.status_code == 302
    text = visible_text(client.get(f"/visits/{visit.id}/planning").get_data(as_text=True))
    assert "£3,546.00 in all" in text
    exported = client.get(f"/visits/{visit.id}/planning/costs.csv")
    assert exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(row["currency"], row["amount_gbp"]) for row in rows] == [
        ("EUR", "1836.00"),
        ("GBP", "1710.00"),
    ]
    effort = client.get(f"/visits/{visit.id}/planning/effort.csv").get_data(as_text=True)
    assert effort.lstrip("\ufeff").startswith("person,day,minutes,hours,category,phase")


def add_cost(client, visit, amount: str, currency: str, rate: str = "", day: str = "2016-12-08"):
    return client.post(
        f"/visits/{visit.id}/planning/costs",
        data={
            "cost-day": day,
            "cost-category": "interpreting",
            "cost-description": "Interpreter",
            "cost-amount": amount,
            "cost-currency": currency,
            "cost-rate": rate,
        },
    )


def test_euros_without_a_known_rate_are_never_counted_as_pounds(client, make) -> None:
    lead, visit = lead_and_visit(make)
    sign_in(client, lead)
    add_cost(client, visit, "100", "GBP")

    response = add_cost(client, visit, "450", "EUR")

    assert response.status_code == 302
    assert db.session.scalar(db.select(Cost.rate).filter_by(currency="EUR")) is None
    text = visible_text(client.get(f"/visits/{visit.id}/planning").get_data(as_text=True))
    assert "£100.00 in all" in text
    assert "1 cost has no exchange rate yet, so it is in none of these totals" in text
    assert "€450.00 Rate needed" in text
    exported = client.get(f"/visits/{visit.id}/planning/costs.csv").get_data(as_text=True)
    assert exported.splitlines()[-1].split(",")[3:7] == ["450.00", "EUR", "", ""]


def test_the_lead_gives_the_missing_rate_and_the_cost_counts_from_then_on(client, make) -> None:
    lead, visit = lead_and_visit(make)
    sign_in(client, lead)
    add_cost(client, visit, "450", "EUR")
    cost_id = db.session.scalar(db.select(Cost.id))

    refused = client.post(
        f"/visits/{visit.id}/planning/costs/{cost_id}/rate", data={f"rate-{cost_id}-rate": "0"}
    )
    assert refused.status_code == 400
    assert "The rate must be more than 0" in refused.get_data(as_text=True)
    assert db.session.get(Cost, cost_id).rate is None

    given = client.post(
        f"/visits/{visit.id}/planning/costs/{cost_id}/rate", data={f"rate-{cost_id}-rate": "0.84"}
    )
    assert given.status_code == 302
    text = visible_text(client.get(f"/visits/{visit.id}/planning").get_data(as_text=True))
    assert "£378.00 in all" in text and "Rate needed" not in text
    # The next cost in euros takes the rate the lead gave.
    add_cost(client, visit, "100", "EUR")
    assert db.session.scalar(db.select(Cost.rate).order_by(Cost.id.desc())) == Decimal("0.84")


def test_a_rate_is_given_only_to_a_cost_of_the_visit(client, make) -> None:
    lead, visit = lead_and_visit(make)
    _other_lead, other_visit = lead_and_visit(make)
    sign_in(client, lead)
    add_cost(client, visit, "450", "EUR")
    cost_id = db.session.scalar(db.select(Cost.id))

    response = client.post(
        f"/visits/{other_visit.id}/planning/costs/{cost_id}/rate",
        data={f"rate-{cost_id}-rate": "0.84"},
    )

    assert response.status_code in {403, 404}
    assert db.session.get(Cost, cost_id).rate is None


def test_the_planning_log_says_a_rate_is_needed_in_french(client, make) -> None:
    lead, visit = lead_and_visit(make)
    lead.locale = "fr"
    db.session.commit()
    sign_in(client, lead)
    add_cost(client, visit, "450", "EUR")
    text = visible_text(client.get(f"/visits/{visit.id}/planning").get_data(as_text=True))
    assert "Taux manquant" in text
    assert "1 dépense n’a pas encore de taux de change" in text

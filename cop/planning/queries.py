"""The planning log's rows as the logic, the pages and the evaluation report read them."""

from __future__ import annotations

from sqlalchemy import select

from cop.directory.models import Person
from cop.extensions import db
from cop.planning import logic
from cop.planning.models import Cost, EffortEntry
from cop.visits.models import Visit


def effort_rows(visit: Visit) -> list[logic.EffortRow]:
    rows = db.session.execute(
        select(Person.name, EffortEntry.day, EffortEntry.minutes, EffortEntry.category)
        .join(Person, Person.id == EffortEntry.person_id)
        .where(EffortEntry.visit_id == visit.id)
        .order_by(EffortEntry.day, EffortEntry.id)
    )
    return [
        logic.EffortRow(
            name,
            day,
            minutes,
            category.value,
            logic.phase_of(day, visit.start_date, visit.end_date),
        )
        for name, day, minutes, category in rows
    ]


def cost_rows(visit: Visit) -> list[logic.CostRow]:
    costs = db.session.scalars(
        select(Cost).where(Cost.visit_id == visit.id).order_by(Cost.day, Cost.id)
    )
    return [
        logic.CostRow(
            cost.day,
            cost.category.value,
            cost.description,
            cost.amount,
            cost.currency,
            cost.rate,
            cost.paid_by,
            logic.phase_of(cost.day, visit.start_date, visit.end_date),
            cost.id,
        )
        for cost in costs
    ]

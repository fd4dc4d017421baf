"""The polls' queries, as Select objects (no Flask here)."""

from __future__ import annotations

from sqlalchemy import Select, select

from cop.polls.models import DatePoll


def polls_of_visit(visit_id: int) -> Select:
    """A visit's date polls, the first asked first."""
    return select(DatePoll).where(DatePoll.visit_id == visit_id).order_by(DatePoll.id)

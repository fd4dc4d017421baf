"""Whether a reflection is being written at the time its phase is for (no Flask here).

A reflection "soon after the visit" written before the visit has ended, or a follow-up before it
is due, would skew every before-and-after figure; cop asks the writer to confirm rather than
refusing, since only they know (a visit cut short, a follow-up answered early). A "before"
reflection is never questioned: baselines collected on paper are often typed in later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cop.reflections.models import Phase
from cop.reflections.reminders import follow_up_due


@dataclass(frozen=True)
class TimingQuestion:
    reason: str  # "no_dates", "not_started", "not_ended" or "not_due"
    day: date | None = None  # the day the phase begins or began to make sense


def timing_question(
    phase: Phase, first_day: date | None, last_day: date | None, today: date
) -> TimingQuestion | None:
    """What to ask the writer, if the phase does not fit today (the day in the visit's zone)."""
    if phase is Phase.BEFORE:
        return None
    if first_day is None or last_day is None:
        return TimingQuestion("no_dates")
    if phase is Phase.DURING:
        return TimingQuestion("not_started", first_day) if today < first_day else None
    if phase is Phase.AFTER:
        return TimingQuestion("not_ended", last_day) if today <= last_day else None
    due = follow_up_due(last_day, phase)
    return TimingQuestion("not_due", due) if today < due else None

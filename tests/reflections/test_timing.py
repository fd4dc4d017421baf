"""When a reflection's phase does not fit the day it is written, the writer is asked to confirm:
the rules of cop.reflections.timing, on frozen days (the visit of 8 and 9 December 2016)."""

from __future__ import annotations

from datetime import date

import pytest

from cop.reflections.models import Phase
from cop.reflections.timing import TimingQuestion, timing_question

FIRST, LAST = date(2016, 12, 8), date(2016, 12, 9)


@pytest.mark.parametrize(
    ("phase", "today", "question"),
    [
        (Phase.BEFORE, date(2016, 12, 7), None),
        (Phase.BEFORE, date(2017, 1, 8), None),  # baselines on paper are typed in later
        (Phase.DURING, date(2016, 12, 7), TimingQuestion("not_started", FIRST)),
        (Phase.DURING, date(2016, 12, 8), None),
        (Phase.AFTER, date(2016, 12, 8), TimingQuestion("not_ended", LAST)),
        (Phase.AFTER, date(2016, 12, 9), TimingQuestion("not_ended", LAST)),  # its last day
        (Phase.AFTER, date(2016, 12, 10), None),
        (Phase.FOLLOW_UP_3, date(2017, 3, 8), TimingQuestion("not_due", date(2017, 3, 9))),
        (Phase.FOLLOW_UP_3, date(2017, 3, 9), None),
        (Phase.FOLLOW_UP_12, date(2017, 6, 1), TimingQuestion("not_due", date(2017, 12, 9))),
    ],
)
def test_a_phase_that_does_not_fit_the_day_is_questioned(
    phase: Phase, today: date, question: TimingQuestion | None
) -> None:
    assert timing_question(phase, FIRST, LAST, today) == question


def test_without_agreed_dates_only_a_before_reflection_fits() -> None:
    assert timing_question(Phase.BEFORE, None, None, date(2016, 12, 8)) is None
    assert timing_question(Phase.AFTER, None, None, date(2016, 12, 8)) == TimingQuestion("no_dates")

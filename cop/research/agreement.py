"""Agreement between two coders, code by code (no Flask here).

The unit is the passage (a written answer or a speaker's turn): for each code, each coder either
applied it somewhere in the passage or did not. Only passages of reflections that both coders have
coded count, so that a reflection one of them has not reached yet does not read as disagreement.
Per code this gives a 2 x 2 table, its percent agreement and Cohen's kappa:

    p_o = (both + neither) / n
    p_e = p_a * p_b + (1 - p_a) * (1 - p_b)      with p_a, p_b each coder's rate of applying it
    kappa = (p_o - p_e) / (1 - p_e)

Kappa is undefined when p_e is 1 (both coders applied the code everywhere, or nowhere)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeAgreement:
    code_id: int
    both: int
    only_first: int
    only_second: int
    neither: int

    @property
    def units(self) -> int:
        return self.both + self.only_first + self.only_second + self.neither

    @property
    def percent(self) -> float | None:
        if not self.units:
            return None
        return 100 * (self.both + self.neither) / self.units

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self.both, self.only_first, self.only_second, self.neither)


def cohen_kappa(both: int, only_first: int, only_second: int, neither: int) -> float | None:
    """Cohen's kappa of a 2 x 2 table, or None when it is undefined."""
    units = both + only_first + only_second + neither
    if units == 0:
        return None
    observed = (both + neither) / units
    first_rate = (both + only_first) / units
    second_rate = (both + only_second) / units
    expected = first_rate * second_rate + (1 - first_rate) * (1 - second_rate)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement_by_code(
    units: Iterable[int],
    first: set[tuple[int, int]],
    second: set[tuple[int, int]],
    code_ids: Iterable[int],
) -> list[CodeAgreement]:
    """``first`` and ``second`` hold (unit, code) pairs each coder applied; ``units`` are the
    passages both coders have been through."""
    unit_list = list(units)
    results = []
    for code_id in code_ids:
        counts = {"both": 0, "only_first": 0, "only_second": 0, "neither": 0}
        for unit in unit_list:
            in_first = (unit, code_id) in first
            in_second = (unit, code_id) in second
            if in_first and in_second:
                counts["both"] += 1
            elif in_first:
                counts["only_first"] += 1
            elif in_second:
                counts["only_second"] += 1
            else:
                counts["neither"] += 1
        results.append(CodeAgreement(code_id=code_id, **counts))
    return results

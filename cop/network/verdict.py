"""From two windows' measures to plain statements: which way each indicator moved, whether that
is what a forming community of practice would show, and how strong the evidence is."""

from __future__ import annotations

from dataclasses import dataclass

# Indicator, and the direction a forming community of practice would move it.
EXPECTED = {
    "ties": "up",
    "density": "up",
    "mean_degree": "up",
    "largest_component_share": "up",
    "isolates": "down",
    "transitivity": "up",
    "average_clustering": "up",
    "reciprocity": "up",
    "centralisation": "down",
    "betweenness_centralisation": "down",
    "ei_organisation": "up",
    "ei_country": "up",
    "cross_organisation_ties": "up",
    "communities_spanning_organisations": "up",
    "community_organisation_agreement": "down",
}
TOO_FEW_PEOPLE = 6
TOO_FEW_TIES = 5


@dataclass(frozen=True)
class Indicator:
    key: str
    before: float | int | None
    after: float | int | None
    direction: str  # up, down, same, unknown
    expected: str
    supports: bool | None  # moved the way a community of practice would
    evidence: str  # strong, some, weak, none
    p_value: float | None = None


def direction(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return "unknown"
    if abs(after - before) < 1e-9:
        return "same"
    return "up" if after > before else "down"


def _evidence(before, after, p_value: float | None) -> str:
    if before is None or after is None or abs(after - before) < 1e-9:
        return "none"
    if p_value is not None:
        return "strong" if p_value < 0.05 else "some" if p_value < 0.2 else "weak"
    scale = max(abs(before), abs(after), 1e-9)
    relative = abs(after - before) / scale
    return "some" if relative >= 0.25 else "weak"


def judge(
    before: dict, after: dict, p_values: dict[str, float | None] | None = None
) -> tuple[list[Indicator], bool]:
    """The indicators, and whether the network is too small to conclude anything."""
    p_values = p_values or {}
    indicators = []
    for key, expected in EXPECTED.items():
        moved = direction(before.get(key), after.get(key))
        supports = None if moved in {"unknown", "same"} else moved == expected
        indicators.append(
            Indicator(
                key,
                before.get(key),
                after.get(key),
                moved,
                expected,
                supports,
                _evidence(before.get(key), after.get(key), p_values.get(key)),
                p_values.get(key),
            )
        )
    too_small = (
        max(before.get("people") or 0, after.get("people") or 0) < TOO_FEW_PEOPLE
        or (before.get("ties") or 0) + (after.get("ties") or 0) < TOO_FEW_TIES
    )
    return indicators, too_small


def overall(indicators: list[Indicator], too_small: bool) -> str:
    """forming, mixed, not_forming or too_small."""
    if too_small:
        return "too_small"
    weighed = [i for i in indicators if i.supports is not None and i.evidence != "weak"]
    if not weighed:
        return "mixed"
    share = sum(1 for i in weighed if i.supports) / len(weighed)
    return "forming" if share >= 0.7 else "not_forming" if share <= 0.3 else "mixed"

"""Agreement between two coders: percent agreement and Cohen's kappa per code, checked against
tables worked out by hand."""

from __future__ import annotations

import pytest

from cop.research.agreement import CodeAgreement, agreement_by_code, cohen_kappa


def test_kappa_of_the_textbook_table() -> None:
    # 50 passages: both coded 20, only the first 5, only the second 10, neither 15.
    # p_o = 35/50 = 0.70; p_a = 25/50, p_b = 30/50; p_e = 0.5*0.6 + 0.5*0.4 = 0.50;
    # kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    assert cohen_kappa(20, 5, 10, 15) == pytest.approx(0.40)


def test_kappa_below_chance_is_negative() -> None:
    # 6 passages, each coder applied the code once, never to the same passage.
    # p_o = 4/6; p_a = p_b = 1/6; p_e = 1/36 + 25/36 = 26/36; kappa = (24/36 - 26/36) / (10/36)
    assert cohen_kappa(0, 1, 1, 4) == pytest.approx(-0.2)


def test_kappa_of_perfect_agreement_is_one() -> None:
    assert cohen_kappa(3, 0, 0, 7) == pytest.approx(1.0)


def test_kappa_is_undefined_when_chance_explains_everything() -> None:
    # Neither coder ever applied the code: they agree everywhere, but kappa is 0/0.
    assert cohen_kappa(0, 0, 0, 8) is None
    assert cohen_kappa(8, 0, 0, 0) is None
    assert cohen_kappa(0, 0, 0, 0) is None


def test_another_hand_computed_table() -> None:
    # both 45, first only 15, second only 25, neither 15 (n = 100)
    # p_o = 0.60; p_a = 0.60, p_b = 0.70; p_e = 0.42 + 0.12 = 0.54; kappa = 0.06 / 0.46
    assert cohen_kappa(45, 15, 25, 15) == pytest.approx(0.06 / 0.46)


def test_agreement_is_counted_per_code_over_the_shared_passages() -> None:
    passages = [1, 2, 3, 4, 5]
    first = {(1, 10), (2, 10), (3, 20)}
    second = {(1, 10), (3, 10), (3, 20), (9, 10)}  # passage 9 is not shared: ignored
    results = {r.code_id: r for r in agreement_by_code(passages, first, second, [10, 20])}
    assert results[10] == CodeAgreement(10, both=1, only_first=1, only_second=1, neither=2)
    assert results[10].percent == pytest.approx(60.0)
    # p_a = p_b = 2/5, p_e = 0.16 + 0.36 = 0.52, kappa = (0.6 - 0.52) / 0.48
    assert results[10].kappa == pytest.approx(0.08 / 0.48)
    assert results[20] == CodeAgreement(20, both=1, only_first=0, only_second=0, neither=4)
    assert results[20].percent == 100
    assert results[20].kappa == pytest.approx(1.0)

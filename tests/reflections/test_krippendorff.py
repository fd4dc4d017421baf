"""Krippendorff's alpha across any number of coders, on passages or on characters: the rules
with worked examples, and a scenario coded through the pages by three researchers checked
against alpha computed here by hand from its coincidences."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from cop.extensions import db
from cop.reflections.models import Consent
from cop.research.agreement import (
    Applied,
    CodedPassage,
    Unit,
    alpha_by_code,
    alpha_of,
    value_counts,
)
from cop.research.models import Code
from cop.visits.models import ProgrammeResearcher
from tests.conftest import sign_in, visible_text
from tests.reflections.conftest import Study

CODE = 7


def passages_coded_by(*coders: int, lengths: tuple[int, ...]) -> list[CodedPassage]:
    return [CodedPassage(index, length, frozenset(coders)) for index, length in enumerate(lengths)]


def test_the_textbook_example_of_two_coders_on_ten_passages() -> None:
    # Krippendorff's own binary example: A 0100000010, B 1110010000 -> alpha = 1 - 19*4/(14*6)
    first, second = "0100000010", "1110010000"
    applied = [
        Applied(coder, position, CODE, 0, 10)
        for coder, marks in ((1, first), (2, second))
        for position, mark in enumerate(marks)
        if mark == "1"
    ]
    passages = passages_coded_by(1, 2, lengths=(10,) * 10)
    assert alpha_of(value_counts(passages, applied, CODE, Unit.PASSAGE)) == pytest.approx(
        1 - 19 * 4 / (14 * 6)
    )


def test_on_characters_the_words_chosen_count() -> None:
    # One passage of 10 characters: A codes 0-5, B codes 2-7. As passages they agree; as
    # characters 4 of 10 differ: n0 = n1 = 10, o01 = 4, alpha = 1 - 19*4/(10*10) = 0.24.
    applied = [Applied(1, 0, CODE, 0, 5), Applied(2, 0, CODE, 2, 7)]
    passages = passages_coded_by(1, 2, lengths=(10,))
    assert alpha_of(value_counts(passages, applied, CODE, Unit.CHARACTER)) == pytest.approx(0.24)
    # Passage units: both said yes on the only unit; every value is the same: undefined.
    assert alpha_of(value_counts(passages, applied, CODE, Unit.PASSAGE)) is None


def test_two_spans_of_one_coder_are_one_decision_per_character() -> None:
    applied = [Applied(1, 0, CODE, 0, 4), Applied(1, 0, CODE, 2, 6), Applied(2, 0, CODE, 0, 6)]
    counts = value_counts(passages_coded_by(1, 2, lengths=(8,)), applied, CODE, Unit.CHARACTER)
    assert counts.tolist() == [[0, 2]] * 6 + [[2, 0]] * 2
    assert alpha_of(counts) == pytest.approx(1.0)


def test_a_coder_who_has_not_reached_a_reflection_is_missing_not_disagreeing() -> None:
    # Passages 0-3 coded by coders 1, 2 and 3; passages 4-5 only by 1 and 2.
    passages = [
        *(CodedPassage(index, 5, frozenset({1, 2, 3})) for index in range(4)),
        *(CodedPassage(index, 5, frozenset({1, 2})) for index in (4, 5)),
    ]
    applied = [Applied(coder, 0, CODE, 0, 5) for coder in (1, 2, 3)]
    applied += [Applied(1, 4, CODE, 0, 5), Applied(2, 4, CODE, 0, 5)]
    counts = value_counts(passages, applied, CODE, Unit.PASSAGE)
    assert counts.tolist() == [[0, 3], [3, 0], [3, 0], [3, 0], [0, 2], [2, 0]]
    assert alpha_of(counts) == pytest.approx(1.0)


def test_units_only_one_coder_decided_on_do_not_count() -> None:
    passages = [CodedPassage(0, 5, frozenset({1})), CodedPassage(1, 5, frozenset({1}))]
    counts = value_counts(passages, [Applied(1, 0, CODE, 0, 5)], CODE, Unit.PASSAGE)
    assert len(counts) == 0 and alpha_of(counts) is None


def test_all_codes_together_pool_every_unit_and_code() -> None:
    passages = passages_coded_by(1, 2, lengths=(5, 5, 5, 5))
    applied = [
        Applied(1, 0, 1, 0, 5),
        Applied(2, 0, 1, 0, 5),
        Applied(1, 1, 2, 0, 5),
        Applied(2, 2, 2, 0, 5),
    ]
    by_code, together = alpha_by_code(passages, applied, [1, 2], Unit.PASSAGE)
    # Per unit, (no, yes): code 1 [0,2] [2,0] [2,0] [2,0]; code 2 [2,0] [1,1] [1,1] [2,0].
    # Code 2 alone: n = 8, n0 = 6, n1 = 2, o01 = 2: alpha = 1 - 7*2/(6*2).
    assert [result.alpha for result in by_code] == [
        pytest.approx(1.0),
        pytest.approx(1 - 7 * 2 / (6 * 2)),
    ]
    # Together: n = 16, n0 = 12, n1 = 4, o01 = 2.
    assert together.alpha == pytest.approx(1 - 15 * 2 / (12 * 4))
    assert together.units == 8 and together.coders == 2


# --- Through the pages -----------------------------------------------------------------------


def hand_alpha(decisions: dict[tuple[int, int], int]) -> float:
    """Nominal alpha of binary decisions {(unit, coder): 0 or 1}, from its coincidences."""
    units: dict[int, list[int]] = {}
    for (unit, _coder), value in decisions.items():
        units.setdefault(unit, []).append(value)
    pairable = [values for values in units.values() if len(values) >= 2]
    ones = sum(sum(values) for values in pairable)
    zeros = sum(len(values) - sum(values) for values in pairable)
    mixed = sum(
        (len(values) - sum(values)) * sum(values) / (len(values) - 1) for values in pairable
    )
    return 1 - (zeros + ones - 1) * mixed / (zeros * ones)


def code_through_the_page(app: Flask, user, study: Study, reflection, passage, quote=""):
    client = app.test_client()
    sign_in(client, user)
    code = db.session.scalar(db.select(Code.id).where(Code.default_key == "resourcing"))
    answer = client.post(
        f"/visits/{study.visit.id}/reflections/{reflection.id}/passages/{passage.id}/code",
        data={"code_id": str(code), "quote": quote},
    )
    assert answer.status_code == 302


def alpha_shown(page: str, code_name: str) -> str:
    found = re.search(re.escape(code_name) + r" ([\d,]+) (-?[\d.]+|not defined)", page)
    assert found, page
    return found.group(2)


def test_three_researchers_code_through_the_pages_and_alpha_matches_the_hand_count(
    app: Flask, study: Study, make
) -> None:
    third = make.user(researcher=True)
    db.session.add(ProgrammeResearcher(programme_id=study.programme_id, user_id=third.id))
    db.session.commit()
    coders = [study.users["researcher"], study.users["visit_researcher"], third]
    texts = ("We need budgets.", "Officers in every department.", "Votes online.", "No.")
    first = study.reflection(Consent.PSEUDONYMISED, texts=texts)
    second = study.reflection(Consent.NAMED, writer="colleague", texts=texts[:3])
    # Which passages each coder codes "resourcing"; the third never opens the second reflection
    # but codes one passage of the first, so its other passages are its "no".
    plan = {
        0: {first: [0, 1], second: [0]},
        1: {first: [0, 2], second: [0, 1]},
        2: {first: [0]},
    }
    decisions: dict[tuple[int, int], int] = {}
    for index, reflections in plan.items():
        for reflection, positions in reflections.items():
            for position in positions:
                code_through_the_page(
                    app, coders[index], study, reflection, reflection.passages[position]
                )
            for passage in reflection.passages:
                decisions[(passage.id, index)] = int(passage.position in positions)

    client = app.test_client()
    sign_in(client, study.users["researcher"])
    page = visible_text(
        client.get(f"/programmes/{study.programme_id}/agreement").get_data(as_text=True)
    )
    expected = hand_alpha(decisions)
    assert "Unit: the passage" in page and "3 coders." in page
    assert float(alpha_shown(page, "Resourcing")) == pytest.approx(expected, abs=0.0005)


def test_character_units_are_chosen_on_the_page_and_said(app: Flask, study: Study) -> None:
    text = "Paris has a named PB officer in every department."
    reflection = study.reflection(Consent.QUOTABLE, texts=(text,))
    passage = reflection.passages[0]
    first, second = study.users["researcher"], study.users["visit_researcher"]
    code_through_the_page(app, first, study, reflection, passage, quote="a named PB officer")
    code_through_the_page(app, second, study, reflection, passage, quote="PB officer in every")
    decisions = {}
    for coder, quote in ((0, "a named PB officer"), (1, "PB officer in every")):
        start = text.index(quote)
        for position in range(len(text)):
            decisions[(position, coder)] = int(start <= position < start + len(quote))

    client = app.test_client()
    sign_in(client, first)
    page = visible_text(
        client.get(f"/programmes/{study.programme_id}/agreement?unit=character").get_data(
            as_text=True
        )
    )
    assert "Unit: the character." in page
    assert float(alpha_shown(page, "Resourcing")) == pytest.approx(
        hand_alpha(decisions), abs=0.0005
    )
    by_passage = visible_text(
        client.get(f"/programmes/{study.programme_id}/agreement?unit=passage").get_data(
            as_text=True
        )
    )
    # Both coded the one passage: as passages they agree, and alpha has nothing to discount.
    assert alpha_shown(by_passage, "Resourcing") == "not defined"


def test_an_unknown_unit_falls_back_to_passages(app: Flask, study: Study) -> None:
    client = app.test_client()
    sign_in(client, study.users["researcher"])
    answer = client.get(f"/programmes/{study.programme_id}/agreement?unit=word")
    assert answer.status_code == 200
    assert "Unit: the passage" in visible_text(answer.get_data(as_text=True))

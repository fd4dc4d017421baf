"""Two coders see where they disagree, side by side, and settle it from there: each can code a
passage as the other did or remove their own code, and comes back to the list."""

from __future__ import annotations

from flask import Flask

from cop.extensions import db
from cop.reflections.models import Consent
from cop.research.agreement import (
    Applied,
    CodedPassage,
    ProgrammeCodings,
    Unit,
    disagreements,
)
from cop.research.models import Code, CodedSegment
from tests.conftest import sign_in, visible_text
from tests.reflections.conftest import Study
from tests.reflections.test_krippendorff import alpha_shown

A, B, C = 1, 2, 3  # coders


def codings(*applied: Applied) -> ProgrammeCodings:
    passages = [CodedPassage(10, 20, frozenset({A, B})), CodedPassage(11, 20, frozenset({A, C}))]
    return ProgrammeCodings(list(applied), passages)


def test_a_code_only_one_of_them_applied_is_a_disagreement() -> None:
    found = disagreements(
        codings(Applied(A, 10, 5, 0, 20), Applied(A, 10, 6, 0, 4), Applied(B, 10, 6, 0, 20)),
        A,
        B,
        Unit.PASSAGE,
    )
    assert [(d.passage_id, d.code_id, len(d.first), len(d.second)) for d in found] == [
        (10, 5, 1, 0)
    ]


def test_on_characters_other_words_for_the_same_code_disagree_too() -> None:
    found = disagreements(
        codings(Applied(A, 10, 6, 0, 4), Applied(B, 10, 6, 0, 20)), A, B, Unit.CHARACTER
    )
    assert [(d.code_id, d.first[0].end, d.second[0].end) for d in found] == [(6, 4, 20)]


def test_the_same_characters_in_two_spans_are_not_a_disagreement() -> None:
    found = disagreements(
        codings(Applied(A, 10, 6, 0, 10), Applied(A, 10, 6, 10, 20), Applied(B, 10, 6, 0, 20)),
        A,
        B,
        Unit.CHARACTER,
    )
    assert found == []


def test_passages_only_one_of_them_has_reached_are_left_out() -> None:
    # Passage 11 was coded by A and C, not B.
    assert disagreements(codings(Applied(A, 11, 5, 0, 20)), A, B, Unit.PASSAGE) == []


def resourcing() -> int:
    return db.session.scalar(db.select(Code.id).where(Code.default_key == "resourcing"))


def test_a_coder_settles_a_disagreement_from_the_side_by_side_page(
    app: Flask, study: Study
) -> None:
    text = "Paris has a named PB officer in every department."
    reflection = study.reflection(Consent.PSEUDONYMISED, texts=(text, "Votes happen online."))
    first, second = study.users["researcher"], study.users["visit_researcher"]
    passage, other_passage = reflection.passages
    coding_url = f"/visits/{study.visit.id}/reflections/{reflection.id}/passages"
    by_first, by_second = app.test_client(), app.test_client()
    sign_in(by_first, first)
    sign_in(by_second, second)
    by_first.post(
        f"{coding_url}/{passage.id}/code",
        data={"code_id": resourcing(), "quote": "a named PB officer"},
    )
    by_second.post(f"{coding_url}/{passage.id}/code", data={"code_id": resourcing(), "quote": ""})
    by_second.post(
        f"{coding_url}/{other_passage.id}/code", data={"code_id": resourcing(), "quote": ""}
    )
    here = (
        f"/programmes/{study.programme_id}/agreement/disagreements"
        f"?first={first.id}&second={second.id}&unit=character"
    )

    page = visible_text(by_first.get(here).get_data(as_text=True))
    assert "2 disagreements." in page
    assert "“a named PB officer”" in page and "Did not apply it" in page
    assert "Only " + second.display_name + " can change these codes." in page
    # No name where the writer did not agree to be named.
    assert study.users["writer"].display_name not in page

    # The first coder codes the second passage as the other did, and comes back here.
    answer = by_first.post(
        f"{coding_url}/{other_passage.id}/code",
        data={"code_id": resourcing(), "quote": "Votes happen online.", "next": here},
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(here)
    # The second coder narrows their words to the first's: remove theirs, code the same.
    theirs = db.session.scalar(
        db.select(CodedSegment.id).where(
            CodedSegment.passage_id == passage.id, CodedSegment.coder_id == second.id
        )
    )
    removed = by_second.post(
        f"/visits/{study.visit.id}/reflections/{reflection.id}/segments/{theirs}/delete",
        data={"next": here},
    )
    assert removed.status_code == 302 and removed.headers["Location"].endswith(here)
    by_second.post(
        f"{coding_url}/{passage.id}/code",
        data={"code_id": resourcing(), "quote": "a named PB officer", "next": here},
    )

    assert "They agree on every passage both have coded." in visible_text(
        by_first.get(here).get_data(as_text=True)
    )
    agreement = visible_text(
        by_first.get(f"/programmes/{study.programme_id}/agreement?unit=character").get_data(
            as_text=True
        )
    )
    assert float(alpha_shown(agreement, "Resourcing")) == 1


def test_a_return_address_elsewhere_is_not_followed(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED)
    client = app.test_client()
    sign_in(client, study.users["researcher"])
    answer = client.post(
        f"/visits/{study.visit.id}/reflections/{reflection.id}/passages/"
        f"{reflection.passages[0].id}/code",
        data={"code_id": resourcing(), "quote": "", "next": "https://elsewhere.example/"},
    )
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"#passage-{reflection.passages[0].id}")


def test_coders_who_have_not_coded_here_are_not_found(app: Flask, study: Study) -> None:
    client = app.test_client()
    sign_in(client, study.users["researcher"])
    answer = client.get(
        f"/programmes/{study.programme_id}/agreement/disagreements?first=1&second=2"
    )
    assert answer.status_code == 404

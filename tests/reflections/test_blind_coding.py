"""Blinded double coding: where a programme codes blind, each researcher codes without seeing
the others' codes, and sees them (and the agreement, the disagreements, the passages by theme)
only once they say they have finished."""

from __future__ import annotations

from flask import Flask

from cop.extensions import db
from cop.reflections.models import Consent
from cop.research.models import Code, FinishedCoding
from cop.visits.models import Programme
from tests.conftest import sign_in, visible_text
from tests.reflections.conftest import Study

TEXT = "Paris has a named PB officer in every department."


def resourcing() -> int:
    return db.session.scalar(db.select(Code.id).where(Code.default_key == "resourcing"))


def clients(app: Flask, study: Study):
    first, second = app.test_client(), app.test_client()
    sign_in(first, study.users["researcher"])
    sign_in(second, study.users["visit_researcher"])
    return first, second


def test_a_researcher_turns_blind_coding_on_from_the_codebook(app: Flask, study: Study) -> None:
    first, _second = clients(app, study)
    answer = first.post(f"/programmes/{study.programme_id}/coding/blind", data={"blind": "y"})
    assert answer.status_code == 302
    assert db.session.get(Programme, study.programme_id).blind_coding is True
    page = visible_text(first.get(f"/programmes/{study.programme_id}/codebook").get_data(True))
    assert "Coding is blind" in page and "I have finished coding" in page
    first.post(f"/programmes/{study.programme_id}/coding/blind", data={})
    db.session.expire_all()
    assert db.session.get(Programme, study.programme_id).blind_coding is False


def test_coding_blind_each_sees_only_their_own_codes_until_they_finish(
    app: Flask, study: Study
) -> None:
    db.session.get(Programme, study.programme_id).blind_coding = True
    db.session.commit()
    reflection = study.reflection(Consent.NAMED, texts=(TEXT,))
    passage = reflection.passages[0]
    first, second = clients(app, study)
    page_url = f"/visits/{study.visit.id}/reflections/{reflection.id}"
    code_url = f"{page_url}/passages/{passage.id}/code"
    first.post(code_url, data={"code_id": resourcing(), "quote": "a named PB officer"})
    second.post(code_url, data={"code_id": resourcing(), "quote": "in every department"})

    seen_by_first = visible_text(first.get(page_url).get_data(as_text=True))
    assert "“a named PB officer”" in seen_by_first
    assert "“in every department”" not in seen_by_first
    assert "Coding is blind: you see only your own codes" in seen_by_first
    # The codebook counts only their own codes; the pages of everyone's codes wait.
    codebook = visible_text(first.get(f"/programmes/{study.programme_id}/codebook").get_data(True))
    assert "Times you applied it" in codebook
    for path in ("agreement", "themes", f"themes/{resourcing()}", "coded-segments.csv"):
        withheld = first.get(f"/programmes/{study.programme_id}/{path}")
        assert withheld.status_code == 403, path
        assert "you will see this page once you say you have finished" in visible_text(
            withheld.get_data(as_text=True)
        )

    # The second coder finishes: they see both codes and the agreement; the first still not.
    finished = second.post(f"/programmes/{study.programme_id}/coding/finished")
    assert finished.status_code == 302
    seen_by_second = visible_text(second.get(page_url).get_data(as_text=True))
    assert "“a named PB officer”" in seen_by_second and "“in every department”" in seen_by_second
    assert second.get(f"/programmes/{study.programme_id}/agreement").status_code == 200
    assert "“in every department”" not in visible_text(first.get(page_url).get_data(True))
    codebook = visible_text(second.get(f"/programmes/{study.programme_id}/codebook").get_data(True))
    assert f"Finished coding: {study.users['visit_researcher'].display_name}" in codebook


def test_saying_twice_that_one_has_finished_records_it_once(app: Flask, study: Study) -> None:
    db.session.get(Programme, study.programme_id).blind_coding = True
    db.session.commit()
    first, _second = clients(app, study)
    for _ in range(2):
        assert first.post(f"/programmes/{study.programme_id}/coding/finished").status_code == 302
    assert db.session.scalar(db.select(db.func.count(FinishedCoding.id))) == 1


def test_open_coding_shows_everything_as_before(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED, texts=(TEXT,))
    passage = reflection.passages[0]
    first, second = clients(app, study)
    page_url = f"/visits/{study.visit.id}/reflections/{reflection.id}"
    second.post(f"{page_url}/passages/{passage.id}/code", data={"code_id": resourcing()})
    page = visible_text(first.get(page_url).get_data(as_text=True))
    assert "coded by " + study.users["visit_researcher"].display_name in page
    assert "Coding is blind" not in page
    assert first.get(f"/programmes/{study.programme_id}/agreement").status_code == 200


def test_the_writer_still_sees_the_codes_on_their_own_reflection(app: Flask, study: Study) -> None:
    db.session.get(Programme, study.programme_id).blind_coding = True
    db.session.commit()
    reflection = study.reflection(Consent.NAMED, texts=(TEXT,))
    _first, second = clients(app, study)
    page_url = f"/visits/{study.visit.id}/reflections/{reflection.id}"
    second.post(
        f"{page_url}/passages/{reflection.passages[0].id}/code", data={"code_id": resourcing()}
    )
    writer = app.test_client()
    sign_in(writer, study.users["writer"])
    page = visible_text(writer.get(page_url).get_data(as_text=True))
    assert "coded by " + study.users["visit_researcher"].display_name in page

"""Researchers transcribe interviews, code passages without JavaScript, keep a codebook, compare
coders and export what they coded for their own tools."""

from __future__ import annotations

import csv
import io
import uuid
import xml.etree.ElementTree as ET  # our own export, not untrusted input

from flask import Flask

from cop.extensions import db
from cop.reflections.logic import programme_codes
from cop.reflections.models import Consent, Phase, Reflection, ReflectionSource, SelfRating
from cop.research.models import Code, CodedSegment
from tests.conftest import sign_in, visible_text
from tests.reflections.conftest import Study

QDC = "{urn:QDA-XML:codebook:1.0}"
VTT = b"""WEBVTT

00:00:01.000 --> 00:00:04.000
<v Tom>What will you take home?

00:00:05.000 --> 00:00:09.000
<v Writer Person>A named officer in every department.
"""


def researcher_client(app: Flask, study: Study, who: str = "researcher"):
    client = app.test_client()
    sign_in(client, study.users[who])
    return client


def code_id(key: str) -> int:
    return db.session.scalar(db.select(Code.id).where(Code.default_key == key))


def test_an_interview_transcript_is_imported_with_times_and_speakers(
    app: Flask, study: Study
) -> None:
    client = researcher_client(app, study, "visit_researcher")
    response = client.post(
        f"/visits/{study.visit.id}/interviews/new",
        data={
            "person_id": str(study.users["writer"].person_id),
            "phase": "after",
            "interviewed_on": "2016-12-09",
            "video_reference": "interviews/writer.mp4",
            "consent": "pseudonymised",
            "transcript": (io.BytesIO(VTT), "writer.vtt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    interview = db.session.scalar(db.select(Reflection))
    assert interview.source is ReflectionSource.INTERVIEW and not interview.is_draft
    assert [(p.speaker, p.starts_ms, p.ends_ms) for p in interview.passages] == [
        ("Tom", 1000, 4000),
        ("Writer Person", 5000, 9000),
    ]
    # The interviewee chose a pseudonym: researchers do not see their name on the page.
    page = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Writer Person" not in page and "0:00:05–0:00:09" in page
    # ... and the interviewee reads, and may delete, what was said.
    writer = app.test_client()
    sign_in(writer, study.users["writer"])
    assert writer.get(response.headers["Location"]).status_code == 200


def test_a_broken_transcript_is_refused_and_nothing_is_stored(app: Flask, study: Study) -> None:
    client = researcher_client(app, study)
    for upload, message in [
        ((io.BytesIO(b"WEBVTT\n\nno cues at all"), "x.vtt"), "holds no text we can read"),
        ((io.BytesIO("é".encode("latin-1") * 10), "x.srt"), "not text in UTF-8"),
        ((io.BytesIO(b""), ""), "Choose a transcript file or paste the transcript"),
    ]:
        response = client.post(
            f"/visits/{study.visit.id}/interviews/new",
            data={
                "person_id": str(study.users["writer"].person_id),
                "phase": "after",
                "interviewed_on": "2016-12-09",
                "consent": "named",
                "transcript": upload,
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 0


def test_coding_a_few_words_or_the_whole_passage_without_javascript(
    app: Flask, study: Study
) -> None:
    reflection = study.reflection(Consent.NAMED)
    passage = reflection.passages[0]
    client = researcher_client(app, study)
    url = f"/visits/{study.visit.id}/reflections/{reflection.id}/passages/{passage.id}/code"
    words = client.post(url, data={"code_id": code_id("resourcing"), "quote": " named PB officer "})
    assert words.status_code == 302
    whole = client.post(url, data={"code_id": code_id("applied"), "quote": ""})
    assert whole.status_code == 302
    again = client.post(url, data={"code_id": code_id("applied"), "quote": ""})
    assert "already applied" in client.get(again.headers["Location"]).get_data(as_text=True)
    missing = client.post(url, data={"code_id": code_id("equality"), "quote": "not in it"})
    assert missing.status_code == 400
    assert "These words are not in the passage" in missing.get_data(as_text=True)
    segments = db.session.scalars(db.select(CodedSegment).order_by(CodedSegment.id)).all()
    assert [segment.quote for segment in segments] == ["named PB officer", passage.text]
    page = visible_text(
        client.get(f"/visits/{study.visit.id}/reflections/{reflection.id}").get_data(as_text=True)
    )
    coder = study.users["researcher"].display_name
    assert (
        f"Learning themes of the visit › Resourcing : “named PB officer” coded by {coder}" in page
    )
    assert f"Value creation (Wenger-Trayner) › Applied value coded by {coder}" in page


def test_only_the_coder_removes_their_code(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED)
    segment = CodedSegment(
        passage_id=reflection.passages[0].id,
        code_id=code_id("resourcing"),
        coder_id=study.users["researcher"].id,
        char_start=0,
        char_end=5,
    )
    db.session.add(segment)
    db.session.commit()
    url = f"/visits/{study.visit.id}/reflections/{reflection.id}/segments/{segment.id}/delete"
    assert researcher_client(app, study, "visit_researcher").post(url).status_code == 403
    assert researcher_client(app, study).post(url).status_code == 302
    assert db.session.scalar(db.select(db.func.count(CodedSegment.id))) == 0


def test_agreement_between_two_coders_is_shown_per_code(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED, texts=("one", "two", "three", "four"))
    first, second = study.users["researcher"], study.users["visit_researcher"]
    applied = {first: [0, 1], second: [0, 2]}
    for coder, positions in applied.items():
        for position in positions:
            passage = reflection.passages[position]
            db.session.add(
                CodedSegment(
                    passage_id=passage.id,
                    code_id=code_id("resourcing"),
                    coder_id=coder.id,
                    char_start=0,
                    char_end=len(passage.text),
                )
            )
    db.session.commit()
    client = researcher_client(app, study)
    page = visible_text(
        client.get(
            f"/programmes/{study.programme_id}/agreement?first={first.id}&second={second.id}"
        ).get_data(as_text=True)
    )
    # 4 passages: both 1, first only 1, second only 1, neither 1 -> 50 %, kappa 0
    assert "4 passages coded by both." in page
    assert "Learning themes of the visit › Resourcing 1 1 1 1 50 % 0" in page


def test_a_passage_two_coders_coded_counts_once_and_is_quoted_once(
    app: Flask, study: Study
) -> None:
    reflection = study.reflection(Consent.QUOTABLE)
    passage = reflection.passages[0]
    for coder, end in ((study.users["researcher"], 24), (study.users["visit_researcher"], 50)):
        db.session.add(
            CodedSegment(
                passage_id=passage.id,
                code_id=code_id("resourcing"),
                coder_id=coder.id,
                char_start=0,
                char_end=end,
            )
        )
    db.session.commit()
    client = researcher_client(app, study)
    resourcing = code_id("resourcing")

    themes = visible_text(
        client.get(f"/programmes/{study.programme_id}/themes").get_data(as_text=True)
    )
    theme = client.get(f"/programmes/{study.programme_id}/themes/{resourcing}")
    report = visible_text(client.get(f"/visits/{study.visit.id}/report").get_data(as_text=True))

    assert "Resourcing 1 1" in themes
    assert "1 quote, from 1 person." in visible_text(theme.get_data(as_text=True))
    assert (
        theme.get_data(as_text=True).count("Paris has a named PB officer in every department.") == 1
    )
    assert report.count("Paris has a named PB officer in every department.") == 1


def test_the_codebook_grows_and_is_exported_as_refi_qda(app: Flask, study: Study) -> None:
    client = researcher_client(app, study)
    themes = code_id("themes")
    added = client.post(
        f"/programmes/{study.programme_id}/codebook",
        data={"name": "Youth volunteers", "definition": "16 to 25 year olds.", "parent_id": themes},
    )
    assert added.status_code == 302
    blank = client.post(f"/programmes/{study.programme_id}/codebook", data={"name": ""})
    assert blank.status_code == 400
    export = client.get(f"/programmes/{study.programme_id}/codebook.qdc")
    assert export.headers["Content-Disposition"].endswith('.qdc"')
    book = ET.fromstring(export.data)  # noqa: S314
    assert book.tag == f"{QDC}CodeBook"
    roots = book.findall(f"{QDC}Codes/{QDC}Code")
    assert [root.get("name") for root in roots] == [
        "Learning themes of the visit",
        "Value creation (Wenger-Trayner)",
        "Kirkpatrick levels",
        "PB Charter for Scotland",
    ]
    themes_element = roots[0]
    children = themes_element.findall(f"{QDC}Code")
    assert children[-1].get("name") == "Youth volunteers"
    assert children[-1].find(f"{QDC}Description").text == "16 to 25 year olds."
    # The schema puts a code's Description before the codes under it.
    assert list(themes_element)[0].tag == f"{QDC}Description"
    guids = [element.get("guid") for element in book.iter(f"{QDC}Code")]
    assert len(set(guids)) == len(guids) == 29
    assert all(uuid.UUID(guid) for guid in guids)
    assert all(element.get("isCodable") == "true" for element in book.iter(f"{QDC}Code"))
    # The same codes keep the same GUIDs from one export to the next.
    again = ET.fromstring(  # noqa: S314
        client.get(f"/programmes/{study.programme_id}/codebook.qdc").data
    )
    assert [element.get("guid") for element in again.iter(f"{QDC}Code")] == guids


def test_renaming_a_default_code_keeps_the_words_in_every_language(
    app: Flask, study: Study
) -> None:
    client = researcher_client(app, study)
    resourcing = code_id("resourcing")
    response = client.post(
        f"/programmes/{study.programme_id}/codebook/{resourcing}",
        data={
            "name": "Staffing",
            "definition": "Who does the work.",
            "parent_id": code_id("themes"),
        },
    )
    assert response.status_code == 302
    code = db.session.get(Code, resourcing)
    assert (code.name, code.default_key) == ("Staffing", None)
    # A code cannot be moved under itself or under a code below it.
    looping = client.post(
        f"/programmes/{study.programme_id}/codebook/{code_id('themes')}",
        data={"name": "Themes", "parent_id": resourcing},
    )
    assert looping.status_code == 400


def test_a_code_in_use_cannot_be_deleted(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED)
    db.session.add(
        CodedSegment(
            passage_id=reflection.passages[0].id,
            code_id=code_id("resourcing"),
            coder_id=study.users["researcher"].id,
            char_start=0,
            char_end=5,
        )
    )
    db.session.commit()
    client = researcher_client(app, study)
    client.post(f"/programmes/{study.programme_id}/codebook/{code_id('themes')}/delete")
    assert code_id("themes") is not None
    client.post(f"/programmes/{study.programme_id}/codebook/{code_id('equality')}/delete")
    assert code_id("equality") is None
    names = [line.name for line in programme_codes(db.session, study.programme_id)]
    assert "Equality and diversity" not in names and "Resourcing" in names


def test_coded_segments_export_for_spreadsheets_and_qda_tools(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.QUOTABLE, texts=("=SUM(A1) is not a formula here",))
    db.session.add(
        CodedSegment(
            passage_id=reflection.passages[0].id,
            code_id=code_id("resourcing"),
            coder_id=study.users["researcher"].id,
            char_start=0,
            char_end=8,
        )
    )
    db.session.commit()
    client = researcher_client(app, study)
    body = client.get(f"/programmes/{study.programme_id}/coded-segments.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["code_path"] == "Learning themes of the visit > Resourcing"
    assert row["quote"] == "'=SUM(A1)"
    assert row["participant"].startswith("P-")
    assert row["organisation"] == "Glasgow City Council"


def test_a_theme_someone_rated_cannot_be_deleted(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.PRIVATE, phase=Phase.BEFORE)
    db.session.add(SelfRating(reflection_id=reflection.id, code_id=code_id("equality"), score=2))
    db.session.commit()
    client = researcher_client(app, study)
    client.post(f"/programmes/{study.programme_id}/codebook/{code_id('equality')}/delete")
    assert code_id("equality") is not None
    assert db.session.scalar(db.select(db.func.count(SelfRating.id))) == 1

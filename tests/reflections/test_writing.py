"""Participants write their reflections: drafts, submission, self-ratings against the baseline,
their own copy, and deleting them."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from flask import Flask

from cop.extensions import db
from cop.reflections.logic import guide_questions, learning_themes
from cop.reflections.models import Consent, Phase, QuestionKind, Reflection
from cop.research.models import Code, CodedSegment
from tests.conftest import sign_in, visible_text
from tests.reflections.conftest import Study


def question_id(study: Study, phase: Phase, key: str) -> int:
    return next(
        q.id for q in guide_questions(db.session, study.visit.id, phase) if q.default_key == key
    )


def test_a_draft_stays_private_until_it_is_submitted(app: Flask, study: Study) -> None:
    client = app.test_client()
    sign_in(client, study.users["writer"])
    url = f"/visits/{study.visit.id}/reflections/new?phase=before"
    form = client.get(url)
    assert "What do you expect to learn from this visit?" in form.get_data(as_text=True)
    expectations = question_id(study, Phase.BEFORE, "expectations")
    response = client.post(
        url,
        data={
            f"answer_{expectations}": "How Paris scaled PB up.",
            "consent": "named",
            "save_draft": "1",
        },
    )
    assert response.status_code == 302
    draft = db.session.scalar(db.select(Reflection))
    assert draft.is_draft and draft.passages[0].text == "How Paris scaled PB up."
    researcher = app.test_client()
    sign_in(researcher, study.users["researcher"])
    assert researcher.get(f"/visits/{study.visit.id}/reflections/{draft.id}").status_code == 403
    # Asking for the phase again goes back to the draft rather than starting a second one.
    again = client.get(url)
    assert again.headers["Location"].endswith(f"/reflections/{draft.id}/edit")
    submitted = client.post(
        f"/visits/{study.visit.id}/reflections/{draft.id}/edit",
        data={
            f"answer_{expectations}": "How Paris scaled PB up, and at what cost.",
            "consent": "named",
            "submit_reflection": "1",
        },
    )
    assert submitted.status_code == 302
    db.session.refresh(draft)
    assert not draft.is_draft
    assert draft.passages[0].text.endswith("at what cost.")
    assert researcher.get(f"/visits/{study.visit.id}/reflections/{draft.id}").status_code == 200
    # Submitted is final: editing is refused with an explanation.
    late = client.get(f"/visits/{study.visit.id}/reflections/{draft.id}/edit")
    assert late.status_code == 302


def test_an_empty_reflection_cannot_be_submitted(app: Flask, study: Study) -> None:
    client = app.test_client()
    sign_in(client, study.users["writer"])
    response = client.post(
        f"/visits/{study.visit.id}/reflections/new?phase=after",
        data={"consent": "private", "submit_reflection": "1"},
    )
    assert response.status_code == 400
    assert "Answer at least one question" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 0


def test_self_ratings_after_the_visit_are_read_against_the_baseline(
    app: Flask, study: Study
) -> None:
    themes = learning_themes(db.session, study.programme_id)
    mainstreaming = next(t for t in themes if t.default_key == "mainstreaming")
    client = app.test_client()
    sign_in(client, study.users["writer"])
    client.post(
        f"/visits/{study.visit.id}/reflections/new?phase=before",
        data={f"rating_{mainstreaming.id}": "2", "consent": "private", "submit_reflection": "1"},
    )
    after_form = client.get(f"/visits/{study.visit.id}/reflections/new?phase=after")
    assert "before the visit: 2" in visible_text(after_form.get_data(as_text=True))
    learning = question_id(study, Phase.AFTER, "learning")
    client.post(
        f"/visits/{study.visit.id}/reflections/new?phase=after",
        data={
            f"rating_{mainstreaming.id}": "4",
            f"answer_{learning}": "A central team and named officers.",
            "satisfaction": "5",
            "consent": "private",
            "submit_reflection": "1",
        },
    )
    after = db.session.scalar(db.select(Reflection).where(Reflection.phase == Phase.AFTER))
    assert after.satisfaction == 5
    page = visible_text(
        client.get(f"/visits/{study.visit.id}/reflections/{after.id}").get_data(as_text=True)
    )
    assert "Mainstreaming PB 2 4 +2" in page


def test_only_participants_and_leads_write_reflections(app: Flask, study: Study) -> None:
    for role, status in [("host", 403), ("visit_researcher", 403), ("lead", 200)]:
        client = app.test_client()
        sign_in(client, study.users[role])
        url = f"/visits/{study.visit.id}/reflections/new?phase=before"
        assert client.get(url).status_code == status, role


def test_an_unknown_phase_is_not_found(app: Flask, study: Study) -> None:
    client = app.test_client()
    sign_in(client, study.users["writer"])
    url = f"/visits/{study.visit.id}/reflections/new?phase=next-year"
    assert client.get(url).status_code == 404


def test_people_download_everything_they_reflected_and_what_was_coded(
    app: Flask, study: Study
) -> None:
    reflection = study.reflection(Consent.NAMED)
    theme = db.session.scalar(db.select(Code).where(Code.default_key == "resourcing"))
    passage = reflection.passages[0]
    db.session.add(
        CodedSegment(
            passage_id=passage.id,
            code_id=theme.id,
            coder_id=study.users["researcher"].id,
            char_start=0,
            char_end=5,
        )
    )
    db.session.commit()
    client = app.test_client()
    sign_in(client, study.users["writer"])
    response = client.get("/reflections/mine.json")
    data = json.loads(response.get_data(as_text=True))
    assert response.headers["Content-Disposition"].startswith("attachment")
    [mine] = data["reflections"]
    assert mine["consent"] == "named"
    assert mine["passages"][0]["codes"] == [{"code": "Resourcing", "quote": "Paris"}]


def test_deleting_a_reflection_takes_its_codes_with_it(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED)
    other = study.reflection(Consent.NAMED, writer="colleague")
    theme = db.session.scalar(db.select(Code).where(Code.default_key == "resourcing"))
    for passage in (reflection.passages[0], other.passages[0]):
        db.session.add(
            CodedSegment(
                passage_id=passage.id,
                code_id=theme.id,
                coder_id=study.users["researcher"].id,
                char_start=0,
                char_end=5,
            )
        )
    db.session.commit()
    colleague = app.test_client()
    sign_in(colleague, study.users["colleague"])
    url = f"/visits/{study.visit.id}/reflections/{reflection.id}/delete"
    assert colleague.post(url).status_code == 403
    client = app.test_client()
    sign_in(client, study.users["writer"])
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Reflection, reflection.id) is None
    assert db.session.scalar(db.select(db.func.count(CodedSegment.id))) == 1


def test_deleting_all_ones_reflections_needs_a_confirmation(app: Flask, study: Study) -> None:
    study.reflection(Consent.NAMED)
    study.reflection(Consent.PRIVATE, phase=Phase.BEFORE)
    kept = study.reflection(Consent.NAMED, writer="colleague")
    client = app.test_client()
    sign_in(client, study.users["writer"])
    unconfirmed = client.post("/reflections/delete", data={})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 3
    confirmed = client.post("/reflections/delete", data={"confirm": "y"})
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(db.select(Reflection.id)).all() == [kept.id]


def test_the_guide_can_be_reworded_per_visit_and_defaults_follow_the_language(
    app: Flask, study: Study
) -> None:
    expectations = question_id(study, Phase.BEFORE, "expectations")
    lead = app.test_client()
    sign_in(lead, study.users["lead"])
    guide = lead.get(f"/visits/{study.visit.id}/guide")
    assert guide.status_code == 200
    french = app.test_client()
    sign_in(french, study.users["writer"])
    french.post("/language", data={"language": "fr"})
    form = french.get(f"/visits/{study.visit.id}/reflections/new?phase=before")
    assert "Qu’espérez-vous apprendre de cette visite ?" in form.get_data(as_text=True)
    lead.post(
        f"/visits/{study.visit.id}/guide/{expectations}",
        data={"text": "What should Glasgow learn from Paris?", "save": "1"},
    )
    form = french.get(f"/visits/{study.visit.id}/reflections/new?phase=before")
    assert "What should Glasgow learn from Paris?" in form.get_data(as_text=True)
    blank = lead.post(
        f"/visits/{study.visit.id}/guide/{expectations}", data={"text": "", "save": "1"}
    )
    assert blank.status_code == 400
    added = lead.post(
        f"/visits/{study.visit.id}/guide",
        data={"phase": "during", "kind": "text", "text": "Whom did you meet?"},
    )
    assert added.status_code == 302
    during = guide_questions(db.session, study.visit.id, Phase.DURING)
    assert during[-1].text == "Whom did you meet?" and during[-1].kind is QuestionKind.TEXT
    lead.post(f"/visits/{study.visit.id}/guide/{during[-1].id}", data={"move_up": "1"})
    db.session.expire_all()
    reordered = guide_questions(db.session, study.visit.id, Phase.DURING)
    assert reordered[-2].text == "Whom did you meet?"
    lead.post(f"/visits/{study.visit.id}/guide/{during[-1].id}", data={"remove": "1"})
    db.session.expire_all()
    assert all(
        q.text != "Whom did you meet?"
        for q in guide_questions(db.session, study.visit.id, Phase.DURING)
    )
    participant = app.test_client()
    sign_in(participant, study.users["colleague"])
    assert participant.get(f"/visits/{study.visit.id}/guide").status_code == 403


def test_a_draft_with_ratings_can_be_saved_again_and_submitted(app: Flask, study: Study) -> None:
    themes = learning_themes(db.session, study.programme_id)
    client = app.test_client()
    sign_in(client, study.users["writer"])
    url = f"/visits/{study.visit.id}/reflections/new?phase=before"
    client.post(url, data={f"rating_{themes[0].id}": "2", "consent": "named", "save_draft": "1"})
    draft = db.session.scalar(db.select(Reflection))
    edit = f"/visits/{study.visit.id}/reflections/{draft.id}/edit"
    response = client.post(
        edit,
        data={
            f"rating_{themes[0].id}": "3",
            f"rating_{themes[1].id}": "1",
            "consent": "named",
            "submit_reflection": "1",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    scores = {
        rating.code_id: rating.score for rating in db.session.get(Reflection, draft.id).ratings
    }
    assert scores == {themes[0].id: 3, themes[1].id: 1}


def test_the_first_reflection_on_a_new_visit_keeps_its_answers(app: Flask, make) -> None:
    # No guide and no codebook yet: the first form seeds them, and the answers must match them.
    programme_id = make.programme().id
    visit = make.visit(programme_id=programme_id)
    writer = make.user()
    make.member(visit, writer.person)
    client = app.test_client()
    sign_in(client, writer)
    url = f"/visits/{visit.id}/reflections/new?phase=before"
    form = client.get(url).get_data(as_text=True)
    # What a real server does at the end of each request (the tests share one app context).
    db.session.remove()
    expectations = question_id_in(form, "What do you expect to learn from this visit?")
    theme = learning_themes(db.session, programme_id)[0]
    response = client.post(
        url,
        data={
            expectations: "How Paris scaled PB up.",
            f"rating_{theme.id}": "3",
            "consent": "private",
            "submit_reflection": "1",
        },
    )
    assert response.status_code == 302
    reflection = db.session.scalar(db.select(Reflection))
    assert [p.text for p in reflection.passages] == ["How Paris scaled PB up."]
    assert [r.score for r in reflection.ratings] == [3]


def question_id_in(html: str, question: str) -> str:
    """The name of the answer field labelled with this question, as the browser would send it."""
    label = re.search(r'<label class="label" for="(answer_\d+)">' + re.escape(question), html)
    assert label, question
    return label.group(1)


def test_an_after_reflection_before_the_visit_has_ended_is_questioned_not_lost(
    app: Flask, study: Study
) -> None:
    study.visit.start_date = date.today() - timedelta(days=1)
    study.visit.end_date = date.today() + timedelta(days=2)
    db.session.commit()
    client = app.test_client()
    sign_in(client, study.users["writer"])
    url = f"/visits/{study.visit.id}/reflections/new?phase=after"
    learning = question_id(study, Phase.AFTER, "learning")
    answers = {f"answer_{learning}": "Named officers.", "consent": "named"}

    page = visible_text(client.get(url).get_data(as_text=True))
    asked = client.post(url, data={**answers, "submit_reflection": "1"})

    assert "This reflection is for after the visit, which ends on" in page
    assert asked.status_code == 400
    assert "Confirm that you are submitting it now, or save a draft." in asked.get_data(
        as_text=True
    )
    assert "Named officers." in asked.get_data(as_text=True)  # the answer is still there
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 0

    confirmed = client.post(url, data={**answers, "confirm_timing": "y", "submit_reflection": "1"})
    assert confirmed.status_code == 302
    assert not db.session.scalar(db.select(Reflection)).is_draft


def test_a_draft_is_saved_whenever_it_is_written(app: Flask, study: Study) -> None:
    study.visit.end_date = date.today() + timedelta(days=2)
    db.session.commit()
    client = app.test_client()
    sign_in(client, study.users["writer"])
    learning = question_id(study, Phase.AFTER, "learning")

    response = client.post(
        f"/visits/{study.visit.id}/reflections/new?phase=after",
        data={f"answer_{learning}": "Named officers.", "consent": "named", "save_draft": "1"},
    )

    assert response.status_code == 302
    assert db.session.scalar(db.select(Reflection)).is_draft

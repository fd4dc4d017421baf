"""Network survey waves: the name generator answered through personal links."""

from __future__ import annotations

import re

import pytest

from cop.demo import load_demo
from cop.extensions import db
from cop.network.analysis import build_graph
from cop.network.loading import load_scope
from cop.network.models import SurveyAnswer, SurveyRespondent, SurveyWave
from tests.conftest import sign_in, visible_text
from tests.mailserver import MailServer


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def config_overrides(mail_server) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_server.port}


@pytest.fixture
def demo(app):
    load_demo(db.session)
    db.session.commit()


def link_of(message) -> str:
    return re.search(r"http://\S+/survey/\S+", message.get_content()).group(0).split("5000", 1)[1]


def test_a_wave_asks_everyone_and_answers_become_weighted_ties(app, client, demo, mail_server):
    sign_in(client, "researcher@wws.example", "cop-demo")
    response = client.post(
        "/programmes/1/surveys/new",
        data={"title": "Follow-up at 12 months", "asked_on": "2017-12-08", "months": "3"},
    )
    assert response.status_code == 302
    wave = db.session.scalar(db.select(SurveyWave))
    assert len(wave.respondents) == 14 and len(mail_server.messages) == 14
    french = next(m for m in mail_server.messages if m["To"] == "hote@paris.example")
    assert french["Subject"].startswith("Avec qui avez-vous été en contact")

    host = app.test_client()
    page = host.get(link_of(french)).get_data(as_text=True)
    assert '<html lang="fr">' in page and "Eilidh Robertson (Fife Council)" in page
    respondent = db.session.scalar(
        db.select(SurveyRespondent)
        .join(SurveyRespondent.person)
        .filter_by(email="hote@paris.example")
    )
    fife = next(m.person for m in wave.respondents if m.person.email == "participant@fife.example")
    response = host.post(
        link_of(french),
        data={f"person_{fife.id}": "monthly"},
    )
    assert response.status_code == 302
    answers = db.session.scalars(
        db.select(SurveyAnswer).filter_by(respondent_id=respondent.id)
    ).all()
    assert [(a.named_person_id, a.frequency.weight) for a in answers] == [(fife.id, 2)]

    scope = load_scope(db.session, 1, ("survey",))
    graph = build_graph(scope.people, scope.ties)
    assert graph[respondent.person_id][fife.id]["weight"] == 2

    client.post(f"/programmes/1/surveys/{wave.id}/close")
    # A closed wave takes no more answers: the link has stopped working.
    assert host.post(link_of(french), data={}).status_code == 410
    text = visible_text(client.get(f"/programmes/1/surveys/{wave.id}").get_data(as_text=True))
    assert "1 of 14 people have answered." in text and "Closed" in text


def test_a_broken_survey_link_is_explained(client) -> None:
    assert client.get("/survey/nonsense").status_code == 400

"""Writing to a host never waits on the translation service: the words are kept as a draft, the
page answers at once, and a real `cop worker` translates the draft and back for the writer to
check before sending."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from cop.correspondence.models import Direction, Draft, DraftState, Message, Thread
from cop.extensions import db
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text
from tests.test_queue import wait_until
from tests.workers import start_worker, stopped_later

__all__ = ["stopped_later"]


@pytest.fixture
def config_overrides(tmp_path: Path, libre) -> dict:
    return {"QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite'}", "TRANSLATION_URL": libre.url}


@pytest.fixture
def exchange(make: Factory):
    """A visit to Lyon from nothing: a lead from Fife writes to the French host."""
    lead = make.user("lead@fife.example", locale="en")
    host = make.person(name="Camille Roux", email="hote@lyon.example", preferred_language="fr")
    visit = make.visit(title="Visit to Lyon", host_city="Lyon", languages="en,fr")
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, host, MembershipRole.HOST)
    thread = Thread(visit_id=visit.id, subject="Our visit", counterpart_person_id=host.id)
    db.session.add(thread)
    db.session.commit()
    return visit.id, lead, host.id, thread.id


def write(client, visit_id: int, thread_id: int, data: dict):
    return client.post(f"/visits/{visit_id}/correspondence/{thread_id}/write", data=data)


def test_the_page_answers_before_any_translation_then_a_worker_translates(
    app: Flask, client, exchange, libre, tmp_path: Path, stopped_later
) -> None:
    visit_id, lead, host_id, thread_id = exchange
    sign_in(client, lead)
    response = write(
        client,
        visit_id,
        thread_id,
        {
            "recipient_id": str(host_id),
            "language": "en",
            "body": "Hello team",
            "action": "translate",
        },
    )
    assert response.status_code == 200
    page = visible_text(response.get_data(as_text=True))
    assert "Your message is kept, and its translation is on its way." in page
    assert "Hello team" in response.get_data(as_text=True)
    assert libre.calls == []  # nothing was asked of the translation service in the request
    draft = db.session.scalar(db.select(Draft))
    assert (draft.body, draft.state) == ("Hello team", DraftState.WAITING)
    draft_id = draft.id

    stopped_later.append(start_worker(app, tmp_path, TRANSLATION_URL=libre.url))

    def translated() -> bool:
        db.session.remove()
        return db.session.get(Draft, draft_id).state is DraftState.TRANSLATED

    assert wait_until(translated, timeout=60)
    shown = client.get(f"/visits/{visit_id}/correspondence/{thread_id}/write?draft={draft_id}")
    page = visible_text(shown.get_data(as_text=True))
    assert "(fr) bonjour équipe" in page
    assert "Translated back into your language" in page and "(en) (fr) hello team" in page

    sent = write(
        client,
        visit_id,
        thread_id,
        {
            "recipient_id": str(host_id),
            "language": "en",
            "body": "Hello team",
            "translation": "(fr) bonjour équipe",
            "machine_translation": "(fr) bonjour équipe",
            "draft_id": str(draft_id),
            "action": "send",
        },
    )
    assert sent.status_code == 302
    message = db.session.scalar(db.select(Message).filter_by(direction=Direction.OUTBOUND))
    assert message.body == "Hello team"
    assert message.translations[0].text == "(fr) bonjour équipe"
    assert db.session.get(Draft, draft_id) is None


def test_a_draft_is_its_writers_own(app: Flask, make: Factory, exchange) -> None:
    visit_id, lead, host_id, thread_id = exchange
    writer = app.test_client()
    sign_in(writer, lead)
    write(
        writer,
        visit_id,
        thread_id,
        {
            "recipient_id": str(host_id),
            "language": "en",
            "body": "Private words",
            "action": "translate",
        },
    )
    draft_id = db.session.scalar(db.select(Draft.id))
    other_lead = make.user("other@fife.example")
    from cop.visits.models import Visit

    make.member(db.session.get(Visit, visit_id), other_lead.person, MembershipRole.LEAD)
    other = app.test_client()
    sign_in(other, other_lead)
    url = f"/visits/{visit_id}/correspondence/{thread_id}/write?draft={draft_id}"
    assert other.get(url).status_code == 404
    assert "Private words" in writer.get(url).get_data(as_text=True)

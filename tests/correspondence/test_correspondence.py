"""Correspondence with hosts: every message kept as written and in translation, and nothing lost
when the translation service fails."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cop.correspondence.models import Message, MessageTranslation, Thread
from cop.database import utcnow
from cop.extensions import db
from cop.retrying import backoff
from cop.translation.models import MemoryEntry, TranslationStatus
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text

HOST_MAIL = "Bonjour,\n\nMerci pour la visite. Réunion avec le conseil de quartier le 8 décembre."


@pytest.fixture
def config_overrides(libre) -> dict:
    return {"TRANSLATION_URL": libre.url, "TRANSLATION_TIMEOUT": 0.5}


def visit_with_lead(make: Factory):
    lead = make.user()
    visit = make.visit(languages="en,fr")
    make.member(visit, lead.person, MembershipRole.LEAD)
    thread = Thread(visit_id=visit.id, subject="Dates of the visit")
    db.session.add(thread)
    db.session.commit()
    return visit, lead, thread


def post_message(client, visit, thread, body=HOST_MAIL, language="auto"):
    return client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}",
        data={"author_name": "Claire Dubois", "language": language, "body": body},
    )


def test_a_received_message_is_kept_and_shown_beside_its_translation(client, make, libre) -> None:
    visit, lead, thread = visit_with_lead(make)
    sign_in(client, lead)
    assert post_message(client, visit, thread).status_code == 302
    message = db.session.scalar(db.select(Message))
    assert (message.language, message.body) == ("fr", HOST_MAIL)
    [translation] = message.translations
    assert translation.status == TranslationStatus.MACHINE
    assert "thank you" in translation.text and "(en)" in translation.text
    text = visible_text(
        client.get(f"/visits/{visit.id}/correspondence/{thread.id}").get_data(as_text=True)
    )
    assert "Merci pour la visite." in text and "Machine translation" in text


@pytest.mark.parametrize("mode", ["500", "403", "429", "hang", "empty", "garbage"])
def test_a_failing_service_never_loses_the_message(client, make, libre, mode) -> None:
    visit, lead, thread = visit_with_lead(make)
    sign_in(client, lead)
    libre.mode = mode
    response = post_message(client, visit, thread)
    assert response.status_code == 302
    message = db.session.scalar(db.select(Message))
    assert message.body == HOST_MAIL
    [translation] = message.translations
    assert translation.status == TranslationStatus.PENDING and translation.failure_reason
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The message is saved; its translation is waiting" in page

    libre.mode = "ok"
    client.post(f"/visits/{visit.id}/correspondence/{thread.id}/retry")
    db.session.refresh(translation)
    assert translation.status == TranslationStatus.MACHINE
    assert db.session.scalar(db.select(db.func.count(MessageTranslation.id))) == 1


def test_cop_translate_pending_retries_with_backoff_and_makes_no_duplicates(app, make, libre):
    visit, lead, thread = visit_with_lead(make)
    client = app.test_client()
    sign_in(client, lead)
    libre.mode = "500"
    post_message(client, visit, thread)
    translation = db.session.scalar(db.select(MessageTranslation))
    assert translation.next_attempt_at > utcnow()
    runner = app.test_cli_runner()
    assert "0 translated, 0 still waiting" in runner.invoke(args=["translate-pending"]).output
    translation.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "0 translated, 1 still waiting" in runner.invoke(args=["translate-pending"]).output
    db.session.refresh(translation)
    assert translation.attempts == 2
    libre.mode = "ok"
    translation.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "1 translated, 0 still waiting" in runner.invoke(args=["translate-pending"]).output
    assert db.session.scalar(db.select(db.func.count(MessageTranslation.id))) == 1


def test_a_reviewed_translation_goes_into_the_memory(client, make, libre) -> None:
    visit, lead, thread = visit_with_lead(make)
    sign_in(client, lead)
    post_message(client, visit, thread)
    translation = db.session.scalar(db.select(MessageTranslation))
    reviewed = (
        "Hello,\n\nThank you for the visit. Meeting with the neighbourhood council on 8 December."
    )
    response = client.post(
        f"/visits/{visit.id}/correspondence/translations/{translation.id}", data={"text": reviewed}
    )
    assert response.status_code == 302
    db.session.refresh(translation)
    assert translation.status == TranslationStatus.REVIEWED
    assert (
        db.session.scalar(db.select(db.func.count(MemoryEntry.id).filter(MemoryEntry.reviewed)))
        == 2
    )
    calls = len(libre.calls)
    other = Thread(visit_id=visit.id, subject="Again")
    db.session.add(other)
    db.session.commit()
    post_message(client, visit, other)
    again = db.session.scalar(db.select(MessageTranslation).order_by(MessageTranslation.id.desc()))
    assert again.text == reviewed and len(libre.calls) == calls


def test_retries_back_off() -> None:
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3)] == [1, 2, 4]
    assert backoff(50) == timedelta(hours=6)

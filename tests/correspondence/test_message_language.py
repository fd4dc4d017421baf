"""A message's language is told from its text; when cop cannot tell (short, or in two
languages), a reader chooses it, and only then is it translated. Nothing typed is lost."""

from __future__ import annotations

import io

import pytest

from cop.correspondence.models import Message
from cop.extensions import db
from tests.conftest import sign_in, visible_text
from tests.correspondence.test_correspondence import visit_with_lead
from tests.correspondence.test_mail_files import mail


@pytest.fixture
def config_overrides(libre) -> dict:
    return {"TRANSLATION_URL": libre.url, "TRANSLATION_TIMEOUT": 0.5}


def thread_page(client, visit, thread) -> str:
    return visible_text(
        client.get(f"/visits/{visit.id}/correspondence/{thread.id}").get_data(as_text=True)
    )


def test_a_short_pasted_message_asks_for_its_language_and_keeps_what_was_typed(
    client, make, libre
) -> None:
    visit, lead, thread = visit_with_lead(make)
    sign_in(client, lead)

    response = client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}",
        data={"author_name": "Claire Dubois", "language": "auto", "body": "OK !"},
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cop cannot tell the language of this text" in visible_text(page)
    assert "OK !</textarea>" in page and 'value="Claire Dubois"' in page
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0
    chosen = client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}",
        data={"author_name": "Claire Dubois", "language": "fr", "body": "OK !"},
    )
    assert chosen.status_code == 302
    assert db.session.scalar(db.select(Message.language)) == "fr"


def test_a_pasted_message_long_enough_is_told_and_translated(client, make, libre) -> None:
    visit, lead, thread = visit_with_lead(make)
    sign_in(client, lead)
    body = "Dear Claire, thank you for the agenda; we will arrive on Monday morning."

    client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}",
        data={"author_name": "Morag", "language": "auto", "body": body},
    )

    message = db.session.scalar(db.select(Message))
    assert message.language == "en"
    assert [t.target_language for t in message.translations] == ["fr"]


def test_an_imported_mail_of_unknown_language_waits_for_a_reader_to_say(
    client, make, libre
) -> None:
    visit, lead, thread = visit_with_lead(make)
    sign_in(client, lead)

    response = client.post(
        f"/visits/{visit.id}/correspondence/import",
        data={"mail": (io.BytesIO(mail("OK, vu.")), "mail.eml")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    told = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "cop cannot tell the language of 1 message" in told
    message = db.session.scalar(db.select(Message))
    assert message.language == "und" and message.translations == []
    assert libre.calls == []  # nothing is translated from a language nobody named
    page = thread_page(client, visit, message.thread)
    assert "As written (language not known)" in page and "OK, vu." in page
    assert "Save the language and translate" in page

    url = f"/visits/{visit.id}/correspondence/{message.thread_id}/messages/{message.id}/language"
    refused = client.post(url, data={f"message-{message.id}-language": "de"})
    assert refused.status_code == 400
    assert "Not a valid choice" in visible_text(refused.get_data(as_text=True))
    assert db.session.get(Message, message.id).language == "und"

    saved = client.post(url, data={f"message-{message.id}-language": "fr"})

    assert saved.status_code == 302
    db.session.expire_all()
    message = db.session.get(Message, message.id)
    assert message.language == "fr"
    [translation] = message.translations
    assert translation.target_language == "en" and translation.text
    page = thread_page(client, visit, message.thread)
    assert "As written (French)" in page and "Save the language and translate" not in page


def test_a_message_of_another_thread_or_visit_cannot_be_given_a_language(client, make) -> None:
    visit, lead, thread = visit_with_lead(make)
    other_visit, _other_lead, other_thread = visit_with_lead(make)
    stranger = Message(thread_id=other_thread.id, language="und", body="OK", direction="inbound")
    db.session.add(stranger)
    db.session.commit()
    sign_in(client, lead)

    response = client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}/messages/{stranger.id}/language",
        data={f"message-{stranger.id}-language": "fr"},
    )

    assert response.status_code == 404
    assert db.session.get(Message, stranger.id).language == "und"

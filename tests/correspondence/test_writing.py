"""Writing to a host in one's own language and sending it through the outbox."""

from __future__ import annotations

import pytest

from cop.correspondence.models import Direction, Message, Thread
from cop.extensions import db
from cop.translation.models import TranslationStatus
from cop.visits.models import MembershipRole
from tests.conftest import sign_in, visible_text
from tests.mailserver import MailServer


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def config_overrides(libre, mail_server) -> dict:
    return {
        "TRANSLATION_URL": libre.url,
        "TRANSLATION_TIMEOUT": 0.5,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mail_server.port,
    }


@pytest.fixture
def exchange(make):
    lead = make.user(locale="en")
    host = make.person(name="Claire Dubois", email="hote@paris.example", preferred_language="fr")
    visit = make.visit(languages="en,fr")
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, host, MembershipRole.HOST)
    thread = Thread(visit_id=visit.id, subject="Visite de décembre", counterpart_person_id=host.id)
    db.session.add(thread)
    db.session.flush()
    db.session.add(
        Message(
            thread_id=thread.id,
            direction=Direction.INBOUND,
            language="fr",
            body="Bonjour",
            message_id="<m1@paris.example>",
        )
    )
    db.session.commit()
    return visit, lead, host, thread


def test_writing_shows_the_translation_and_its_back_translation(client, exchange) -> None:
    visit, lead, host, thread = exchange
    sign_in(client, lead)
    response = client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}/write",
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Hello team",
            "action": "translate",
        },
    )
    page = visible_text(response.get_data(as_text=True))
    assert "(fr) bonjour équipe" in page
    assert "Translated back into your language" in page and "(en) (fr) hello team" in page


def test_sending_keeps_both_texts_threads_the_mail_and_uses_the_recipients_language(
    client, exchange, mail_server
) -> None:
    visit, lead, host, thread = exchange
    sign_in(client, lead)
    response = client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}/write",
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Thank you for the meeting.",
            "translation": "Merci pour la réunion.",
            "both_languages": "y",
            "action": "send",
        },
    )
    assert response.status_code == 302
    [mail] = mail_server.messages
    assert mail["To"] == "hote@paris.example"
    assert mail["Subject"] == "Visite de décembre"
    assert mail["In-Reply-To"] == "<m1@paris.example>"
    assert mail["Content-Language"] == "fr"
    body = mail.get_content()
    assert body.startswith("Merci pour la réunion.")
    assert "Le message tel qu’écrit (anglais) :" in body and "Thank you for the meeting." in body
    sent = db.session.scalar(db.select(Message).filter_by(direction=Direction.OUTBOUND))
    assert sent.message_id == mail["Message-ID"]
    [translation] = sent.translations
    assert (translation.text, translation.status) == (
        "Merci pour la réunion.",
        TranslationStatus.REVIEWED,
    )


def test_a_failed_translation_is_explained_and_the_writer_can_still_send(
    client, exchange, libre, mail_server
):
    visit, lead, host, thread = exchange
    sign_in(client, lead)
    libre.mode = "500"
    response = client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}/write",
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Hello",
            "action": "translate",
        },
    )
    assert "The translation could not be made" in response.get_data(as_text=True)
    response = client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}/write",
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Hello",
            "translation": "Bonjour",
            "action": "send",
        },
    )
    assert response.status_code == 302
    assert len(mail_server.messages) == 1


def test_messages_count_in_the_planning_log_and_become_network_ties(client, exchange, mail_server):
    from cop.network.loading import load_scope

    visit, lead, host, thread = exchange
    sign_in(client, lead)
    client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}/write",
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Hello",
            "translation": "Bonjour",
            "action": "send",
        },
    )
    text = visible_text(client.get(f"/visits/{visit.id}/planning").get_data(as_text=True))
    assert "1 messages received and 1 sent; 0 translated by machine, 1 reviewed" in text
    from cop.visits.models import Programme

    programme = Programme(name="Exchange")
    db.session.add(programme)
    visit.programme = programme
    db.session.commit()
    scope = load_scope(db.session, programme.id, ("correspondence",))
    assert [(tie.source, tie.target, tie.kind) for tie in scope.ties] == [
        (lead.person_id, host.id, "correspondence")
    ]


def test_mail_goes_out_in_the_writers_name_answers_come_back_to_them_and_it_is_signed(
    app, client, exchange, mail_server
) -> None:
    visit, lead, host, thread = exchange
    lead.person.name = "Morag Campbell"
    lead.person.job_title = "PB officer"
    db.session.commit()
    sign_in(client, lead)
    client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}/write",
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Thank you.",
            "translation": "Merci.",
            "action": "send",
        },
    )
    [mail] = mail_server.messages
    sender = app.config["MAIL_SENDER"]
    assert mail["From"].addresses[0].display_name == "Morag Campbell"
    assert mail["From"].addresses[0].addr_spec in sender  # the installation's own address
    assert mail["Reply-To"] == lead.email
    body = mail.get_content().replace("\r\n", "\n")
    assert body.endswith("Merci.\n\n-- \nMorag Campbell\nPB officer\n")
    lead.person.signature = "Morag Campbell\nGlasgow City Council\n+44 141 000 0000"
    db.session.commit()
    client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}/write",
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Again, thanks.",
            "translation": "Encore merci.",
            "action": "send",
        },
    )
    assert mail_server.messages[-1].get_content().rstrip().endswith("+44 141 000 0000")


def test_a_subject_in_the_writers_language_is_translated_with_the_body(
    client, exchange, mail_server
) -> None:
    visit, lead, host, _ = exchange
    thread = Thread(visit_id=visit.id, subject="Our visit in December")
    db.session.add(thread)
    db.session.commit()
    sign_in(client, lead)
    write = f"/visits/{visit.id}/correspondence/{thread.id}/write"
    # The thread names no one: the message goes to the visit's host unless the writer chooses.
    page = client.get(write).get_data(as_text=True)
    assert f'<option selected value="{host.id}">Claire Dubois &lt;hote@paris.example&gt;' in page
    translated = client.post(
        write,
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Hello",
            "action": "translate",
        },
    ).get_data(as_text=True)
    # (The test server's French is word for word.)
    assert 'value="(fr) notre visite in décembre"' in translated
    client.post(
        write,
        data={
            "recipient_id": str(host.id),
            "language": "en",
            "body": "Hello",
            "subject_translation": "Notre visite en décembre",
            "translation": "Bonjour",
            "action": "send",
        },
    )
    assert mail_server.messages[-1]["Subject"] == "Notre visite en décembre"
    # A subject the host wrote, in their language, is left as it is (the earlier test).


def sent_translation():
    message = db.session.scalar(
        db.select(Message).filter_by(direction=Direction.OUTBOUND).order_by(Message.id.desc())
    )
    return message.translations[0]


def test_a_machine_translation_sent_unedited_stays_a_machine_translation(
    client, exchange, mail_server
) -> None:
    visit, lead, host, thread = exchange
    sign_in(client, lead)
    write = f"/visits/{visit.id}/correspondence/{thread.id}/write"
    form = {"recipient_id": str(host.id), "language": "en", "body": "Hello team"}
    page = client.post(write, data={**form, "action": "translate"}).get_data(as_text=True)
    assert 'name="machine_translation" type="hidden" value="(fr) bonjour équipe"' in page
    machine = {"translation": "(fr) bonjour équipe", "machine_translation": "(fr) bonjour équipe"}
    client.post(write, data={**form, **machine, "action": "send"})
    unedited = sent_translation()
    assert (unedited.status, unedited.provider, unedited.reviewed_by_id) == (
        TranslationStatus.MACHINE,
        "libretranslate",
        None,
    )
    # Confirmed by the writer, or corrected: checked, and by whom.
    client.post(write, data={**form, **machine, "checked": "y", "action": "send"})
    assert sent_translation().status is TranslationStatus.REVIEWED
    corrected = {**machine, "translation": "Bonjour à toute l’équipe"}
    client.post(write, data={**form, **corrected, "action": "send"})
    checked = sent_translation()
    assert (checked.status, checked.reviewed_by_id) == (
        TranslationStatus.REVIEWED,
        lead.person_id,
    )
    page = visible_text(
        client.get(f"/visits/{visit.id}/correspondence/{thread.id}").get_data(as_text=True)
    )
    assert f"Checked by {lead.person.name}" in page and "Machine translation" in page

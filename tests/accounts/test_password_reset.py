"""Resetting a forgotten password by a link sent by mail, through a real SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cop.database import utcnow
from cop.extensions import db
from cop.links import SignedLink
from cop.mail import OutboxMail
from tests.conftest import sign_in
from tests.mailserver import MailServer


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def config_overrides(mail_server) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_server.port}


def reset_link(message) -> str:
    body = message.get_content()
    return re.search(r"http://\S+/account/reset/\S+", body).group(0)


def test_a_forgotten_password_is_reset_through_the_mailed_link(client, make, mail_server) -> None:
    user = make.user("eilidh@fife.example")
    response = client.post("/account/reset", data={"email": "eilidh@fife.example"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)

    [message] = mail_server.messages
    assert message["To"] == "eilidh@fife.example"
    assert message["Subject"] == "Reset your cop password"
    path = reset_link(message).split("127.0.0.1:5000", 1)[1]

    assert client.get(path).status_code == 200
    response = client.post(
        path, data={"new_password": "fresh and long", "confirm_password": "fresh and long"}
    )
    assert response.status_code == 302
    assert sign_in(client, user, "fresh and long").status_code == 302


def test_the_reset_mail_is_written_in_the_account_holders_language(client, make, mail_server):
    make.user("hote@paris.example", locale="fr")
    client.post("/account/reset", data={"email": "hote@paris.example"})
    [message] = mail_server.messages
    assert message["Subject"] == "Réinitialiser votre mot de passe cop"
    assert message["Content-Language"] == "fr"
    assert "Bonjour" in message.get_content()


def test_a_reset_link_works_only_once(client, make, mail_server) -> None:
    make.user("eilidh@fife.example")
    client.post("/account/reset", data={"email": "eilidh@fife.example"})
    path = reset_link(mail_server.messages[0]).split("127.0.0.1:5000", 1)[1]
    form = {"new_password": "fresh and long", "confirm_password": "fresh and long"}
    assert client.post(path, data=form).status_code == 302
    response = client.post(path, data=form)
    assert response.status_code == 410
    assert "already been used" in response.get_data(as_text=True)


def test_an_expired_reset_link_says_so(client, make, mail_server) -> None:
    make.user("eilidh@fife.example")
    client.post("/account/reset", data={"email": "eilidh@fife.example"})
    link = db.session.scalar(db.select(SignedLink))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    path = reset_link(mail_server.messages[0]).split("127.0.0.1:5000", 1)[1]
    response = client.get(path)
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)


def test_a_tampered_reset_link_is_refused(client, make) -> None:
    response = client.get("/account/reset/not-a-real-token")
    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)


def test_asking_again_replaces_the_earlier_link(client, make, mail_server) -> None:
    make.user("eilidh@fife.example")
    client.post("/account/reset", data={"email": "eilidh@fife.example"})
    client.post("/account/reset", data={"email": "eilidh@fife.example"})
    first, second = (reset_link(m).split("127.0.0.1:5000", 1)[1] for m in mail_server.messages)
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mail_server) -> None:
    response = client.post("/account/reset", data={"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert mail_server.messages == []
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 0


def test_a_malformed_address_is_answered_with_a_clear_message(client) -> None:
    response = client.post("/account/reset", data={"email": "not an address"})
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)

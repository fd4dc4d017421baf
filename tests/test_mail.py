"""The outbox: mail is stored, sent only after commit, kept with its error when sending fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from cop.database import utcnow
from cop.extensions import db
from cop.mail import OutboxMail, language_of, mail_person, queue_mail, site_url
from tests.mailserver import MailServer, free_port


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


def outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id)))


def test_mail_is_sent_only_once_the_change_is_committed(app, make, mail_server) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_server.port)
    user = make.user()
    queue_mail(user.email, "password_reset", "en", user=user, link="http://x/", minutes=60)
    db.session.flush()
    assert mail_server.messages == []
    db.session.commit()
    [message] = mail_server.messages
    assert message["To"] == user.email
    [stored] = outbox()
    assert (stored.status, stored.transport, stored.attempts) == ("sent", "smtp", 1)
    assert message["Message-ID"] == stored.message_id


def test_a_rolled_back_change_sends_nothing(app, make, mail_server) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_server.port)
    user = make.user()
    queue_mail(user.email, "password_reset", "en", user=user, link="http://x/", minutes=60)
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert mail_server.messages == []
    assert outbox() == []


def test_a_failed_send_is_kept_with_its_reason_and_sent_later(app, make) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    user = make.user()
    queue_mail(user.email, "password_reset", "en", user=user, link="http://x/", minutes=60)
    db.session.commit()
    [stored] = outbox()
    assert stored.status == "failed"
    assert "Connection" in stored.last_error or "refused" in stored.last_error.lower()
    # It waits a minute before its next attempt (then 2, 4, 8 ... minutes, at most 6 hours).
    assert timedelta(seconds=50) < stored.next_attempt_at - utcnow() <= timedelta(minutes=1)

    with MailServer() as server:
        app.config["MAIL_PORT"] = server.port
        early = CliRunner().invoke(app.cli, ["send-mail"], obj=None)
        assert "0 sent" in early.output and "1 waiting for their next attempt" in early.output
        db.session.execute(db.update(OutboxMail).values(next_attempt_at=utcnow()))
        db.session.commit()
        result = CliRunner().invoke(app.cli, ["send-mail"], obj=None)
        assert result.exit_code == 0, result.output
        assert "1 sent" in result.output
        assert len(server.messages) == 1
    [stored] = outbox()
    assert (stored.status, stored.attempts, stored.last_error) == ("sent", 2, "")


def test_in_development_mail_is_written_to_the_instance_folder(app, make, tmp_path) -> None:
    app.config.update(MAIL_SERVER="", MAIL_WRITE_TO_FOLDER=True)
    user = make.user()
    queue_mail(user.email, "password_reset", "fr", user=user, link="http://x/", minutes=60)
    db.session.commit()
    [written] = (tmp_path / "instance" / "mail").glob("*.eml")
    text = written.read_text()
    assert "Subject: =?utf-8?" in text or "Subject: R" in text
    assert user.email in text
    [stored] = outbox()
    assert (stored.status, stored.transport) == ("sent", "folder")


def test_without_a_server_or_folder_mail_waits_in_the_outbox(app, make) -> None:
    app.config.update(MAIL_SERVER="", MAIL_WRITE_TO_FOLDER=False)
    user = make.user()
    queue_mail(user.email, "password_reset", "en", user=user, link="http://x/", minutes=60)
    db.session.commit()
    [stored] = outbox()
    assert stored.status == "queued"
    assert "COP_MAIL_SERVER" in stored.last_error


def test_mailed_addresses_come_from_the_routes_on_the_base_url(app, make) -> None:
    """The same address inside a request and in a background job, under a path prefix too."""
    app.config["BASE_URL"] = "https://intranet.council.example/cop/"
    outside = site_url("polls.poll", visit_id=3, poll_id=4)
    with app.test_request_context("/"):
        inside = site_url("polls.poll", visit_id=3, poll_id=4)
    assert outside == inside == "https://intranet.council.example/cop/visits/3/polls/4"
    assert site_url("reflections.new_reflection", visit_id=3, phase="after").endswith(
        "/cop/visits/3/reflections/new?phase=after"
    )
    # One rule for the language a person is written to in, and no mail without an address.
    claire = make.person(preferred_language="fr")
    nobody = make.person(email=None, preferred_language="")
    assert language_of(claire) == "fr" and language_of(nobody) == "en"
    assert mail_person(nobody, "password_reset", user=None, link="x", minutes=1) is None

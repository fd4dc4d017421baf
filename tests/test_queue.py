"""Requests never wait on the mail server: they hand mail to the task queue and answer at once;
a real `cop worker` (its own process, Huey on SQLite, as `cop start` runs it) sends each mail
once; two senders racing for one mail send it once; a mail whose task was lost is found again
from the outbox."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from cop.correspondence.models import Message, MessageTranslation, Thread
from cop.extensions import db
from cop.mail import OutboxMail, deliver, queue_mail
from cop.queue import make_huey
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text
from tests.libretranslate import LibreTranslateServer
from tests.mailserver import MailServer


@pytest.fixture
def slow_mail() -> Iterator[MailServer]:
    with MailServer(held=True) as server:
        yield server


@pytest.fixture
def config_overrides(tmp_path: Path, slow_mail: MailServer, libre: LibreTranslateServer) -> dict:
    return {
        "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite'}",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": slow_mail.port,
        "MAIL_TIMEOUT": 60,
        "TRANSLATION_URL": libre.url,
    }


@pytest.fixture
def worker(app: Flask, tmp_path: Path) -> Iterator[subprocess.Popen]:
    """`cop worker` in a process of its own, on the test's database and queue."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("COP_")}
    environment.update(
        COP_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        COP_QUEUE_URL=app.config["QUEUE_URL"],
        COP_MAIL_SERVER="127.0.0.1",
        COP_MAIL_PORT=str(app.config["MAIL_PORT"]),
        COP_MAIL_WRITE_TO_FOLDER="false",
        COP_SECRET_KEY="test-secret-key",
        COP_INSTANCE_PATH=str(tmp_path / "worker-instance"),
        COP_WORKER_THREADS="8",
        COP_TRANSLATION_URL=app.config["TRANSLATION_URL"],
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "cop", "worker"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def statuses() -> Counter:
    db.session.expire_all()
    return Counter(str(status) for status in db.session.scalars(db.select(OutboxMail.status)))


def test_a_request_that_invites_40_people_answers_while_the_mail_server_is_slow(
    app: Flask, client, make: Factory, slow_mail: MailServer, worker
) -> None:
    visit = make.visit(start_date=None, end_date=None)
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    invited = [make.person(email=f"invitee{number}@example.org") for number in range(40)]
    sign_in(client, lead)

    response = client.post(
        f"/visits/{visit.id}/polls/new",
        data={
            "candidate_dates": "2016-12-05 to 2016-12-09",
            "invitee_ids": [str(lead.person_id)],
            "other_emails": "\n".join(person.email for person in invited),
        },
    )

    # The server answers no mail yet; the request has answered all the same.
    assert response.status_code == 302
    assert slow_mail.messages == []
    assert statuses()["sent"] == 0
    assert wait_until(lambda: slow_mail.held > 0)  # the worker is the one waiting on it
    slow_mail.release()
    assert wait_until(lambda: len(slow_mail.messages) == 41)
    assert wait_until(lambda: statuses() == Counter({"sent": 41}))
    received = Counter(str(message["To"]) for message in slow_mail.messages)
    assert set(received.values()) == {1}  # each mail once
    assert len(received) == 41


def test_two_senders_racing_for_one_mail_send_it_once(app: Flask, make: Factory) -> None:
    user = make.user()
    with MailServer(held=True) as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_TIMEOUT=30)
        # Its task waits in a queue no worker reads; two senders go for it at once.
        mail = queue_mail(user.email, "password_reset", "en", user=user, link="x", minutes=60)
        db.session.commit()
        mail_id = mail.id  # read here: the senders must not share the test's session
        outcomes: list[dict] = []

        def send() -> None:
            with app.app_context():
                outcomes.append(deliver([mail_id]))

        senders = [threading.Thread(target=send) for _ in range(2)]
        for sender in senders:
            sender.start()
        assert wait_until(lambda: server.held == 1, timeout=10)
        server.release()
        for sender in senders:
            sender.join(timeout=30)
        assert len(server.wait_for(1)) == 1
        time.sleep(0.2)
        assert len(server.messages) == 1
    assert sorted(outcome["sent"] for outcome in outcomes) == [0, 1]


def test_a_mail_whose_task_was_lost_is_found_in_the_outbox_by_the_sweep(
    app: Flask, make: Factory
) -> None:
    user = make.user()
    queue_mail(user.email, "password_reset", "en", user=user, link="x", minutes=60)
    db.session.commit()  # its task waits in a queue no worker reads: as good as lost
    assert statuses() == Counter({"queued": 1})
    with MailServer() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
        assert deliver() == {"queued": 0, "sent": 1, "failed": 0}
        assert len(server.wait_for(1)) == 1
    assert statuses() == Counter({"sent": 1})


def test_a_queue_is_named_by_its_address() -> None:
    assert make_huey("immediate").immediate
    assert type(make_huey("redis://127.0.0.1:6379/3")).__name__ == "RedisHuey"
    with pytest.raises(ValueError, match="is not sqlite"):
        make_huey("amqp://somewhere")


def test_a_received_message_is_kept_at_once_and_translated_by_the_worker(
    app: Flask, client, make: Factory, libre: LibreTranslateServer, worker
) -> None:
    visit = make.visit(languages="en,fr")
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    thread = Thread(visit_id=visit.id, subject="Dates")
    db.session.add(thread)
    db.session.commit()
    sign_in(client, lead)

    response = client.post(
        f"/visits/{visit.id}/correspondence/{thread.id}",
        data={
            "author_name": "Claire Dubois",
            "language": "fr",
            "body": "Bonjour, merci pour la visite avec la équipe.",
        },
        follow_redirects=True,
    )

    # The page did not wait for the provider: the worker translates.
    assert "The message is saved; its translation is on its way." in visible_text(
        response.get_data(as_text=True)
    )
    message = db.session.scalar(db.select(Message))
    assert message.body == "Bonjour, merci pour la visite avec la équipe."

    def translated() -> bool:
        db.session.expire_all()
        row = db.session.scalar(db.select(MessageTranslation))
        return row is not None and row.status == "machine"

    assert wait_until(translated)
    assert "thank you" in db.session.scalar(db.select(MessageTranslation.text))


def test_administrators_see_what_the_workers_could_not_do_yet(
    app: Flask, client, make: Factory
) -> None:
    from tests.mailserver import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    user = make.user("someone@example.org")
    queue_mail(user.email, "password_reset", "en", user=user, link="x", minutes=60)
    db.session.commit()
    deliver()  # the worker's attempt: the mail server is not there
    thread = Thread(visit_id=make.visit().id, subject="Dates")
    message = Message(thread=thread, direction="inbound", language="fr", body="Bonjour")
    db.session.add_all([thread, message])
    db.session.flush()
    db.session.add(
        MessageTranslation(message_id=message.id, target_language="en", failure_reason="timeout")
    )
    db.session.commit()
    sign_in(client, make.user(admin=True))

    page = visible_text(client.get("/admin/outbox").get_data(as_text=True))

    assert "someone@example.org" in page and "ConnectionRefusedError" in page
    assert "as soon as a worker is free" not in page  # it waits its minute
    assert "1 translation waiting: the translation service did not answer in time" in page


def test_a_worker_told_to_stop_finishes_the_mail_it_is_sending(
    app: Flask, make: Factory, slow_mail: MailServer, worker
) -> None:
    user = make.user()
    queue_mail(user.email, "password_reset", "en", user=user, link="x", minutes=60)
    db.session.commit()
    assert wait_until(lambda: slow_mail.held == 1)  # the worker is in the middle of sending

    worker.terminate()  # SIGTERM, as a service manager (or `cop start` at Ctrl+C) sends it
    time.sleep(0.5)
    slow_mail.release()

    assert worker.wait(timeout=30) == 0
    assert len(slow_mail.messages) == 1
    assert statuses() == Counter({"sent": 1})  # marked sent: not sent again after its lease

"""A request that invites 40 people while the mail server takes 2 s per mail: how long the
request takes with mail sent inside it (the queue run `immediate`, as cop did before) and
handed to the task queue (a real `cop worker` process on a SQLite queue), side by side.

    .venv/bin/python benchmarks/slow_mail.py [--invitees 40] [--delay 2]

The mail server is aiosmtpd on loopback, answering each mail after ``--delay`` seconds. The
request is a lead opening a date poll, through the WSGI application. It prints the request's
time in each mode, their ratio, and how long the worker took to deliver every mail (each once).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from flask_migrate import upgrade

from cop import PROJECT_ROOT, create_app
from cop.accounts.models import User
from cop.directory.models import Person
from cop.extensions import db
from cop.visits.models import Membership, MembershipRole, Visit
from tests.mailserver import free_port


class SlowServer:
    def __init__(self, delay: float) -> None:
        self.delay, self.received = delay, Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(self.delay)
        for recipient in envelope.rcpt_tos:
            self.received[recipient] += 1
        return "250 OK"


def poll_request(queue_url: str, folder: Path, port: int, invitees: int) -> tuple[float, Any]:
    """Build a visit with ``invitees`` people in a fresh database, open a poll for them, and
    return the request's time and the app."""
    database = folder / f"{queue_url.split(':')[0]}.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_TIMEOUT": 60,
            "MAIL_WRITE_TO_FOLDER": False,
            "QUEUE_URL": queue_url,
        }
    )
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        lead = Person(name="Morag Campbell", email="lead@glasgow.example")
        people = [
            Person(name=f"Invitee {n}", email=f"invitee{n}@example.org") for n in range(invitees)
        ]
        visit = Visit(
            title="Study visit to Paris",
            host_city="Paris",
            host_country="FR",
            time_zone="Europe/Paris",
        )
        db.session.add_all([lead, *people, visit])
        db.session.flush()
        db.session.add(Membership(visit_id=visit.id, person_id=lead.id, role=MembershipRole.LEAD))
        user = User(email=lead.email, person_id=lead.id)
        user.set_password("benchmark-password")
        db.session.add(user)
        db.session.commit()
        visit_id, lead_id = visit.id, lead.id
        emails = "\n".join(person.email for person in people)
    client = app.test_client()
    client.post(
        "/sign-in", data={"email": "lead@glasgow.example", "password": "benchmark-password"}
    )
    started = time.perf_counter()
    response = client.post(
        f"/visits/{visit_id}/polls/new",
        data={
            "candidate_dates": "2016-12-05 to 2016-12-09",
            "invitee_ids": [str(lead_id)],
            "other_emails": emails,
        },
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed, app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invitees", type=int, default=40)
    parser.add_argument("--delay", type=float, default=2.0)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cop-mail-"))
    port = free_port()
    handler = SlowServer(arguments.delay)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    expected = arguments.invitees + 1  # and the lead, who is asked too
    try:
        inline, _app = poll_request("immediate", folder, port, arguments.invitees)
        handler.received.clear()
        queue = f"sqlite:///{folder / 'queue.sqlite'}"
        queued, app = poll_request(queue, folder, port, arguments.invitees)
        environment = {k: v for k, v in os.environ.items() if not k.startswith("COP_")}
        environment.update(
            COP_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            COP_QUEUE_URL=queue,
            COP_MAIL_SERVER="127.0.0.1",
            COP_MAIL_PORT=str(port),
            COP_MAIL_WRITE_TO_FOLDER="false",
            COP_SECRET_KEY="benchmark",
            COP_INSTANCE_PATH=str(folder),
            COP_WORKER_THREADS=os.environ.get("COP_WORKER_THREADS", "8"),
        )
        started = time.perf_counter()
        worker = subprocess.Popen([sys.executable, "-m", "cop", "worker"], env=environment)
        while sum(handler.received.values()) < expected and time.perf_counter() - started < 600:
            time.sleep(0.05)
        delivered = time.perf_counter() - started
        worker.terminate()
        worker.wait(timeout=30)
    finally:
        controller.stop()
    print(
        f"{arguments.invitees} invitees, the mail server answers each mail after "
        f"{arguments.delay} s"
    )
    print(f"request, mail sent inside it:      {inline * 1000:9.1f} ms")
    print(f"request, mail handed to the queue: {queued * 1000:9.1f} ms")
    print(f"ratio queued / inline:             {queued / inline:9.4f}")
    print(
        f"worker ({environment['COP_WORKER_THREADS']} threads) delivered "
        f"{sum(handler.received.values())} of {expected} mails in {delivered:.1f} s, "
        f"each once: {set(handler.received.values()) == {1}}"
    )


if __name__ == "__main__":
    main()

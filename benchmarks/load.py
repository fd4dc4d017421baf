"""Load and faults: the production setup (gunicorn workers) on loopback, driven by concurrent
users who browse, answer a date poll, log contacts and write reflections for a bounded time.

    .venv/bin/python benchmarks/load.py --database postgresql --users 20 --seconds 30
    .venv/bin/python benchmarks/load.py --database sqlite --users 20 --seconds 30
    .venv/bin/python benchmarks/load.py --database postgresql --fault postgres-restart

It prints throughput, latency percentiles, server errors and lost writes: every write the server
accepted (a redirect after the POST) is looked for in the database afterwards. With
``--fault postgres-restart`` PostgreSQL is restarted half-way (needs ``pg_ctlcluster`` and root).
SMTP down and a hanging translation provider are faults the tests try (mail stays queued, the
provider's timeout keeps pages fast)."""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load-test-password"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: int = 0
    server_errors_at: list[float] = field(default_factory=list)
    contacts: set[str] = field(default_factory=set)
    # The last answers each user's server accepted: {email: {option field: answer}}.
    votes: dict[str, dict[str, str]] = field(default_factory=dict)
    reflections: set[str] = field(default_factory=set)
    # Requests answered with "sign in first" after the user had signed in (a session lost).
    sent_to_sign_in: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, status: int | None) -> None:
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            if status is None:
                self.failures += 1
            else:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status >= 500:
                    self.server_errors_at.append(time.perf_counter())


def prepare(database: str, users: int, instance: Path) -> tuple[str, list[str], int]:
    """A fresh database with the demo and ``users`` participants of the demo visit."""
    if database == "postgresql":
        name = f"cop_load_{os.getpid()}"
        admin = create_engine(
            "postgresql+psycopg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    else:
        url = f"sqlite:///{instance / 'cop.sqlite'}"
    os.environ.update(
        COP_DATABASE_URL=url,
        COP_INSTANCE_PATH=str(instance),
        COP_SECRET_KEY="load-test-secret",
        COP_MAIL_WRITE_TO_FOLDER="0",
    )
    from cop import create_app
    from cop.accounts.models import User
    from cop.demo import load_demo
    from cop.directory.models import Person
    from cop.extensions import db
    from cop.polls.models import DateOption, DatePoll, PollInvitee
    from cop.visits.models import Membership, MembershipRole, Visit

    app = create_app({"RATELIMIT_ENABLED": False})
    emails = []
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
        load_demo(db.session)
        visit = db.session.scalar(select(Visit))
        # An open poll on the next visit's dates that every load user is asked to answer.
        poll = DatePoll(
            visit_id=visit.id,
            options=[
                DateOption(first_day=date(2027, 3, 8), last_day=date(2027, 3, 9)),
                DateOption(first_day=date(2027, 3, 15), last_day=date(2027, 3, 16)),
            ],
        )
        db.session.add(poll)
        for number in range(users):
            email = f"load{number}@example.org"
            person = Person(name=f"Load {number}", email=email)
            user = User(email=email, person=person)
            user.set_password(PASSWORD)
            db.session.add_all(
                [
                    person,
                    user,
                    Membership(visit=visit, person=person, role=MembershipRole.PARTICIPANT),
                    PollInvitee(poll=poll, person=person),
                ]
            )
            emails.append(email)
        db.session.commit()
        poll_id = poll.id
        db.engine.dispose()
    return url, emails, poll_id


def serve(
    port: int,
    log: Path,
    *,
    workers: int = 4,
    environment: dict[str, str] | None = None,
    app: str = "cop:create_app()",
) -> subprocess.Popen:
    """gunicorn as the README runs it (threaded workers) on loopback, once it answers."""
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            app,
        ],
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=environment or {**os.environ, "COP_RATELIMIT_STORAGE_URI": "memory://"},
    )
    for _ in range(150):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{app} did not start; see {log}")


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def user_session(
    base: str | list[str], email: str, poll_id: int, deadline: float, tally: Tally
) -> None:
    """One user's browsing and writing; with several servers (``base`` a list) each request
    goes to the next one, as a load balancer without sticky sessions sends them."""
    session = requests.Session()
    servers = itertools.cycle([base] if isinstance(base, str) else base)

    def call(method: str, path: str, **kwargs) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = session.request(
                method, next(servers) + path, timeout=30, allow_redirects=False, **kwargs
            )
        except requests.RequestException:
            tally.record(started, None)
            return None
        tally.record(started, response.status_code)
        if path != "/sign-in" and "/sign-in" in response.headers.get("Location", ""):
            with tally.lock:
                tally.sent_to_sign_in += 1
        return response

    page = call("GET", "/sign-in")
    if page is None:
        return
    call(
        "POST",
        "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    rng = random.Random(email)
    while time.perf_counter() < deadline:
        choice = rng.random()
        if choice < 0.5:
            call(
                "GET", rng.choice(["/", "/visits/1", "/visits/1/itinerary", "/people", "/glossary"])
            )
        elif choice < 0.6:
            path = f"/visits/1/polls/{poll_id}/answer"
            form = call("GET", path)
            if form is None or form.status_code != 200:
                continue
            answers = {
                name: rng.choice(["yes", "if_need_be", "no"])
                for name in sorted(set(re.findall(r'name="(option_\d+)"', form.text)))
            }
            sent = call("POST", path, data={"csrf_token": csrf_of(form.text), **answers})
            if sent is not None and sent.status_code == 302:
                with tally.lock:
                    tally.votes[email] = answers
        elif choice < 0.8:
            form = call("GET", "/contacts/new")
            if form is None or form.status_code != 200:
                continue
            topic = f"load-{uuid.uuid4()}"
            people = re.findall(r'name="to_person_id"[^>]*value="(\d+)"', form.text)
            sent = call(
                "POST",
                "/contacts/new",
                data={
                    "csrf_token": csrf_of(form.text),
                    "to_person_id": rng.choice(people) if people else "0",
                    "day": "2017-03-06",
                    "channel": "email",
                    "topic": topic,
                    "started": "me",
                    "visit_id": "0",
                },
            )
            if sent is not None and sent.status_code == 302:
                with tally.lock:
                    tally.contacts.add(topic)
        else:
            form = call("GET", "/visits/1/reflections/new?phase=during")
            if form is None or form.status_code != 200:
                continue
            answer = re.search(r'name="(answer_\d+)"', form.text)
            words = f"load reflection {uuid.uuid4()}"
            sent = call(
                "POST",
                "/visits/1/reflections/new?phase=during",
                data={
                    "csrf_token": csrf_of(form.text),
                    answer.group(1) if answer else "answer_0": words,
                    "consent": "private",
                    "itinerary_item_id": "0",
                    "save_draft": "1",
                },
            )
            if sent is not None and sent.status_code == 302:
                with tally.lock:
                    tally.reflections.add(words)


def lost_writes(url: str, tally: Tally) -> tuple[int, int, int]:
    """Accepted writes missing from the database: contacts, reflections, poll answers (a user's
    last accepted answers must be the ones stored)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        topics = set(connection.execute(text("SELECT topic FROM contact")).scalars())
        passages = set(connection.execute(text("SELECT text FROM passage")).scalars())
        stored: dict[str, dict[str, str]] = {}
        for email, option_id, answer in connection.execute(
            text(
                "SELECT person.email, date_vote.option_id, date_vote.answer FROM date_vote "
                "JOIN poll_invitee ON poll_invitee.id = date_vote.invitee_id "
                "JOIN person ON person.id = poll_invitee.person_id"
            )
        ):
            stored.setdefault(email, {})[f"option_{option_id}"] = answer
    engine.dispose()
    lost_votes = sum(1 for email, answers in tally.votes.items() if stored.get(email) != answers)
    return len(tally.contacts - topics), len(tally.reflections - passages), lost_votes


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--fault", choices=["none", "postgres-restart"], default="none")
    arguments = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="cop-load-"))
    url, emails, poll_id = prepare(arguments.database, arguments.users, instance)
    port = free_port()
    log = instance / "server.log"
    server = serve(port, log, workers=arguments.workers)
    tally = Tally()
    deadline = time.perf_counter() + arguments.seconds
    threads = [
        threading.Thread(
            target=user_session, args=(f"http://127.0.0.1:{port}", e, poll_id, deadline, tally)
        )
        for e in emails
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    recovered_at = None
    if arguments.fault == "postgres-restart":
        time.sleep(arguments.seconds / 2)
        print("restarting PostgreSQL ...", flush=True)
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
        # A worker notices the new server at its next checkout; allow it a second or two.
        recovered_at = time.perf_counter() + 2
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    server.terminate()
    server.wait(timeout=30)
    lost_contacts, lost_reflections, lost_votes = lost_writes(url, tally)
    requests_done = len(tally.latencies)
    server_errors = sum(count for status, count in tally.statuses.items() if status >= 500)
    locked = log.read_text().count("database is locked")
    print(f"database: {arguments.database}, users: {arguments.users}, workers: {arguments.workers}")
    print(
        f"requests: {requests_done} in {elapsed:.1f} s = {requests_done / elapsed:.1f} per second"
    )
    p50, p95, p99 = (percentile(tally.latencies, share) for share in (0.5, 0.95, 0.99))
    print(f"latency ms: p50 {p50:.0f}, p95 {p95:.0f}, p99 {p99:.0f}")
    print(
        f"statuses: {dict(sorted(tally.statuses.items()))}, connection failures: {tally.failures}"
    )
    print(f"5xx: {server_errors}; 'database is locked' in the server log: {locked}")
    if recovered_at is not None:
        after = sum(1 for moment in tally.server_errors_at if moment > recovered_at)
        print(f"5xx more than 2 s after PostgreSQL was back: {after}")
    print(
        f"writes accepted: {len(tally.contacts)} contacts, {len(tally.reflections)} reflections, "
        f"poll answers of {len(tally.votes)} users; lost: {lost_contacts} contacts, "
        f"{lost_reflections} reflections, {lost_votes} poll answers"
    )
    if server_errors:
        kinds = sorted(
            set(re.findall(r"^(\w+(?:\.\w+)*(?:Error|Exception)\w*):", log.read_text(), re.M))
        )
        print(f"errors in the server log: {', '.join(kinds) or 'none logged'}")
    shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()

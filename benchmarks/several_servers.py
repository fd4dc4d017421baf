"""Two app servers and two workers on loopback, sharing PostgreSQL and Redis, as a council runs
cop behind its load balancer: users' requests go to either server in turn (no sticky sessions).

    .venv/bin/python benchmarks/several_servers.py [--servers 2] [--workers 2] [--users 10]

Each user signs in (on one server, then browses on both), asks once for a password-reset mail
and browses, answers a poll, logs contacts and writes reflections for ``--seconds``. Before the
load an attacker guesses one account's password on both servers in turn. It prints what each
shared part did: sessions (no request sent back to sign-in), sign-in limits (refused after the
configured number of guesses whichever server counted them), the stored network and report
(one computation shared by both servers), the queue (each mail accepted arrives once), and
every accepted write found in the database. It asserts nothing."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402
    Tally,
    csrf_of,
    free_port,
    lost_writes,
    percentile,
    prepare,
    serve,
    user_session,
)
from tests.mailserver import MailServer  # noqa: E402

REDIS = "redis://127.0.0.1:6379"


def guesses_until_refused(bases: list[str], email: str, most: int = 40) -> int:
    """Wrong passwords for one account, to each server in turn, until one is refused (429)."""
    session = requests.Session()
    for attempt in range(1, most + 1):
        base = bases[attempt % len(bases)]
        token = csrf_of(session.get(f"{base}/sign-in").text)
        answer = session.post(
            f"{base}/sign-in",
            data={"email": email, "password": "not the password", "csrf_token": token},
            allow_redirects=False,
        )
        if answer.status_code == 429:
            return attempt
    return most + 1


def ask_for_reset(bases: list[str], email: str, asked: Counter, lock: threading.Lock) -> None:
    session = requests.Session()
    token = csrf_of(session.get(f"{bases[0]}/account/reset").text)
    answer = session.post(
        f"{bases[-1]}/account/reset",
        data={"email": email, "csrf_token": token},
        allow_redirects=False,
    )
    if answer.status_code == 200:
        with lock:
            asked[email] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=20)
    arguments = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="cop-servers-"))
    url, emails, poll_id = prepare("postgresql", arguments.users, instance)
    redis_database = 9
    subprocess.run(["redis-cli", "-n", str(redis_database), "FLUSHDB"], check=False)
    subprocess.run(["redis-cli", "-n", str(redis_database + 1), "FLUSHDB"], check=False)
    mail = MailServer()
    mail.__enter__()
    environment = {
        **os.environ,
        "COP_DATABASE_URL": url,
        "COP_SECRET_KEY": "several-servers-secret",
        "COP_MAIL_SERVER": "127.0.0.1",
        "COP_MAIL_PORT": str(mail.port),
        "COP_MAIL_WRITE_TO_FOLDER": "0",
        "COP_RATELIMIT_STORAGE_URI": f"{REDIS}/{redis_database}",
        "COP_QUEUE_URL": f"{REDIS}/{redis_database + 1}",
    }
    processes = []
    bases = []
    for number in range(arguments.servers):
        port = free_port()
        env = {**environment, "COP_INSTANCE_PATH": str(instance / f"server{number}")}
        processes.append(serve(port, instance / f"server{number}.log", workers=2, environment=env))
        bases.append(f"http://127.0.0.1:{port}")
    for number in range(arguments.workers):
        env = {**environment, "COP_INSTANCE_PATH": str(instance / f"worker{number}")}
        log = (instance / f"worker{number}.log").open("w")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "cop", "worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        refused_at = guesses_until_refused(bases, "lead@glasgow.example")
        asked: Counter = Counter()
        lock = threading.Lock()
        tally = Tally()
        deadline = time.perf_counter() + arguments.seconds
        threads = [
            threading.Thread(target=ask_for_reset, args=(bases, email, asked, lock))
            for email in emails
        ] + [
            threading.Thread(target=user_session, args=(bases, e, poll_id, deadline, tally))
            for e in emails
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        # The network page and the report, from each server in turn: computed once, then read.
        viewer = requests.Session()
        token = csrf_of(viewer.get(f"{bases[0]}/sign-in").text)
        viewer.post(
            f"{bases[0]}/sign-in",
            data={"email": "researcher@wws.example", "password": "cop-demo", "csrf_token": token},
        )
        computed_on = [
            re.search(r"Computed on ([^<]+?) from", viewer.get(f"{base}/programmes/1/network").text)
            for base in bases
        ]
        computed_on = [found.group(1) if found else "?" for found in computed_on]
        expected = sum(asked.values())
        if expected:
            mail.wait_for(expected, timeout=60)
        received = Counter(str(message["To"]) for message in mail.messages)
        other_subjects = sorted(
            str(message["Subject"]) for message in mail.messages if str(message["To"]) not in asked
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        mail.__exit__(None, None, None)
    lost_contacts, lost_reflections, lost_votes = lost_writes(url, tally)
    engine = create_engine(url)
    with engine.connect() as connection:
        outbox = {
            str(status): count
            for status, count in connection.execute(
                text("SELECT status, count(*) FROM outbox_mail GROUP BY status")
            )
        }
    engine.dispose()
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(
        f"{arguments.servers} app servers (gunicorn 2 workers x 4 threads each) and "
        f"{arguments.workers} workers, sharing PostgreSQL and Redis; {arguments.users} users, "
        f"each request to the next server"
    )
    print(
        f"requests: {len(tally.latencies)} in {elapsed:.1f} s; latency ms p50 "
        f"{percentile(tally.latencies, 0.5):.0f}, p95 {percentile(tally.latencies, 0.95):.0f}; "
        f"statuses {dict(sorted(tally.statuses.items()))}; 5xx: {server_errors}"
    )
    print(f"requests sent back to sign in after signing in: {tally.sent_to_sign_in}")
    print(f"network page, computed at, as each server showed it: {computed_on}")
    print(
        f"sign-in limit: the guess refused was number {refused_at} "
        f"(the limit is 10 a minute per account, counted across both servers)"
    )
    duplicates = sum(n - asked[to] for to, n in received.items() if to in asked and n > asked[to])

    print(
        f"password-reset mails: {expected} accepted, "
        f"{sum(n for to, n in received.items() if to in asked)} arrived, {duplicates} more "
        f"than once; other mail: {other_subjects}; outbox: {outbox}"
    )
    print(
        f"writes accepted: {len(tally.contacts)} contacts, {len(tally.reflections)} "
        f"reflections, poll answers of {len(tally.votes)} users; lost: {lost_contacts} "
        f"contacts, {lost_reflections} reflections, {lost_votes} poll answers"
    )
    shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()

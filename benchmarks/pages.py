"""Server time and SQL queries of cop's main pages on national-scale data.

    .venv/bin/python benchmarks/pages.py [--scale national|small] [--repeats 30]

Builds the data in a fresh database (a temporary SQLite file, or the database COP_DATABASE_URL
names, which it empties), signs in as an administrator (who sees every visit) and as the lead of a
visit, requests each page repeatedly through the WSGI app and prints the median and 95th
percentile of the server time and the number of SQL queries per request. It asserts nothing about
time; tests/test_query_counts.py checks that the query counts do not grow with the data."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from cop.accounts.models import User
from cop.database import count_queries
from cop.directory.models import Organisation, Person
from cop.extensions import db
from cop.interpreting.engagements import local_day
from cop.itinerary.models import ItineraryItem
from cop.visits.models import Membership, MembershipRole, Programme, Visit

BENCHMARK_PASSWORD = "benchmark password"  # noqa: S105 - throwaway benchmark database


@dataclass(frozen=True)
class Measurement:
    url: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float


def busiest_visit_id(session) -> int:
    return session.scalar(
        select(Membership.visit_id)
        .group_by(Membership.visit_id)
        .order_by(db.func.count().desc(), Membership.visit_id)
        .limit(1)
    )


def main_pages(session) -> list[str]:
    """The pages people open most, on the records with the most rows behind them."""
    busiest_visit = busiest_visit_id(session)
    busiest_person = session.scalar(
        select(Membership.person_id)
        .group_by(Membership.person_id)
        .order_by(db.func.count().desc(), Membership.person_id)
        .limit(1)
    )
    organisation = session.scalar(select(Organisation.id).order_by(Organisation.id).limit(1))
    programme = session.scalar(select(Programme.id).order_by(Programme.id).limit(1))
    busiest_programme = session.scalar(select(Visit.programme_id).where(Visit.id == busiest_visit))
    interpreted = session.scalar(
        select(ItineraryItem)
        .where(ItineraryItem.visit_id == busiest_visit, ItineraryItem.needs_interpreter)
        .order_by(ItineraryItem.starts_at)
        .limit(1)
    )
    return [
        "/",
        "/visits",
        "/visits?q=visit&status=done",
        f"/visits/{busiest_visit}",
        f"/visits/{busiest_visit}/members",
        f"/visits/{busiest_visit}/itinerary",
        f"/visits/{busiest_visit}/itinerary.ics",
        f"/visits/{busiest_visit}/planning",
        f"/visits/{busiest_visit}/documents",
        f"/visits/{busiest_visit}/interpreting",
        *(
            [f"/visits/{busiest_visit}/interpreting/days/{local_day(interpreted).isoformat()}"]
            if interpreted is not None
            else []
        ),
        f"/visits/{busiest_visit}/design",
        f"/programmes/{busiest_programme}/designs",
        f"/visits/{busiest_visit}/protocol",
        f"/visits/{busiest_visit}/reflections",
        f"/visits/{busiest_visit}/actions",
        f"/programmes/{busiest_programme}/actions?by=theme",
        "/reflections",
        "/programmes",
        f"/programmes/{programme}",
        "/people",
        "/people?q=campbell",
        f"/people/{busiest_person}",
        "/organisations",
        f"/organisations/{organisation}",
        "/account",
    ]


def personal_feed_path(session, secret_key: str, person_id: int) -> str:
    """The path of a person's calendar feed, creating the link if needed."""
    from cop.itinerary.views import FEED_PURPOSE
    from cop.links import link_for, token_for

    link = link_for(secret_key, FEED_PURPOSE, person_id, person_id=person_id)
    session.commit()
    return f"/calendar/{token_for(secret_key, link)}.ics"


def add_big_itinerary(session, items: int = 500) -> int:
    """Give the busiest visit ``items`` more itinerary items; returns the visit's id."""
    import random

    from cop.generate import add_itinerary

    visit_id = busiest_visit_id(session)
    visit = session.get(Visit, visit_id)
    people = list(
        session.scalars(select(Membership.person_id).where(Membership.visit_id == visit_id))
    )
    add_itinerary(session, visit_id, visit.time_zone, people, items, random.Random(500))
    session.commit()
    return visit_id


def benchmark_users(session) -> dict[str, str]:
    """An administrator who also researches (so that the researchers' views are measured) and
    the lead of the busiest visit, created if missing."""
    admin = session.scalar(select(User).where(User.email == "bench-admin@cop.example"))
    if admin is None:
        admin = User(email="bench-admin@cop.example", is_admin=True, is_researcher=True)
        admin.set_password(BENCHMARK_PASSWORD)
        session.add(admin)
    lead_person = session.scalar(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.role == MembershipRole.LEAD,
            Membership.visit_id == busiest_visit_id(session),
        )
        .order_by(Person.id)
        .limit(1)
    )
    lead = session.scalar(select(User).where(User.person_id == lead_person.id))
    if lead is None:
        lead = User(email="bench-lead@cop.example", person=lead_person)
        session.add(lead)
    # The benchmark database is thrown away, so an existing lead's password may be replaced.
    lead.set_password(BENCHMARK_PASSWORD)
    session.commit()
    return {"admin": admin.email, "lead": lead.email}


def signed_in_client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": BENCHMARK_PASSWORD})
    assert response.status_code == 302, f"could not sign in as {email}"
    return client


def measure(engine: Engine, client: FlaskClient, url: str, repeats: int) -> Measurement:
    timings, queries, status = [], 0, 0
    for _ in range(repeats):
        if has_app_context():
            # A server starts every request with an empty session; an app context that outlives
            # one request (as in tests) would otherwise answer from its identity map.
            db.session.remove()
        with count_queries(engine) as counter:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = counter.count, response.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return Measurement(url, status, queries, statistics.median(timings), p95)


def build(scale: str, *, reuse: bool = False) -> tuple[Flask, str]:
    """A database of ``scale`` at ``COP_DATABASE_URL`` (else a new SQLite file), built anew
    unless ``reuse`` is asked for and it already holds this benchmark's data (the 505-item
    visit is added last, so its presence means a build that finished)."""
    from flask_migrate import upgrade

    from cop import PROJECT_ROOT, create_app
    from cop.demo import load_demo
    from cop.generate import SCALES, generate

    url = os.environ.get("COP_DATABASE_URL") or "sqlite:///" + str(
        Path(tempfile.mkdtemp(prefix="cop-bench-")) / "bench.sqlite"
    )
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "INSTANCE_PATH": tempfile.mkdtemp(prefix="cop-bench-instance-"),
            # Every request renders its page: this measures what a page costs to make, not
            # what serving it again as kept costs (throughput.py measures both).
            "STORED_PAGE_SECONDS": 0,
        }
    )
    with app.app_context():
        if reuse and _already_built(db.session):
            print("reusing the data built by an earlier run")
            return app, url
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        started = time.perf_counter()
        counts = generate(db.session, SCALES[scale])
        load_demo(db.session)
        db.session.commit()
        add_big_itinerary(db.session, 500)
        print(
            f"built {scale} data in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{n} {name}" for name, n in counts.items())
        )
    return app, url


def _already_built(session) -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    from cop.itinerary.models import ItineraryItem

    try:
        visit_id = busiest_visit_id(session)
        items = session.scalar(select(db.func.count()).where(ItineraryItem.visit_id == visit_id))
        return visit_id is not None and items >= 500
    except SQLAlchemyError:
        session.rollback()
        return False


def run(scale: str, repeats: int) -> None:
    app, url = build(scale)
    print(f"database: {url.split('@')[-1]}")
    with app.app_context():
        pages = main_pages(db.session)
        users = benchmark_users(db.session)
        lead = db.session.scalar(select(User).where(User.email == users["lead"]))
        pages.append(personal_feed_path(db.session, app.config["SECRET_KEY"], lead.person_id))
        engine = db.engine
    # Requests run outside any app context, so that each gets its own, as on a server.
    header = f"{'as':<6} {'page':<34} {'status':>6} {'queries':>8} {'median ms':>10} {'p95 ms':>8}"
    print(header)
    for role, email in users.items():
        client = signed_in_client(app, email)
        for page in pages:
            result = measure(engine, client, page, repeats)
            shown = "/calendar/<token>.ics" if result.url.startswith("/calendar/") else result.url
            print(
                f"{role:<6} {shown:<34} {result.status:>6} {result.queries:>8} "
                f"{result.median_ms:>10.1f} {result.p95_ms:>8.1f}"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument("--repeats", type=int, default=30)
    arguments = parser.parse_args()
    run(arguments.scale, arguments.repeats)

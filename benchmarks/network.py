"""All network measures for one programme on national-scale data (about 200,000 contacts).

    .venv/bin/python benchmarks/network.py [--scale national|small] [--rounds 300]

Builds the data in a fresh database (temporary SQLite unless COP_DATABASE_URL names one, which it
empties), takes the programme with the most contacts, and prints the time spent loading from the
database and computing (measures of both windows, brokerage, permutation tests), peak Python
memory during each, and how long a repeated view takes when read from the shared store
(cop.computed)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from cop import PROJECT_ROOT, create_app
from cop.extensions import db
from cop.generate import SCALES, generate
from cop.network import stored
from cop.network.analysis import PERMUTATION_ROUNDS
from cop.network.loading import DEFAULT_SOURCES, load_scope, windows_around
from cop.network.models import Contact
from cop.network.report import analyse_scope
from cop.network.stored import NetworkQuestion
from cop.visits.models import Membership, Visit


def measured(step):
    tracemalloc.start()
    started = time.perf_counter()
    result = step()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak / (1024 * 1024)


def main(scale: str, rounds: int) -> None:
    from flask_migrate import upgrade

    url = os.environ.get("COP_DATABASE_URL") or "sqlite:///" + str(
        Path(tempfile.mkdtemp(prefix="cop-net-")) / "net.sqlite"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": tempfile.mkdtemp()})
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        started = time.perf_counter()
        counts = generate(db.session, SCALES[scale])
        db.session.commit()
        print(f"built {scale} data in {time.perf_counter() - started:.1f} s: {counts}")
        member = Membership.person_id
        programme_id, people = db.session.execute(
            select(Visit.programme_id, func.count(func.distinct(member)))
            .join(Membership, Membership.visit_id == Visit.id)
            .group_by(Visit.programme_id)
            .order_by(func.count(func.distinct(member)).desc())
            .limit(1)
        ).one()
        total = db.session.scalar(select(func.count(Contact.id)))
        print(f"programme {programme_id}: {people} people; {total} contacts in the database")

        scope, load_seconds, load_mb = measured(
            lambda: load_scope(db.session, programme_id, DEFAULT_SOURCES)
        )
        windows = windows_around(db.session, programme_id)
        report, compute_seconds, compute_mb = measured(
            lambda: analyse_scope(scope, windows, rounds=rounds)
        )
        print(f"ties in scope: {len(scope.ties)}; people: {len(scope.people)}")
        print(f"load from database: {load_seconds:8.2f} s  peak {load_mb:7.1f} MiB")
        print(f"compute measures:   {compute_seconds:8.2f} s  peak {compute_mb:7.1f} MiB")
        print(
            f"before: {report.before['ties']} ties, after: {report.after['ties']} ties; "
            f"conclusion: {report.conclusion}"
        )
        question = NetworkQuestion(programme_id, rounds=rounds)
        result, first, _ = measured(
            lambda: stored.report(db.session, question, str, stale_is_enough=False)
        )
        assert result.fresh
        _, repeat, _ = measured(
            lambda: stored.report(db.session, question, str, stale_is_enough=False)
        )
        print(f"first view (load + compute + store): {first:8.2f} s")
        print(f"repeated view from the store:        {repeat * 1000:8.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument(
        "--rounds", type=int, default=PERMUTATION_ROUNDS, help="permutation-test rounds"
    )
    arguments = parser.parse_args()
    main(arguments.scale, arguments.rounds)

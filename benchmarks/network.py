"""All network measures for one programme on national-scale data (about 200,000 contacts).

    .venv/bin/python benchmarks/network.py [--scale national|small] [--rounds 300]

Builds the data in a fresh database (temporary SQLite unless COP_DATABASE_URL names one, which it
empties), takes the programme with the most contacts, and prints the time spent loading from the
database and computing (measures of both windows, brokerage, permutation tests), peak Python
memory during each, and how long a repeated view takes when read from the shared store
(cop.computed); then cop's loading and indicators side by side with a hand-written networkx
script on the same rows, and their ratios."""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx
from sqlalchemy import func, select, text

from cop import PROJECT_ROOT, create_app
from cop.extensions import db
from cop.generate import SCALES, generate
from cop.network import stored
from cop.network.analysis import PERMUTATION_ROUNDS, measures
from cop.network.loading import DEFAULT_SOURCES, load_scope, windows_around
from cop.network.models import Contact
from cop.network.report import analyse_scope, graph_in
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


PEOPLE_SQL = text(
    "SELECT p.id, o.name, o.country FROM person p LEFT JOIN organisation o"
    " ON o.id = p.organisation_id WHERE p.id IN (SELECT m.person_id FROM membership m"
    " JOIN visit v ON v.id = m.visit_id WHERE v.programme_id = :programme)"
)
CONTACTS_SQL = text(
    "SELECT c.from_person_id, c.to_person_id, c.day, c.mutual FROM contact c"
    " WHERE c.source IN ('logged', 'imported')"
    " AND c.from_person_id IN (SELECT m.person_id FROM membership m JOIN visit v"
    " ON v.id = m.visit_id WHERE v.programme_id = :programme)"
    " AND c.to_person_id IN (SELECT m.person_id FROM membership m JOIN visit v"
    " ON v.id = m.visit_id WHERE v.programme_id = :programme)"
)


def hand_written_load(engine, programme_id: int) -> tuple[list, list]:
    """What a researcher's script reads: the people with their organisation and country, and
    the logged and imported contacts among them, one SELECT each."""
    with engine.connect() as connection:
        people = connection.execute(PEOPLE_SQL, {"programme": programme_id}).all()
        contacts = [
            # SQLite gives the day as text, PostgreSQL as a date.
            (source, target, day if isinstance(day, date) else date.fromisoformat(day), mutual)
            for source, target, day, mutual in connection.execute(
                CONTACTS_SQL, {"programme": programme_id}
            )
        ]
    return people, contacts


def hand_written_measures(people: list, contacts: list, first, last) -> dict:
    """The same whole-network indicators as cop's, with networkx called directly on a graph
    built straight from the rows (E-I, Freeman centralisation and the agreement of communities
    with organisations, which networkx lacks, by their formulas)."""
    graph = nx.DiGraph()
    for person_id, organisation, country in people:
        graph.add_node(person_id, organisation=organisation, country=country)
    for source, target, day, mutual in contacts:
        if first <= day <= last and source != target:
            graph.add_edge(source, target)
            if mutual:
                graph.add_edge(target, source)
    undirected = nx.Graph(graph)
    n, ties = undirected.number_of_nodes(), undirected.number_of_edges()
    organisation = nx.get_node_attributes(graph, "organisation")
    country = nx.get_node_attributes(graph, "country")

    def ei(groups: dict) -> float | None:
        ends = [(groups[u], groups[v]) for u, v in undirected.edges()]
        known = [(a, b) for a, b in ends if a is not None and b is not None]
        external = sum(1 for a, b in known if a != b)
        return (2 * external - len(known)) / len(known) if known else None

    degrees = [d for _node, d in undirected.degree()]
    sample = {"k": 200, "seed": 2016} if n > 500 else {}
    between = list(nx.betweenness_centrality(undirected, **sample).values())
    communities = nx.community.louvain_communities(undirected, seed=2016) if ties else []
    label = {node: i for i, group in enumerate(communities) for node in group}
    tied = [v for v in label if undirected.degree(v) and organisation[v] is not None]
    components = list(nx.connected_components(undirected))
    return {
        "ties": ties,
        "density": nx.density(undirected),
        "mean_degree": 2 * ties / n,
        "components": len(components),
        "largest_component_share": max(len(c) for c in components) / n,
        "isolates": nx.number_of_isolates(undirected),
        "transitivity": nx.transitivity(undirected),
        "average_clustering": nx.average_clustering(undirected),
        "reciprocity": nx.overall_reciprocity(graph) if graph.number_of_edges() else None,
        "centralisation": sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2)),
        "betweenness_centralisation": sum(max(between) - b for b in between) / (n - 1),
        "ei_organisation": ei(organisation),
        "ei_country": ei(country),
        "max_core": max(nx.core_number(undirected).values()),
        "communities": len(communities),
        "modularity": nx.community.modularity(undirected, communities) if communities else None,
        "community_organisation_agreement": _nmi(
            [label[v] for v in tied], [organisation[v] for v in tied]
        ),
    }


def _nmi(first: list, second: list) -> float | None:
    n = len(first)
    if n < 2:
        return None
    joint, a, b = Counter(zip(first, second, strict=True)), Counter(first), Counter(second)
    h_a = -sum(c / n * math.log(c / n) for c in a.values())
    h_b = -sum(c / n * math.log(c / n) for c in b.values())
    if not h_a or not h_b:
        return 1.0 if h_a == h_b else 0.0
    mutual = sum(c / n * math.log(c * n / (a[x] * b[y])) for (x, y), c in joint.items())
    return mutual / math.sqrt(h_a * h_b)


def timed(step, repeats: int) -> tuple[float, object]:
    """The median seconds of ``repeats`` runs (no memory tracing: it slows Python code more than
    the database's), and the last run's value."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        value = step()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), value


def side_by_side(session, engine, programme_id: int, repeats: int = 5) -> None:
    """cop's loading and its indicators of both windows against the hand-written script on the
    same rows (logged and imported contacts), medians of ``repeats``."""
    windows = windows_around(session, programme_id)

    def cop_load():
        session.rollback()
        return load_scope(session, programme_id, ("logged", "imported"))

    def cop_compute(scope):
        return [measures(graph_in(scope, *window)) for window in (windows.before, windows.after)]

    def script_compute(rows):
        return [hand_written_measures(*rows, *window) for window in (windows.before, windows.after)]

    timings = {}
    for name, step in (
        ("cop load", cop_load),
        ("script load", lambda: hand_written_load(engine, programme_id)),
    ):
        timings[name], timings[name + " value"] = timed(step, repeats)
    scope, rows = timings.pop("cop load value"), timings.pop("script load value")
    for name, step in (
        ("cop compute", lambda: cop_compute(scope)),
        ("script compute", lambda: script_compute(rows)),
    ):
        timings[name], timings[name + " value"] = timed(step, repeats)
    ours, theirs = timings.pop("cop compute value"), timings.pop("script compute value")
    for key in ("ties", "density", "transitivity", "ei_organisation", "max_core", "modularity"):
        assert all(a[key] == b[key] for a, b in zip(ours, theirs, strict=True)), key
    print("the same rows, the indicators of both windows, medians of", repeats)
    for step in ("load", "compute"):
        cop, script = timings[f"cop {step}"], timings[f"script {step}"]
        print(
            f"{step:<8} cop {cop * 1000:8.1f} ms  script {script * 1000:8.1f} ms  "
            f"ratio {cop / script:5.2f}"
        )
    cop = timings["cop load"] + timings["cop compute"]
    script = timings["script load"] + timings["script compute"]
    print(
        f"together cop {cop * 1000:8.1f} ms  script {script * 1000:8.1f} ms  "
        f"ratio {cop / script:5.2f}"
    )


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
        side_by_side(db.session, db.engine, programme_id)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument(
        "--rounds", type=int, default=PERMUTATION_ROUNDS, help="permutation-test rounds"
    )
    arguments = parser.parse_args()
    main(arguments.scale, arguments.rounds)

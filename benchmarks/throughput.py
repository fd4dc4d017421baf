"""Requests per second of cop's signed-in pages against a bare Flask endpoint doing one SELECT,
under the same gunicorn settings (the README's: 4 workers of 4 threads), side by side in one run,
on national-scale data.

    .venv/bin/python benchmarks/throughput.py [--seconds 10] [--users 10]
    COP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/cop_bench \\
        .venv/bin/python benchmarks/throughput.py

Needs wrk (Debian's package ``wrk``) as the load generator: ``--users`` connections kept open,
each sending its next request when the last one answered, on the same machine. For each page it
prints the requests per second, their ratio to the bare endpoint's, the latency wrk saw (p50,
p95) and the server time cop logged (p95, from its JSON request log). It asserts nothing."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks.load import csrf_of, free_port, serve  # noqa: E402
from benchmarks.pages import BENCHMARK_PASSWORD  # noqa: E402

# wrk reports p50/p75/p90/p99 by itself; this prints what the table needs.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %d\\n", summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


# Sign-in sessions are bound to the browser that signed in (Flask-Login's strong protection):
# the load generator presents the same one.
USER_AGENT = "cop-throughput-benchmark"


def signed_in_cookie(base: str, email: str) -> str:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    token = csrf_of(session.get(f"{base}/sign-in").text)
    answer = session.post(
        f"{base}/sign-in",
        data={"email": email, "password": BENCHMARK_PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"could not sign in as {email}"
    # As a browser does, keep what the first page adds to the session (its form token): a
    # cookie without it would have every page add it again.
    session.get(f"{base}/account")
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def wrk(url: str, users: int, seconds: int, cookie: str, script: Path) -> dict[str, float]:
    command = ["wrk", "-t", "2", "-c", str(users), "-d", f"{seconds}s", "-s", str(script)]
    command += ["-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    requests_done, duration_us, p50, p95, errors = re.search(
        r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", output
    ).groups()
    return {
        "rps": int(requests_done) / (int(duration_us) / 1e6),
        "p50": float(p50),
        "p95": float(p95),
        "errors": int(errors),
    }


def server_p95(log: Path, path: str, since: int) -> tuple[float, int]:
    """The 95th percentile of the durations cop logged for ``path`` after line ``since``, and
    the number of log lines now."""
    durations, lines = [], 0
    with log.open() as handle:
        for lines, line in enumerate(handle, 1):
            if lines <= since or not line.startswith("{"):
                continue
            entry = json.loads(line)
            if entry.get("path") == path.split("?")[0] and "duration_ms" in entry:
                durations.append(entry["duration_ms"])
    if len(durations) < 2:
        return float("nan"), lines
    return statistics.quantiles(durations, n=20)[18], lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the data an earlier run built in the database"
    )
    parser.add_argument(
        "--only", action="append", default=[], help="measure only pages containing this text"
    )
    parser.add_argument(
        "--render-every-time",
        action="store_true",
        help="keep no page as rendered (COP_STORED_PAGE_SECONDS=0): a page just after a write",
    )
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    from benchmarks.pages import benchmark_users, build, busiest_visit_id, main_pages

    app, url = build(arguments.scale, reuse=arguments.reuse)
    from cop.extensions import db
    from cop.visits.models import Visit

    with app.app_context():
        users = benchmark_users(db.session)
        pages = main_pages(db.session)
        visit = busiest_visit_id(db.session)
        programme = db.session.get(Visit, visit).programme_id
    pages += [f"/programmes/{programme}/network", f"/visits/{visit}/report"]
    # What no page can beat: the health check (one SELECT, through cop's request hooks) and
    # an empty signed-in page (the sign-in check and the base template).
    pages = ["/healthz", "/floor", *pages]
    if arguments.only:
        pages = [page for page in pages if any(part in page for part in arguments.only)]
    folder = Path(tempfile.mkdtemp(prefix="cop-throughput-"))
    script = folder / "report.lua"
    script.write_text(WRK_REPORT)
    environment = {
        **os.environ,
        "COP_DATABASE_URL": url,
        "COP_INSTANCE_PATH": str(folder / "instance"),
        "COP_SECRET_KEY": "throughput-benchmark",
        "COP_MAIL_WRITE_TO_FOLDER": "0",
        "COP_LOG_FORMAT": "json",
        "COP_RATELIMIT_STORAGE_URI": "memory://",
        "COP_STORED_PAGE_SECONDS": "0" if arguments.render_every_time else "60",
    }
    cop_port, bare_port = free_port(), free_port()
    cop_log, bare_log = folder / "cop.log", folder / "bare.log"
    servers = [
        # cop with one more page, the signed-in floor (benchmarks/floor_app.py).
        serve(cop_port, cop_log, environment=environment, app="benchmarks.floor_app:create_app()"),
        serve(bare_port, bare_log, environment=environment, app="benchmarks.bare_app:create_app()"),
    ]
    try:
        cop_base, bare_base = f"http://127.0.0.1:{cop_port}", f"http://127.0.0.1:{bare_port}"
        cookie = signed_in_cookie(cop_base, users["lead"])
        for page in pages:  # each page once, so that stored results exist, as on a live server
            answer = requests.get(
                cop_base + page,
                headers={"Cookie": cookie, "User-Agent": USER_AGENT},
                timeout=120,
                allow_redirects=False,
            )
            assert answer.status_code == 200, (page, answer.status_code)
        bare = wrk(bare_base + "/", arguments.users, arguments.seconds, "", script)
        print(
            f"database: {url.split('@')[-1]}; {arguments.users} connections, "
            f"{arguments.seconds} s per page; gunicorn 4 workers x 4 threads; pages "
            + ("rendered every time" if arguments.render_every_time else "kept as rendered")
        )
        print(
            f"{'page (as the lead)':<44} {'req/s':>7} {'ratio':>6} {'p50 ms':>7} "
            f"{'p95 ms':>7} {'server p95':>10}"
        )
        print(
            f"{'bare Flask, one SELECT':<44} {bare['rps']:>7.0f} {1:>6.2f} "
            f"{bare['p50']:>7.1f} {bare['p95']:>7.1f} {'':>10}"
        )
        lines = 0
        for page in pages:
            result = wrk(cop_base + page, arguments.users, arguments.seconds, cookie, script)
            server, lines = server_p95(cop_log, page, lines)
            errors = f"  ({result['errors']} errors)" if result["errors"] else ""
            print(
                f"{page:<44} {result['rps']:>7.0f} {result['rps'] / bare['rps']:>6.2f} "
                f"{result['p50']:>7.1f} {result['p95']:>7.1f} {server:>10.1f}{errors}"
            )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()

"""How long a refused sign-in takes for an address that has an account and for one that has not.

The two must take about as long: if an unknown address were refused at once, the time would tell
an attacker which addresses have accounts. Prints the median and spread of each, and their
ratio, measured in the same run; asserts nothing."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from cop import PROJECT_ROOT, create_app
from cop.accounts.models import User
from cop.extensions import db


def main(repeats: int = 30) -> None:
    folder = Path(tempfile.mkdtemp(prefix="cop-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'cop.sqlite'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        user = User(email="morag@glasgow.example")
        user.set_password("correct horse battery")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    timings: dict[str, list[float]] = {"known address": [], "unknown address": []}
    for _ in range(repeats):
        for label, email in (
            ("known address", "morag@glasgow.example"),
            ("unknown address", "nobody@glasgow.example"),
        ):
            started = time.perf_counter()
            client.post("/sign-in", data={"email": email, "password": "a wrong guess"})
            timings[label].append((time.perf_counter() - started) * 1000)
    print(f"{'refused sign-in':<18}{'median ms':>10}{'p10 ms':>9}{'p90 ms':>9}")
    for label, values in timings.items():
        deciles = statistics.quantiles(values, n=10)
        print(f"{label:<18}{statistics.median(values):>10.1f}{deciles[0]:>9.1f}{deciles[-1]:>9.1f}")
    ratio = statistics.median(timings["unknown address"]) / statistics.median(
        timings["known address"]
    )
    print(f"unknown / known: {ratio:.2f}")


if __name__ == "__main__":
    main()

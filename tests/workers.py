"""A real `cop worker` in a process of its own, on a test's database and SQLite queue."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask


def start_worker(app: Flask, tmp_path: Path, **settings: str) -> subprocess.Popen:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("COP_")}
    environment.update(
        COP_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        COP_QUEUE_URL=app.config["QUEUE_URL"],
        COP_MAIL_WRITE_TO_FOLDER="false",
        COP_SECRET_KEY="test-secret-key",
        COP_INSTANCE_PATH=str(tmp_path / "worker-instance"),
        **{f"COP_{name}": value for name, value in settings.items()},
    )
    return subprocess.Popen(
        [sys.executable, "-m", "cop", "worker"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def stopped_later() -> Iterator[list[subprocess.Popen]]:
    """Processes a test starts, stopped when it ends."""
    processes: list[subprocess.Popen] = []
    yield processes
    for process in processes:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()

"""After contacts change, the network page says its figures are being computed again until a
real `cop worker` (its own process, Huey on SQLite) has computed and stored the new ones."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from cop.computed import store
from cop.extensions import db
from cop.network.stored import REPORT, NetworkQuestion, scopes
from tests.computed.test_stored_network import BEING_COMPUTED, add_contact, page, programme
from tests.conftest import sign_in
from tests.test_queue import wait_until

__all__ = ["programme"]  # the fixture, shared


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict:
    return {"QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite'}"}


def start_worker(app: Flask, tmp_path: Path) -> subprocess.Popen:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("COP_")}
    environment.update(
        COP_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        COP_QUEUE_URL=app.config["QUEUE_URL"],
        COP_MAIL_WRITE_TO_FOLDER="false",
        COP_SECRET_KEY="test-secret-key",
        COP_INSTANCE_PATH=str(tmp_path / "worker-instance"),
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
    processes: list[subprocess.Popen] = []
    yield processes
    for process in processes:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_after_a_contact_the_page_says_so_until_a_worker_has_computed_it_again(
    app: Flask, client, programme, tmp_path: Path, stopped_later
) -> None:
    programme, _visit, lead, people = programme
    ids = programme.id, lead.person_id, people[2].id
    sign_in(client, lead)
    url = f"/programmes/{ids[0]}/network"
    assert BEING_COMPUTED not in page(client, url)

    add_contact(ids[1], ids[2])  # handed to the workers; none is running yet
    db.session.remove()
    stale = page(client, url)
    assert BEING_COMPUTED in stale and "Computed on" in stale

    stopped_later.append(start_worker(app, tmp_path))
    key = REPORT + NetworkQuestion(ids[0]).as_text()

    def recomputed() -> bool:
        db.session.remove()
        current = store.versions(db.session, scopes(ids[0]))
        stored = store.read(db.session, key, current)
        return stored is not None and stored.fresh

    assert wait_until(recomputed, timeout=60)
    db.session.remove()
    assert BEING_COMPUTED not in page(client, url)

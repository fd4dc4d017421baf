"""After data change, a real `cop worker` (its own process, Huey on SQLite) computes the stored
results again: the network page and the evaluation report say their figures are being computed
again until it has, and a visit's calendar is ready again before anyone asks for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from cop.computed import store
from cop.extensions import db
from cop.network.stored import REPORT, NetworkQuestion, scopes
from tests.computed.test_stored_network import BEING_COMPUTED, add_contact, page, programme
from tests.conftest import sign_in
from tests.test_queue import wait_until
from tests.workers import start_worker, stopped_later

__all__ = ["programme", "stopped_later"]  # fixtures, shared


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict:
    return {"QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite'}"}


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


REPORT_BEING_COMPUTED = "the report is being computed again"


def test_the_evaluation_report_is_computed_again_by_a_worker(
    app: Flask, client, programme, tmp_path: Path, stopped_later
) -> None:
    from cop.evaluation import stored as report_pages
    from cop.visits.models import Visit

    programme, visit, lead, people = programme
    ids = visit.id, lead.person_id, people[2].id
    sign_in(client, lead)
    url = f"/visits/{ids[0]}/report"
    first = page(client, url)
    assert "Computed on" in first and REPORT_BEING_COMPUTED not in first

    add_contact(ids[1], ids[2])
    db.session.remove()
    assert REPORT_BEING_COMPUTED in page(client, url)

    stopped_later.append(start_worker(app, tmp_path))
    key = report_pages.key(ids[0], "en_GB")

    def recomputed() -> bool:
        db.session.remove()
        scopes_now = report_pages.scopes(db.session.get(Visit, ids[0]))
        stored = store.read(db.session, key, store.versions(db.session, scopes_now))
        return stored is not None and stored.fresh

    assert wait_until(recomputed, timeout=60)
    db.session.remove()
    assert REPORT_BEING_COMPUTED not in page(client, url)


def test_a_visits_calendar_is_ready_again_before_anyone_asks(
    app: Flask, client, make, programme, tmp_path: Path, stopped_later
) -> None:
    """After an item changes, a worker computes the stored calendar file again, so the next
    reader's request only reads it."""
    from cop.computed.changes import visit_scope
    from cop.itinerary.models import ItineraryItem

    programme, visit, lead, _people = programme
    item_id = make.item(visit, title="Rencontre à la Métropole").id
    visit_id = visit.id
    sign_in(client, lead)
    url = f"/visits/{visit_id}/itinerary.ics"
    assert b"Rencontre" in client.get(url).data
    db.session.get(ItineraryItem, item_id).title = "Rencontre déplacée"
    db.session.commit()  # hands the refresh to the workers; none is running yet
    key = f"ics:{visit_id}:en_GB"

    def ready() -> bool:
        db.session.remove()
        current = store.versions(db.session, [visit_scope(visit_id)])
        stored = store.read(db.session, key, current)
        return stored is not None and stored.fresh

    assert not ready()
    stopped_later.append(start_worker(app, tmp_path))
    assert wait_until(ready, timeout=60)
    assert "Rencontre déplacée" in client.get(url).data.decode()

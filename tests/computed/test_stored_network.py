"""The network page and the evaluation report read a stored network report, which workers
compute again after contacts or members change; the page says when its figures were computed
and whether newer data is on its way."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cop.computed.models import StoredView
from cop.database import count_queries
from cop.extensions import db
from cop.network.models import Contact
from cop.network.stored import REPORT, NetworkQuestion
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text

BEING_COMPUTED = "the figures are being computed again"


@pytest.fixture
def programme(make: Factory):
    """A programme from nothing: one visit to Lyon with a lead and three participants from two
    councils, and the contacts they logged before and after it."""
    fife = make.organisation(name="Fife Council")
    glasgow = make.organisation(name="Glasgow City Council")
    programme = make.programme(name="PB exchange")
    visit = make.visit(title="Visit to Lyon", programme_id=programme.id)
    lead = make.user("lead@fife.example")
    lead.person.organisation_id = fife.id
    people = [make.person(organisation_id=o.id) for o in (fife, glasgow, glasgow)]
    db.session.commit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    for person in people:
        make.member(visit, person)
    for day, first, second in [
        (date(2016, 6, 1), lead.person, people[0]),
        (date(2017, 2, 1), lead.person, people[1]),
        (date(2017, 3, 1), people[0], people[2]),
    ]:
        db.session.add(Contact(from_person=first, to_person=second, day=day))
    db.session.commit()
    return programme, visit, lead, people


def add_contact(first_id: int, second_id: int) -> None:
    db.session.add(Contact(from_person_id=first_id, to_person_id=second_id, day=date(2017, 4, 1)))
    db.session.commit()


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return visible_text(response.get_data(as_text=True))


def test_the_network_is_computed_once_then_read_from_the_store(client, programme) -> None:
    programme, _visit, lead, people = programme
    ids = programme.id, lead.person_id, people[2].id
    sign_in(client, lead)
    url = f"/programmes/{ids[0]}/network"
    with count_queries(db.engine) as first_view:
        first = page(client, url)
    db.session.remove()
    with count_queries(db.engine) as second_view:
        second = page(client, url)
    assert "Computed on" in first and BEING_COMPUTED not in first
    assert second == first
    assert second_view.count < first_view.count  # no contacts or members loaded
    stored_keys = list(db.session.scalars(select(StoredView.key)))
    assert REPORT + NetworkQuestion(ids[0]).as_text() in stored_keys

    # Without workers (the queue immediate), a page that finds its result stale computes it.
    add_contact(ids[1], ids[2])
    db.session.remove()
    with count_queries(db.engine) as after_contact:
        page(client, url)
    assert after_contact.count > second_view.count


def test_the_report_reads_the_network_the_network_page_stored(client, programme) -> None:
    programme, visit, lead, _people = programme
    visit_id = visit.id
    sign_in(client, lead)
    report = page(client, f"/visits/{visit_id}/report")
    assert "Computed on" in report
    question = NetworkQuestion(programme.id, visit_id)
    key = REPORT + question.as_text()
    assert db.session.get(StoredView, key) is not None

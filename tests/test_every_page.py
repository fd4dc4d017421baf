"""No page of any visit or programme fails: on generated data (not the demo), an administrator and
a lead open every GET route of every visit and programme, and every page those link to inside the
visit; nothing answers 5xx."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from cop.accounts.models import User
from cop.extensions import db
from cop.generate import SCALES, generate
from cop.network.export import FORMATS
from cop.visits.models import Membership, MembershipRole, Programme, Visit
from tests.conftest import PASSWORD, Factory, sign_in

# Route arguments the crawl can fill for each visit or programme; other routes are reached by
# following the links of the pages these open.
FILLABLE = {"visit_id", "programme_id", "kind"}
LINK = re.compile(r'href="(/(?:visits|programmes)/[^"#?]+)')


def routes_of(app: Flask, argument: str) -> list[str]:
    """GET rules whose arguments are the given one (and an export kind)."""
    rules = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or argument not in rule.arguments:
            continue
        if rule.arguments <= FILLABLE:
            rules.append(rule)
    return rules


def addresses(app: Flask, argument: str, value: int) -> list[str]:
    found = []
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in routes_of(app, argument):
            kinds = FORMATS if "kind" in rule.arguments else [None]
            for kind in kinds:
                values = {argument: value, **({"kind": kind} if kind else {})}
                found.append(adapter.build(rule.endpoint, values, method="GET"))
    return found


def crawl(client: FlaskClient, start: list[str]) -> dict[str, int]:
    """Open every address, then every page of a visit or programme they link to."""
    seen: dict[str, int] = {}
    queue = list(start)
    while queue:
        address = queue.pop()
        if address in seen:
            continue
        response = client.get(address)
        seen[address] = response.status_code
        if response.status_code == 200 and response.mimetype == "text/html":
            for linked in LINK.findall(response.get_data(as_text=True)):
                if linked not in seen and len(seen) < 4000:
                    queue.append(linked)
    return seen


def account_for(person_id: int, **flags: bool) -> User:
    user = User(email=f"crawler{person_id}@example.org", person_id=person_id, **flags)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def test_no_page_of_generated_visits_and_programmes_fails(app: Flask, make: Factory) -> None:
    generate(db.session, SCALES["small"], seed=2016)
    db.session.commit()
    # A visit and a programme started from nothing, next to the generated ones.
    empty_programme = make.programme()
    empty_visit = make.visit(programme_id=empty_programme.id, start_date=None, end_date=None)
    lead_person = make.person()
    make.member(empty_visit, lead_person, MembershipRole.LEAD)
    admin = make.user(admin=True)
    lead_membership = db.session.scalar(
        db.select(Membership).where(Membership.role == MembershipRole.LEAD).limit(1)
    )
    lead = account_for(lead_membership.person_id)
    make.member(empty_visit, lead.person, MembershipRole.LEAD)
    start = []
    for visit_id in db.session.scalars(db.select(Visit.id)):
        start += addresses(app, "visit_id", visit_id)
    for programme_id in db.session.scalars(db.select(Programme.id)):
        start += addresses(app, "programme_id", programme_id)
    for user in (admin, lead):
        client = app.test_client()
        sign_in(client, user)
        statuses = crawl(client, start)
        failures = {address: status for address, status in statuses.items() if status >= 500}
        assert not failures, failures
        # The crawl saw pages, not only refusals: every page of the lead's own new visit opened.
        assert statuses[f"/visits/{empty_visit.id}"] == 200
        assert statuses[f"/visits/{empty_visit.id}/report"] == 200
    assert sum(status == 200 for status in statuses.values()) > 100

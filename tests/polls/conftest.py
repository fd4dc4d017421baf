"""What the poll tests share: a mail server, and a visit to Paris with a lead, a participant
and a French host."""

from __future__ import annotations

import pytest

from cop.extensions import db
from cop.visits.models import MembershipRole
from tests.conftest import Factory
from tests.mailserver import MailServer


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def config_overrides(mail_server) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_server.port}


@pytest.fixture
def visit_to_paris(make: Factory):
    glasgow = make.organisation(name="Glasgow City Council", subdivision="SCT")
    ville = make.organisation(
        name="Ville de Paris",
        country="FR",
        subdivision=None,
        language="fr",
        time_zone="Europe/Paris",
    )
    visit = make.visit(start_date=None, end_date=None)
    lead = make.user("lead@glasgow.example")
    lead.person.organisation_id = glasgow.id
    participant = make.user("participant@glasgow.example")
    participant.person.organisation_id = glasgow.id
    host = make.person(
        name="Claire Dubois",
        email="hote@paris.example",
        organisation_id=ville.id,
        preferred_language="fr",
    )
    db.session.commit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, participant.person)
    make.member(visit, host, MembershipRole.HOST)
    return visit, lead, participant, host

"""What the itinerary tests share: the Paris visit with its people."""

from __future__ import annotations

import pytest

from cop.extensions import db
from cop.visits.models import MembershipRole
from tests.conftest import Factory


@pytest.fixture
def paris(make: Factory):
    """The Paris visit with a Glasgow lead, a Fife participant and a Paris host."""
    glasgow = make.organisation(name="Glasgow City Council", time_zone="Europe/London")
    fife = make.organisation(name="Fife Council", time_zone="Europe/London")
    ville = make.organisation(name="Ville de Paris", country="FR", time_zone="Europe/Paris")
    visit = make.visit(title="PB study visit to Paris", status=None or make.visit().status)
    lead = make.user("lead@glasgow.example")
    lead.person.organisation_id = glasgow.id
    participant = make.user("participant@fife.example")
    participant.person.organisation_id = fife.id
    host = make.user("hote@paris.example", locale="fr")
    host.person.organisation_id = ville.id
    host.person.preferred_language = "fr"
    db.session.commit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, participant.person)
    make.member(visit, host.person, MembershipRole.HOST)
    return visit, lead, participant, host

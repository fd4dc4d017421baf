from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask

from cop.directory.models import Person
from cop.extensions import db
from cop.reflections.logic import ensure_codebook, ensure_guide
from cop.reflections.models import Consent, Phase, Reflection
from cop.visits.models import MembershipRole, ProgrammeResearcher, Visit
from tests.conftest import Factory


@dataclass
class Study:
    """A visit of a programme with a writer and everyone who might try to read them."""

    visit: Visit
    programme_id: int
    users: dict[str, Any] = field(default_factory=dict)

    def reflection(
        self,
        consent: Consent,
        *,
        writer: str = "writer",
        phase: Phase = Phase.AFTER,
        submitted: bool = True,
        texts: tuple[str, ...] = ("Paris has a named PB officer in every department.",),
    ) -> Reflection:
        writer_person = db.session.get(Person, self.users[writer].person_id)
        return Factory().reflection(
            self.visit, writer_person, consent, phase=phase, submitted=submitted, texts=texts
        )


@pytest.fixture
def study(app: Flask, make: Factory) -> Study:
    programme = make.programme()
    glasgow = make.organisation(name="Glasgow City Council")
    visit = make.visit(programme_id=programme.id)
    built = Study(visit=visit, programme_id=programme.id)
    roles = {
        "writer": MembershipRole.PARTICIPANT,
        "colleague": MembershipRole.PARTICIPANT,
        "lead": MembershipRole.LEAD,
        "visit_researcher": MembershipRole.RESEARCHER,
        "host": MembershipRole.HOST,
    }
    for name, role in roles.items():
        person = make.person(
            name=f"{name.replace('_', ' ').title()} Person", organisation_id=glasgow.id
        )
        user = make.user(person=person, email=person.email)
        make.member(visit, person, role)
        built.users[name] = user
    # The installation's researcher, assigned to study this programme.
    built.users["researcher"] = make.user(researcher=True)
    db.session.add(
        ProgrammeResearcher(programme_id=programme.id, user_id=built.users["researcher"].id)
    )
    db.session.commit()
    built.users["admin"] = make.user(admin=True)
    built.users["outsider"] = make.user()
    ensure_guide(db.session, visit.id)
    ensure_codebook(db.session, programme.id)
    db.session.commit()
    return built

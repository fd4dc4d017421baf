"""What researchers may read, in Python (``may_read``) and in SQL (``readable_by_researchers``):
the two agree on every consent, drafts and submitted, so a page filtering in SQL shows exactly
what the rule allows. Plain session, no app."""

from __future__ import annotations

import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.reflections.logic import Reader, may_read, readable_by_researchers
from cop.reflections.models import Consent, Reflection
from tests.conftest import Factory


def test_the_sql_filter_agrees_with_the_consent_rule(build: Factory, session: Session) -> None:
    visit = build.visit()
    writer, researcher = build.person(), build.person()
    written = [
        build.reflection(visit, writer, consent, submitted=submitted)
        for consent, submitted in itertools.product(Consent, (True, False))
    ]
    selected = set(session.scalars(select(Reflection.id).where(readable_by_researchers())))
    reader = Reader(person_id=researcher.id, researcher=True)

    for reflection in written:
        assert (reflection.id in selected) == may_read(reader, reflection), (
            reflection.consent,
            reflection.is_draft,
        )
    # And it is not vacuous: some are readable, drafts and private ones are not.
    assert selected and len(selected) == len([c for c in Consent if c.researchers_read])


def test_writers_read_their_own_drafts_and_private_reflections(build: Factory) -> None:
    writer = build.person()
    draft = build.reflection(build.visit(), writer, Consent.PRIVATE, submitted=False)
    assert may_read(Reader(person_id=writer.id, researcher=False), draft)
    assert not may_read(Reader(person_id=build.person().id, researcher=True), draft)

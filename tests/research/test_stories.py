"""A value-creation story, and finding whom a pseudonym stands for: cop.research.stories on a
plain session, with no app."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cop.actions.models import Action
from cop.pseudonyms import pseudonym
from cop.reflections import logic
from cop.reflections.defaults import CYCLES_ROOT
from cop.reflections.models import Consent
from cop.research import stories
from cop.research.models import CodedSegment
from tests.conftest import Factory

SECRET = "installation-secret"


def code_passage(session: Session, coder_id: int, passage_id: int, code_id: int) -> None:
    session.add(
        CodedSegment(
            passage_id=passage_id, code_id=code_id, coder_id=coder_id, char_start=0, char_end=5
        )
    )
    session.flush()


def test_a_story_follows_the_cycles_order_and_keeps_to_what_the_reader_may_read(
    build: Factory, session: Session
) -> None:
    programme = build.programme()
    visit = build.visit(programme_id=programme.id)
    officer, coder = build.person(name="Morag"), build.user(researcher=True)
    build.member(visit, officer)
    shared = build.reflection(visit, officer, Consent.NAMED, texts=("Paris names a PB officer",))
    private = build.reflection(visit, officer, Consent.PRIVATE, texts=("Only mine",))
    immediate, _potential, applied, *_rest = logic.children_of(session, programme.id, CYCLES_ROOT)
    code_passage(session, coder.id, shared.passages[0].id, applied.id)
    code_passage(session, coder.id, shared.passages[0].id, immediate.id)
    code_passage(session, coder.id, private.passages[0].id, immediate.id)
    session.add(
        Action(visit_id=visit.id, title="Name a PB officer in Glasgow", owner_id=officer.id)
    )
    session.flush()

    found = stories.story_of(
        session, programme.id, officer.id, logic.Reader(coder.person_id, researcher=True)
    )

    assert found.reflections == [shared] and found.named
    assert [cycle.default_key for cycle, _segments in found.by_cycle] == [
        "immediate",
        "potential",
        "applied",
        "realised",
        "reframing",
    ]
    counts = [len(segments) for _cycle, segments in found.by_cycle]
    assert counts == [1, 0, 1, 0, 0]  # the private reflection's code is not in the story
    assert [a.title for a in found.actions] == ["Name a PB officer in Glasgow"]


def test_a_pseudonym_finds_only_people_of_the_programme(build: Factory, session: Session) -> None:
    programme = build.programme()
    member, outsider = build.person(), build.person()
    build.member(build.visit(programme_id=programme.id), member)
    build.member(build.visit(), outsider)

    assert stories.person_behind(session, programme.id, pseudonym(SECRET, member.id), SECRET) == (
        member
    )
    assert stories.person_behind(session, programme.id, pseudonym(SECRET, outsider.id), SECRET) is (
        None
    )

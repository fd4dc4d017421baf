"""A person's own reflections: the download holds everything they wrote and what was coded in
it, nobody else's; deleting all removes only theirs. Plain session, no app."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from cop.reflections import mine
from cop.reflections.models import Consent
from cop.research.models import Code, CodedSegment
from tests.conftest import Factory

NOW = datetime(2017, 3, 1, 12, 0, tzinfo=UTC)


def test_the_download_holds_ones_own_reflections_with_their_codes(
    build: Factory, session: Session
) -> None:
    programme = build.programme()
    visit = build.visit(programme_id=programme.id, title="Paris")
    writer, other, coder = build.person(), build.person(), build.user(researcher=True)
    own = build.reflection(visit, writer, Consent.PRIVATE, texts=("Name a PB officer",))
    build.reflection(visit, other, Consent.NAMED, texts=("Not hers",))
    code = session.query(Code).filter_by(programme_id=programme.id).first()
    session.add(
        CodedSegment(
            passage_id=own.passages[0].id,
            code_id=code.id,
            coder_id=coder.id,
            char_start=0,
            char_end=4,
        )
    )
    session.flush()

    data = mine.personal_export(session, writer.id, "Morag", NOW)

    assert data["person"] == "Morag" and data["downloaded_at"] == NOW.isoformat()
    [reflection] = data["reflections"]
    assert reflection["visit"] == "Paris" and reflection["consent"] == "private"
    [passage] = reflection["passages"]
    assert passage["text"] == "Name a PB officer"
    assert [c["quote"] for c in passage["codes"]] == ["Name"]


def test_deleting_all_removes_only_ones_own(build: Factory, session: Session) -> None:
    visit = build.visit()
    writer, other = build.person(), build.person()
    build.reflection(visit, writer)
    build.reflection(visit, writer, submitted=False)
    kept = build.reflection(visit, other)
    assert mine.delete_all(session, writer.id) == 2
    session.flush()
    assert mine.reflections_of(session, writer.id) == []
    assert mine.reflections_of(session, other.id) == [kept]
    assert mine.delete_all(session, None) == 0

"""The guide, the codebook and who may read which reflection (plain functions, no Flask)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from cop.pseudonyms import pseudonym
from cop.reflections.defaults import (
    CODE_DEFINITIONS,
    CODE_NAMES,
    DEFAULT_CODEBOOK,
    DEFAULT_GUIDE,
    QUESTION_TEXTS,
    THEMES_ROOT,
)
from cop.reflections.models import Consent, GuideQuestion, Passage, Phase, Reflection, SelfRating
from cop.reflections.transcripts import Turn
from cop.research.models import Code, CodedSegment

# Phases a person writes one reflection for; "during" has one per session.
ONE_PER_PERSON = frozenset(Phase) - {Phase.DURING}


def question_text(question: GuideQuestion) -> str:
    if question.default_key and not question.text:
        return str(QUESTION_TEXTS[question.default_key])
    return question.text


def code_name(code: Code) -> str:
    if code.default_key and not code.name:
        return str(CODE_NAMES[code.default_key])
    return code.name


def code_definition(code: Code) -> str:
    if code.default_key and not code.definition:
        return str(CODE_DEFINITIONS[code.default_key])
    return code.definition


def default_guide_questions(visit_id: int) -> list[GuideQuestion]:
    return [
        GuideQuestion(
            visit_id=visit_id, phase=phase, position=position, kind=kind, default_key=key, text=""
        )
        for phase, questions in DEFAULT_GUIDE.items()
        for position, (key, kind) in enumerate(questions)
    ]


def ensure_guide(session: Session, visit_id: int) -> None:
    """Give a visit the default guide the first time anyone needs it."""
    has_guide = session.scalar(
        select(GuideQuestion.id).where(GuideQuestion.visit_id == visit_id).limit(1)
    )
    if has_guide is None:
        session.add_all(default_guide_questions(visit_id))
        session.flush()


def guide_questions(session: Session, visit_id: int, phase: Phase) -> list[GuideQuestion]:
    return list(
        session.scalars(
            select(GuideQuestion)
            .where(GuideQuestion.visit_id == visit_id, GuideQuestion.phase == phase)
            .order_by(GuideQuestion.position, GuideQuestion.id)
        )
    )


def ensure_codebook(session: Session, programme_id: int) -> None:
    """Give a programme the default codebook the first time anyone needs it."""
    has_codes = session.scalar(select(Code.id).where(Code.programme_id == programme_id).limit(1))
    if has_codes is not None:
        return
    for root_position, (root_key, children) in enumerate(DEFAULT_CODEBOOK):
        root = Code(programme_id=programme_id, default_key=root_key, position=root_position)
        session.add(root)
        session.flush()
        session.add_all(
            Code(programme_id=programme_id, parent_id=root.id, default_key=key, position=position)
            for position, key in enumerate(children)
        )
    session.flush()


@dataclass(frozen=True)
class CodeLine:
    """A code placed in the tree: its depth and the names from the root down to it."""

    code: Code
    depth: int
    path: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.path[-1]


def code_tree(codes: Iterable[Code]) -> list[CodeLine]:
    """Codes in reading order: each parent followed by its children, by position."""
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    for siblings in children.values():
        siblings.sort(key=lambda code: (code.position, code.id))
    lines: list[CodeLine] = []

    def walk(parent_id: int | None, depth: int, path: tuple[str, ...]) -> None:
        for code in children.get(parent_id, []):
            here = (*path, code_name(code))
            lines.append(CodeLine(code, depth, here))
            walk(code.id, depth + 1, here)

    walk(None, 0, ())
    return lines


def programme_codes(session: Session, programme_id: int) -> list[CodeLine]:
    return code_tree(session.scalars(select(Code).where(Code.programme_id == programme_id)))


def children_of(session: Session, programme_id: int, root_key: str) -> list[Code]:
    """The codes under one of the default roots (the learning themes, the value cycles)."""
    root = session.scalar(
        select(Code).where(
            Code.programme_id == programme_id,
            Code.default_key == root_key,
            Code.parent_id.is_(None),
        )
    )
    if root is None:
        return []
    return list(
        session.scalars(
            select(Code).where(Code.parent_id == root.id).order_by(Code.position, Code.id)
        )
    )


def learning_themes(session: Session, programme_id: int) -> list[Code]:
    return children_of(session, programme_id, THEMES_ROOT)


def descendants(session: Session, code: Code) -> list[int]:
    """The ids of a code and every code below it."""
    ids = [code.id]
    frontier = [code.id]
    while frontier:
        frontier = list(session.scalars(select(Code.id).where(Code.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


def is_in_use(session: Session, code: Code) -> bool:
    """Whether the code or one below it has been applied, or rated as a learning theme: deleting
    it would delete those codings or people's self-ratings with it."""
    ids = descendants(session, code)
    applied = session.scalar(
        select(func.count(CodedSegment.id)).where(CodedSegment.code_id.in_(ids))
    )
    rated = session.scalar(select(func.count(SelfRating.id)).where(SelfRating.code_id.in_(ids)))
    return bool(applied or rated)


@dataclass(frozen=True)
class Reader:
    """Who is reading: their person, and whether they read as a researcher."""

    person_id: int | None
    researcher: bool


def may_read(reader: Reader, reflection: Reflection) -> bool:
    """The consent matrix. Writers always read their own; researchers read submitted reflections
    whose writer allowed it; nobody else reads anyone's reflections."""
    if reader.person_id is not None and reader.person_id == reflection.person_id:
        return True
    return reader.researcher and not reflection.is_draft and reflection.consent.researchers_read


def readable_consents() -> list[Consent]:
    return [consent for consent in Consent if consent.researchers_read]


def readable_by_researchers() -> ColumnElement[bool]:
    """``may_read`` for a researcher who did not write the reflection, as a WHERE clause: every
    research page and export filters with this one condition."""
    return and_(Reflection.submitted_at.is_not(None), Reflection.consent.in_(readable_consents()))


def writer_label(reader: Reader, reflection: Reflection, secret_key: str) -> str:
    """The name a reader sees for the writer: the name when consent allows, else the pseudonym."""
    if reader.person_id == reflection.person_id or reflection.consent.researchers_see_name:
        return reflection.person.name
    return pseudonym(secret_key, reflection.person_id)


def _label_key(label: str) -> str:
    return "".join(character for character in label.casefold() if character.isalnum())


def labels_of(name: str) -> set[str]:
    """The ways a transcript labels a speaker: their full name, first or last name, or initials
    ("Iain Murray", "Iain", "Murray", "IM", "I.M."), compared without case or punctuation."""
    words = [word for word in name.replace("-", " ").split() if word]
    keys = {_label_key(name), *(_label_key(word) for word in words)}
    if len(words) > 1:
        keys.add(_label_key("".join(word[0] for word in words)))
    return {key for key in keys if key}


def map_speakers(
    labels: list[str], people: list[tuple[int, str]], extra: dict[int, list[str]] | None = None
) -> dict[str, int]:
    """Which person each distinct speaker label stands for. ``people`` are the candidates
    (the interviewee first, then the interviewer), ``extra`` more labels given for them; a
    label that fits two people, or none, is left unmapped."""
    known: dict[str, set[int]] = {}
    for person_id, name in people:
        for key in labels_of(name) | {_label_key(x) for x in (extra or {}).get(person_id, [])}:
            known.setdefault(key, set()).add(person_id)
    mapped = {}
    for label in set(labels):
        matches = known.get(_label_key(label), set())
        if len(matches) == 1:
            mapped[label] = next(iter(matches))
    return mapped


def speaker_label(
    reflection: Reflection, speaker: str, speaker_person_id: int | None, named: bool, secret: str
) -> str:
    """How a turn's speaker is shown: a turn of the interviewee (mapped at transcription, or
    labelled with their very name) shows their pseudonym unless ``named`` (they agreed and the
    reader may see names). Other speakers keep their label."""
    own = speaker_person_id == reflection.person_id or (
        speaker_person_id is None and speaker and speaker == reflection.person.name
    )
    if not own:
        return speaker
    return reflection.person.name if named else pseudonym(secret, reflection.person_id)


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quoted stretch lies in a passage, ignoring differences in spacing at its ends."""
    wanted = quote.strip()
    if not wanted:
        return None
    start = text.find(wanted)
    if start < 0:
        return None
    return start, start + len(wanted)


def baseline_ratings(session: Session, visit_id: int, person_id: int) -> dict[int, int]:
    """A person's self-ratings before the visit, by theme: the baseline later ones are read
    against."""
    return {
        code_id: score
        for code_id, score in session.execute(
            select(SelfRating.code_id, SelfRating.score)
            .join(Reflection, Reflection.id == SelfRating.reflection_id)
            .where(
                Reflection.visit_id == visit_id,
                Reflection.person_id == person_id,
                Reflection.phase == Phase.BEFORE,
            )
        )
    }


def passages_of(turns: Iterable[Turn], speakers: dict[str, int]) -> list[Passage]:
    """A transcript's turns as passages, each speaker label mapped to the person it names."""
    return [
        Passage(
            position=position,
            speaker=turn.speaker,
            speaker_person_id=speakers.get(turn.speaker),
            starts_ms=turn.starts_ms,
            ends_ms=turn.ends_ms,
            text=turn.text,
        )
        for position, turn in enumerate(turns)
    ]

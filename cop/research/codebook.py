"""Changing a codebook as QDA tools allow (no Flask here): merging one code into another, and
a coder taking back their last coding."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cop.actions.models import Action
from cop.reflections.logic import descendants
from cop.reflections.models import Passage, Reflection, SelfRating
from cop.research.models import Code, CodedSegment
from cop.visits.models import Visit

# Codes without a colour of their own take one of these by their id: distinct hues that stay
# readable as light tints behind black text.
PALETTE = (
    "#1d70b8",
    "#d4351c",
    "#00703c",
    "#f47738",
    "#4c2c92",
    "#28a197",
    "#d53880",
    "#b58840",
    "#5694ca",
    "#85994b",
    "#912b88",
    "#6f777b",
)
TINT = 0.72  # how much white a marked stretch's background is mixed with


def code_colour(code: Code) -> str:
    return code.colour or PALETTE[code.id % len(PALETTE)]


def tint(colour: str) -> str:
    """The colour mixed with white, for a background under text."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * TINT):02x}" for c in (red, green, blue))


@dataclass(frozen=True)
class Run:
    """A stretch of a passage and the codes covering it (none: plain text)."""

    text: str
    code_ids: tuple[int, ...]


def marked_runs(text: str, spans: list[tuple[int, int, int]]) -> list[Run]:
    """The passage cut where any coded span (start, end, code id) starts or ends, each piece
    with the codes covering it in the order they were given."""
    cuts = sorted({0, len(text), *(p for s, e, _c in spans for p in (s, e) if 0 <= p <= len(text))})
    runs = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(dict.fromkeys(c for s, e, c in spans if s <= start and end <= e))
        if runs and runs[-1].code_ids == covering:
            runs[-1] = Run(runs[-1].text + text[start:end], covering)
        else:
            runs.append(Run(text[start:end], covering))
    return runs


class MergeRefused(ValueError):
    """A code cannot be merged into itself or into a code below it."""


@dataclass(frozen=True)
class Merged:
    codings_moved: int
    codings_already_there: int
    ratings_moved: int
    codes_moved: int


def merge_codes(session: Session, source: Code, target: Code) -> Merged:
    """Everything given the source code goes to the target: codings (one that repeats a
    coding the coder had already given the target is dropped), self-ratings (where a
    reflection rated both, its rating of the target stays), actions' themes and the codes under
    it; then the source goes. Not committed."""
    if source.programme_id != target.programme_id or target.id in descendants(session, source):
        raise MergeRefused
    moved = repeated = 0
    for segment in session.scalars(select(CodedSegment).where(CodedSegment.code_id == source.id)):
        twin = session.scalar(
            select(CodedSegment.id).where(
                CodedSegment.code_id == target.id,
                CodedSegment.passage_id == segment.passage_id,
                CodedSegment.coder_id == segment.coder_id,
                CodedSegment.char_start == segment.char_start,
                CodedSegment.char_end == segment.char_end,
            )
        )
        if twin is None:
            segment.code_id = target.id
            moved += 1
        else:
            session.delete(segment)
            repeated += 1
    rated = set(
        session.scalars(select(SelfRating.reflection_id).where(SelfRating.code_id == target.id))
    )
    ratings = 0
    for rating in session.scalars(select(SelfRating).where(SelfRating.code_id == source.id)):
        if rating.reflection_id in rated:
            session.delete(rating)
        else:
            rating.code_id = target.id
            ratings += 1
    for action in session.scalars(select(Action).where(Action.theme_id == source.id)):
        action.theme_id = target.id
    last = session.scalar(select(func.max(Code.position)).where(Code.parent_id == target.id))
    children = session.scalars(
        select(Code).where(Code.parent_id == source.id).order_by(Code.position, Code.id)
    ).all()
    for offset, child in enumerate(children):
        child.parent_id = target.id
        child.position = (last if last is not None else -1) + 1 + offset
    session.flush()
    session.delete(source)
    session.flush()
    return Merged(moved, repeated, ratings, len(children))


def last_coding(session: Session, programme_id: int, coder_id: int) -> CodedSegment | None:
    """The coder's most recent coding in the programme, the one "undo" takes back."""
    return session.scalar(
        select(CodedSegment)
        .join(Passage, Passage.id == CodedSegment.passage_id)
        .join(Reflection, Reflection.id == Passage.reflection_id)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(Visit.programme_id == programme_id, CodedSegment.coder_id == coder_id)
        .order_by(CodedSegment.created_at.desc(), CodedSegment.id.desc())
        .limit(1)
    )

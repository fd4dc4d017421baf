"""Quotes from coded passages, each stretch of words once (no Flask here).

Two coders coding the same words is what makes agreement measurable, but a reader of a theme or
of the report wants the words once: segments of one passage that overlap become one quote
spanning them all, carrying every code they were given; stretches of a passage that do not
touch stay separate quotes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cop.reflections.models import Passage
from cop.research.models import Code, CodedSegment


@dataclass(frozen=True)
class Quote:
    passage: Passage
    start: int
    end: int
    codes: tuple[Code, ...]  # in the order coders first gave them, each once

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def quotes_of(segments: Iterable[CodedSegment]) -> list[Quote]:
    """One quote per stretch of a passage that any coder coded, in the order the passages'
    first segments come."""
    by_passage: dict[int, list[CodedSegment]] = {}
    for segment in segments:
        by_passage.setdefault(segment.passage_id, []).append(segment)
    quotes: list[Quote] = []
    for found in by_passage.values():
        stretch: list[CodedSegment] = []
        for segment in sorted(found, key=lambda s: (s.char_start, s.char_end)):
            if stretch and segment.char_start >= max(s.char_end for s in stretch):
                quotes.append(_joined(stretch))
                stretch = []
            stretch.append(segment)
        quotes.append(_joined(stretch))
    return quotes


def _joined(stretch: list[CodedSegment]) -> Quote:
    codes: dict[int, Code] = {}
    for segment in sorted(stretch, key=lambda s: s.id or 0):
        codes.setdefault(segment.code_id, segment.code)
    return Quote(
        stretch[0].passage,
        min(s.char_start for s in stretch),
        max(s.char_end for s in stretch),
        tuple(codes.values()),
    )

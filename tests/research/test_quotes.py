"""Quotes: two coders coding the same words make one quote, with every code they gave; parts of a
passage that do not touch stay separate quotes. Frozen inputs, no database."""

from __future__ import annotations

from cop.reflections.models import Passage
from cop.research.models import Code, CodedSegment
from cop.research.quotes import quotes_of

TEXT = "Paris names a PB officer in every district. The budget is voted online."
OFFICER = (0, 43)  # "Paris names a PB officer in every district."
VOTE = (44, 71)  # "The budget is voted online."

staffing, digital = Code(id=1, name="Staffing"), Code(id=2, name="Digital")


def segment(number: int, span: tuple[int, int], code: Code, passage: Passage) -> CodedSegment:
    return CodedSegment(
        id=number,
        passage_id=passage.id,
        passage=passage,
        code_id=code.id,
        code=code,
        coder_id=number,
        char_start=span[0],
        char_end=span[1],
    )


def test_two_coders_coding_the_same_words_make_one_quote() -> None:
    passage = Passage(id=1, text=TEXT)

    [quote] = quotes_of(
        [segment(1, OFFICER, staffing, passage), segment(2, OFFICER, staffing, passage)]
    )

    assert quote.text == "Paris names a PB officer in every district."
    assert quote.codes == (staffing,)


def test_overlapping_spans_join_into_one_quote_with_both_codes() -> None:
    passage = Passage(id=1, text=TEXT)

    [quote] = quotes_of(
        [segment(1, (0, 24), staffing, passage), segment(2, (6, 43), digital, passage)]
    )

    assert quote.text == "Paris names a PB officer in every district."
    assert quote.codes == (staffing, digital)


def test_separate_stretches_of_a_passage_stay_separate_quotes() -> None:
    passage = Passage(id=1, text=TEXT)

    quotes = quotes_of([segment(1, VOTE, digital, passage), segment(2, OFFICER, staffing, passage)])

    assert [q.text for q in quotes] == [
        "Paris names a PB officer in every district.",
        "The budget is voted online.",
    ]


def test_the_same_words_in_two_passages_are_two_quotes() -> None:
    first, second = Passage(id=1, text=TEXT), Passage(id=2, text=TEXT)

    quotes = quotes_of(
        [segment(1, OFFICER, staffing, first), segment(2, OFFICER, staffing, second)]
    )

    assert [q.passage.id for q in quotes] == [1, 2]

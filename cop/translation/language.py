"""Which language a text is written in, told by a language-identification library that
works offline (lingua ships its models); no Flask here.

A text too short to tell, or written in two languages, is UNDETERMINED (BCP 47's "und"): the
person who knows chooses, and nothing is translated from a language nobody has named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

UNDETERMINED = "und"

# Besides the visit's own languages, the languages a European council's correspondence most
# often meets: a German or Spanish mail is then told as such, not taken for English or French.
# Each language's models cost memory (about 25 MB), so not all of lingua's 75 are loaded.
USUAL_LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")

# How much more likely the best language must be than the next before it is believed; below
# it lingua answers "don't know" (its measure, from 0 to 0.99).
MINIMUM_RELATIVE_DISTANCE = 0.25

# Fewer letters than this (or a single word) is too short to tell: "OK", "Merci".
SHORTEST = 8
# A paragraph shorter than this is not weighed on its own when looking for a second language.
PARAGRAPH_LETTERS = 25
# A second language that holds this share of a text's letters makes the text mixed.
MIXED_SHARE = 0.2

QUOTED_LINE = re.compile(r"^\s*>")
# Where the writer's own words end: a forwarded message, or the quotation of the message
# answered ("On 2 May, Claire wrote:", "Le 2 mai, Claire a écrit :").
OWN_WORDS_END = re.compile(
    r"^\s*(-{3,}\s*(forwarded message|message transféré|original message|message d'origine)"
    r".*|.*\b(wrote|a écrit)\s*:\s*)$",
    re.IGNORECASE | re.MULTILINE,
)


HEADER_LINE = re.compile(r"^\s*[\w-]+\s*:\s")


def own_words(text: str) -> str:
    """The writer's own words: the text before any forwarded or quoted message, without
    quoted lines; for a bare forward, the forwarded message's text without its headers."""
    while True:  # a forward of a forward ...: the first text someone wrote
        cut = OWN_WORDS_END.search(text)
        head = text[: cut.start()] if cut else text
        kept = "\n".join(line for line in head.splitlines() if not QUOTED_LINE.match(line))
        if _letters(kept) or cut is None:
            return kept.strip()
        forwarded = text[cut.end() :].strip("\n").splitlines()
        while forwarded and HEADER_LINE.match(forwarded[0]):
            forwarded.pop(0)  # From:, Date:, Subject: (De :, Objet :) of the forwarded message
        text = "\n".join(forwarded)


def identify(text: str, candidates: Iterable[str] = ()) -> str:
    """The language ``text`` is written in, as an ISO 639-1 code, among the ``candidates`` and
    the usual languages; UNDETERMINED when it is too short to tell, when the library is unsure,
    or when a second language holds a fair share of it."""
    words = own_words(text)
    if _letters(words) < SHORTEST or len(re.findall(r"\w{2,}", words)) < 2:
        return UNDETERMINED
    detector = _detector(_supported(candidates))
    found = _code(detector.detect_language_of(words))
    if found == UNDETERMINED:
        return UNDETERMINED
    shares: dict[str, int] = {}
    for paragraph in re.split(r"\n\s*\n", words):
        letters = _letters(paragraph)
        if letters >= PARAGRAPH_LETTERS:
            code = _code(detector.detect_language_of(paragraph))
            shares[code] = shares.get(code, 0) + letters
    weighed = sum(shares.values())
    others = sum(count for code, count in shares.items() if code not in (found, UNDETERMINED))
    if weighed and others / weighed >= MIXED_SHARE:
        return UNDETERMINED
    return found


def _letters(text: str) -> int:
    return sum(character.isalpha() for character in text)


def _code(language: object | None) -> str:
    if language is None:
        return UNDETERMINED
    return language.iso_code_639_1.name.lower()  # type: ignore[attr-defined]


def _supported(candidates: Iterable[str]) -> frozenset[str]:
    known = {language.iso_code_639_1.name.lower() for language in Language.all()}
    return frozenset(code for code in (*USUAL_LANGUAGES, *candidates) if code in known)


@lru_cache(maxsize=8)
def _detector(codes: frozenset[str]) -> LanguageDetector:
    # Built once per set of languages and kept: loading the models takes about a second.
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(
            *(IsoCode639_1.from_str(code) for code in sorted(codes))
        )
        .with_minimum_relative_distance(MINIMUM_RELATIVE_DISTANCE)
        .build()
    )

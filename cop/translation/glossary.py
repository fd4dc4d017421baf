"""Keeping glossary terms consistent through machine translation: each term is swapped for a
placeholder before the provider sees the text, and the glossary's rendering put back after."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    source: str
    target: str  # what to write in the target language ("" or the source when kept as is)
    explanation: str = ""
    keep: bool = False  # do not translate: the source term stays


def oriented_terms(rows, source_language: str, target_language: str) -> list[Term]:
    """Glossary rows usable for this direction, as (source term -> target rendering)."""
    terms = []
    for row in rows:
        if (row.language_a, row.language_b) == (source_language, target_language):
            source, target = row.term_a, row.term_b
        elif (row.language_b, row.language_a) == (source_language, target_language):
            source, target = row.term_b, row.term_a
        else:
            continue
        if not source:
            continue
        keep = row.do_not_translate or not target
        terms.append(Term(source, source if keep else target, row.explanation, keep))
    return sorted(terms, key=lambda term: -len(term.source))


PLACEHOLDER = "[G{}]"


def protect(text: str, terms: list[Term]) -> tuple[str, dict[str, Term]]:
    """Replace glossary terms (whole words, any case) by placeholders the provider leaves alone."""
    found: dict[str, Term] = {}
    for term in terms:
        pattern = re.compile(rf"(?<!\w){re.escape(term.source)}(?!\w)", re.IGNORECASE)
        if pattern.search(text):
            marker = PLACEHOLDER.format(len(found))
            found[marker] = term
            text = pattern.sub(marker, text)
    return text, found


def restore(text: str, found: dict[str, Term]) -> str:
    for marker, term in found.items():
        # Providers sometimes add spaces inside brackets; accept "[ G1 ]" too.
        loose = re.compile(r"\[\s*" + re.escape(marker[1:-1]) + r"\s*\]")
        text = loose.sub(lambda _match, term=term: term.target, text)
    return text


def notes_for(text: str, terms: list[Term]) -> list[Term]:
    """Terms in the text that have no real equivalent and an explanation worth adding."""
    seen = []
    for term in terms:
        if term.explanation and re.search(
            rf"(?<!\w){re.escape(term.source)}(?!\w)", text, re.IGNORECASE
        ):
            seen.append(term)
    return seen

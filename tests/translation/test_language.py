"""The language a text is written in is told by an offline language-identification library;
what cannot be told is "und" (undetermined), never a language picked by default."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cop.translation.language import UNDETERMINED, USUAL_LANGUAGES, identify, own_words

VISIT = ["en", "fr"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Nous vous remercions pour la visite et vous attendons lundi.", "fr"),
        ("We will send the agenda for our visit next week.", "en"),
        ("Merci beaucoup !", "fr"),
        ("Wir freuen uns auf Ihren Besuch in Berlin.", "de"),  # not taken for English
        ("Le budget participatif de Paris consacre 100 millions d'euros par an.", "fr"),
    ],
)
def test_a_text_long_enough_is_told(text, language) -> None:
    assert identify(text, VISIT) == language


@pytest.mark.parametrize("text", ["OK", "Merci", "12:00", "PB", "", "   \n", "Budget participatif"])
def test_a_text_too_short_to_tell_is_undetermined(text) -> None:
    assert identify(text, VISIT) == UNDETERMINED


def test_a_text_in_two_languages_is_undetermined() -> None:
    both = (
        "Dear Claire,\nThank you for the agenda. We will arrive on Monday morning by train and "
        "look forward to meeting the team.\n\n"
        "Chère Morag,\nMerci pour votre message. Nous serons ravis de vous accueillir à "
        "l'Hôtel de Ville lundi matin."
    )
    assert identify(both, VISIT) == UNDETERMINED


def test_a_reply_is_told_by_its_own_words_not_by_the_message_it_quotes() -> None:
    reply = (
        "Merci pour votre message, nous serons ravis de vous accueillir lundi.\n\n"
        "Le 2 mai 2016, Morag Campbell a écrit :\n"
        "> Dear Claire, thank you for the agenda. We will arrive on Monday morning by train\n"
        "> and look forward to meeting the whole team at the Hôtel de Ville."
    )
    assert identify(reply, VISIT) == "fr"
    assert "Dear Claire" not in own_words(reply)


def test_a_bare_forward_is_told_by_the_forwarded_text_not_its_headers() -> None:
    forward = (
        "---------- Forwarded message ----------\n"
        "From: Claire Dubois <hote@paris.example>\n"
        "Subject: Programme\n\n"
        "Bonjour à tous, voici le programme de la visite d'étude à l'Hôtel de Ville."
    )
    assert identify(forward, VISIT) == "fr"
    assert own_words(forward).startswith("Bonjour")


def test_a_forward_of_forwards_is_told_by_the_first_words_anyone_wrote() -> None:
    marker = "---------- Forwarded message ----------\nFrom: a@b\n\n"
    nested = marker * 3000 + "Bonjour à tous, voici le programme de la visite d'étude."
    assert identify(nested, VISIT) == "fr"  # thousands deep, and no recursion to run out of


def test_the_visit_languages_are_candidates_beside_the_usual_ones() -> None:
    # Finnish is not among the usual languages: a visit to Helsinki brings it in.
    finnish = "Kiitos vierailusta, odotamme teitä maanantaina kaupungintalolla."
    assert identify(finnish, ["en", "fi"]) == "fi"
    assert identify(finnish, ["en", "zz"]) != "fi"  # an unknown code is ignored, not an error


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_a_language_of_the_candidates_or_undetermined(text) -> None:
    assert identify(text, VISIT) in {*USUAL_LANGUAGES, UNDETERMINED}

"""Translation through deep-translator's LibreTranslator to a local LibreTranslate server:
glossary terms kept, memory reused, and every provider failure turned into one readable error."""

from __future__ import annotations

import pytest

from cop.extensions import db
from cop.translation.glossary import Term, notes_for, protect, restore
from cop.translation.models import GlossaryTerm, MemoryEntry
from cop.translation.providers import (
    ProviderSettings,
    TranslationFailed,
    split_text,
    translate_segment,
)
from cop.translation.service import remember, translate
from tests.mailserver import free_port


def settings_for(server, timeout: float = 2.0) -> ProviderSettings:
    return ProviderSettings(name="libretranslate", url=server.url, timeout=timeout)


def test_a_text_goes_through_deep_translator_to_the_server(libre) -> None:
    assert (
        translate_segment("Bonjour avec la équipe", "fr", "en", settings_for(libre))
        == "(en) hello with the team"
    )
    assert libre.calls[0]["source"] == "fr" and libre.calls[0]["target"] == "en"
    assert libre.calls[0]["api_key"]  # deep-translator insists on one


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("500", "server_error"),
        ("403", "refused"),
        ("429", "rate_limited"),
        ("empty", "empty"),
        ("garbage", "garbage"),
        ("hang", "timeout"),
    ],
)
def test_every_provider_failure_becomes_one_readable_error(libre, mode, reason) -> None:
    libre.mode = mode
    with pytest.raises(TranslationFailed) as failed:
        translate_segment("Bonjour", "fr", "en", settings_for(libre, timeout=0.5))
    assert failed.value.reason == reason


def test_a_refused_connection_is_unreachable_not_a_crash() -> None:
    dead = ProviderSettings(
        name="libretranslate", url=f"http://127.0.0.1:{free_port()}/", timeout=2
    )
    with pytest.raises(TranslationFailed) as failed:
        translate_segment("Bonjour", "fr", "en", dead)
    assert failed.value.reason == "unreachable"


def test_missing_settings_are_named() -> None:
    with pytest.raises(TranslationFailed) as failed:
        translate_segment("Bonjour", "fr", "en", ProviderSettings(name="libretranslate"))
    assert failed.value.reason == "not_configured"
    with pytest.raises(TranslationFailed):
        translate_segment("Bonjour", "fr", "en", ProviderSettings(name="deepl"))


def test_long_texts_are_split_by_paragraph_within_the_limit() -> None:
    text = "First paragraph.\n\nSecond one is longer. It has two sentences.\n\n\n" + "word " * 50
    pieces = split_text(text, 60)
    assert pieces[0] == "First paragraph."
    assert all(len(piece) <= 60 for piece in pieces)
    assert " ".join(pieces).split() == text.split()


def test_glossary_terms_are_protected_and_put_back_as_the_glossary_says() -> None:
    terms = [
        Term("mairie d'arrondissement", "district town hall", "Delegated powers, no taxes."),
        Term(
            "Community Planning Partnership",
            "Community Planning Partnership",
            "Statutory partnership.",
            keep=True,
        ),
    ]
    protected, found = protect(
        "La Mairie d'arrondissement et le Community Planning Partnership", terms
    )
    assert "[G0]" in protected and "[G1]" in protected and "mairie" not in protected.lower()
    assert (
        restore("(en) The [ G0 ] and the [G1]", found)
        == "(en) The district town hall and the Community Planning Partnership"
    )
    assert [term.source for term in notes_for("une mairie d'arrondissement", terms)] == [
        "mairie d'arrondissement"
    ]


def test_a_message_uses_the_glossary_and_the_memory_spares_provider_calls(app, libre) -> None:
    db.session.add(
        GlossaryTerm(
            language_a="fr",
            term_a="conseil de quartier",
            language_b="en",
            term_b="neighbourhood council",
            explanation="Set up by the council, consultative; not a community council.",
        )
    )
    db.session.commit()
    text = "Bonjour avec le conseil de quartier.\n\nMerci de la visite."
    first = translate(db.session, text, "fr", "en", settings_for(libre))
    assert "neighbourhood council" in first.text
    assert (first.provider_calls, first.from_memory) == (2, 0)
    assert [note.source for note in first.notes] == ["conseil de quartier"]
    again = translate(
        db.session, text.replace("visite.", "visite. "), "fr", "en", settings_for(libre)
    )
    assert (again.provider_calls, again.from_memory) == (0, 2)
    assert len(libre.calls) == 2


def test_a_reviewed_translation_wins_over_the_machines(app, libre) -> None:
    text = "Merci de la visite."
    translate(db.session, text, "fr", "en", settings_for(libre))
    remember(db.session, "fr", "en", text, "Thank you for visiting.", "person", reviewed=True)
    db.session.commit()
    assert (
        translate(db.session, text, "fr", "en", settings_for(libre)).text
        == "Thank you for visiting."
    )
    assert db.session.scalar(db.select(db.func.count(MemoryEntry.id))) == 2

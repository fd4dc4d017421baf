"""The language a page is in, as a rule: the profile's, else the switcher's, else a personal
link's, else the browser's, else the installation's default."""

from __future__ import annotations

from cop.accounts.logic import choose_language

LANGUAGES = ("en", "fr")


def browser_asking_for(language: str | None):
    return lambda offered: language if language in offered else None


def test_the_profile_language_comes_first() -> None:
    assert choose_language("fr", "en", "en", browser_asking_for("en"), LANGUAGES, "en") == "fr"


def test_then_the_switcher_then_a_personal_link() -> None:
    assert choose_language(None, "fr", "en", browser_asking_for("en"), LANGUAGES, "en") == "fr"
    assert choose_language(None, None, "fr", browser_asking_for("en"), LANGUAGES, "en") == "fr"


def test_then_the_browser_then_the_default() -> None:
    assert choose_language(None, None, None, browser_asking_for("fr"), LANGUAGES, "en") == "fr"
    assert choose_language(None, None, None, browser_asking_for("de"), LANGUAGES, "en") == "en"


def test_a_language_cop_does_not_offer_is_passed_over() -> None:
    assert choose_language("de", "es", None, browser_asking_for("fr"), LANGUAGES, "en") == "fr"

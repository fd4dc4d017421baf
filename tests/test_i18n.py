"""English and French: complete catalogues, the language chosen as people expect, nothing left
in English on a French page."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from cop import PROJECT_ROOT
from cop.demo import load_demo
from cop.extensions import db
from cop.polls.models import DatePoll
from cop.visits.models import Visit
from tests.conftest import sign_in, visible_text

TRANSLATIONS = PROJECT_ROOT / "cop" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}


def messages_in_the_source() -> set[str]:
    found: set[str] = set()
    method_map = [
        ("cop/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    for _filename, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_interface_text_has_a_translation(language: str) -> None:
    po_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    catalogue = read_po(po_path.open("rb"), locale=language)
    # A plural message is translated when every one of its forms is (French has three).
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue
        if message.id
        and (all(message.string) if isinstance(message.id, tuple) else message.string)
        and "fuzzy" not in message.flags
    }
    missing = sorted(messages_in_the_source() - translated)
    assert missing == [], f"untranslated in {language}: {missing[:10]}"


def plain(text: str | list | tuple) -> str | tuple:
    """A message or its plural forms, in one comparable shape (.mo files give lists)."""
    return text if isinstance(text, str) else tuple(text)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    source = read_po((folder / "messages.po").open("rb"), locale=language)
    compiled = read_mo((folder / "messages.mo").open("rb"))
    expected = {plain(m.id): plain(m.string) for m in source if m.id}
    actual = {plain(m.id): plain(m.string) for m in compiled if m.id}
    assert actual == expected, "run: pybabel compile -d cop/translations"


def test_french_placeholders_match_the_english_ones() -> None:
    catalogue = read_po((TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb"))
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in catalogue:
        if not message.id:
            continue
        # A plural's every form must carry the singular's placeholders.
        english = plain(message.id)
        french = plain(message.string)
        for source, translated in zip(
            english if isinstance(english, tuple) else (english,),
            french if isinstance(french, tuple) else (french,),
            strict=False,
        ):
            assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(translated)), (
                message.id
            )


def test_the_browsers_language_is_used_when_nobody_chose_one(client) -> None:
    page = client.get("/sign-in", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    html = page.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Se connecter" in html


def test_the_switcher_changes_the_language_without_javascript(client) -> None:
    response = client.post("/language", data={"language": "fr", "next": "/sign-in"})
    assert response.headers["Location"] == "/sign-in"
    assert '<html lang="fr">' in client.get("/sign-in").get_data(as_text=True)
    response = client.post("/language", data={"language": "de", "next": "https://evil.example"})
    assert response.headers["Location"] == "/"


def test_a_signed_in_persons_profile_language_wins_over_the_browser(client, make) -> None:
    user = make.user(locale="fr")
    sign_in(client, user)
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in html and "Mes visites" in html
    client.post("/language", data={"language": "en"})
    assert user.locale == "en"


def test_dates_are_written_the_french_way_in_french(client, make) -> None:
    user = make.user(locale="fr")
    visit = make.visit(title="Visite à Paris")
    make.member(visit, user.person)
    sign_in(client, user)
    text = visible_text(client.get(f"/visits/{visit.id}").get_data(as_text=True))
    assert "du 8 décembre 2016 au 9 décembre 2016" in text
    assert "France" in text and "anglais, français" in text


# Words of the interface that French spells differently (Programme, Organisation, Page, Dates and
# Description are the same in both languages, so they prove nothing).
ENGLISH_INTERFACE_WORDS = re.compile(
    r"\b(Sign|Visits?|People|Search|Save|Change|Members?|Language|Status|Role|Email|Password|"
    r"Add|Remove|Where|Objective|Directory|Details|Host|Previous|Next|Nothing|Error)\b"
)
STORED_TEXT = [
    ("visit", "title"),
    ("visit", "objective"),
    ("person", "name"),
    ("person", "job_title"),
    ("membership", "selection_reason"),
    ("programme", "name"),
    ("programme", "description"),
    ("organisation", "name"),
    ("planning_task", "title"),
    ("effort_entry", "note"),
    ("cost", "description"),
    ("cost", "paid_by"),
    ("itinerary_item", "title"),
    ("itinerary_item", "notes"),
    ("itinerary_item", "place"),
    ("poll_invitee", "comment"),
    ("glossary_term", "term_a"),
    ("glossary_term", "term_b"),
    ("glossary_term", "explanation"),
    ("thread", "subject"),
    ("message", "body"),
    ("message", "author_name"),
    ("message_translation", "text"),
    ("passage", "text"),
    ("passage", "question_text"),
    ("passage", "speaker"),
    ("reflection", "video_reference"),
    ("memo", "text"),
    ("action", "title"),
    ("action", "learning_point"),
    ("action", "adaptation"),
    ("action", "evidence"),
    ("action_update", "note"),
    ("organisation", "description"),
    ("interpreter", "notes"),
    ("interpreter_unavailability", "note"),
    ("booking", "warnings"),
    ("social_protocol", "photo_rules"),
    ("social_protocol", "video_rules"),
    ("social_protocol", "forbidden_topics"),
    ("social_protocol", "host_comment"),
    ("embargo", "subject"),
    ("post_check", "text"),
    ("media_consent", "note"),
    ("audit_entry", "origin"),
    ("audit_entry", "fields"),
    ("audit_entry", "table_name"),
]


def without_stored_text(text: str) -> str:
    """Remove what people typed (titles, names, reasons), which may rightly be in English."""
    for table, column in STORED_TEXT:
        query = db.select(db.literal_column(column)).select_from(db.table(table))
        for value in sorted(filter(None, db.session.scalars(query)), key=len, reverse=True):
            text = text.replace(value, "")
    return text


def test_french_pages_show_no_english_interface_text(client) -> None:
    from cop.accounts.models import User

    load_demo(db.session)
    host = db.session.scalar(db.select(User).filter_by(email="hote@paris.example"))
    host.is_admin = True  # so that every page below is open to this French reader
    host.is_researcher = True
    db.session.commit()
    sign_in(client, "hote@paris.example", "cop-demo")
    visit_id = host.person.memberships[0].visit_id
    programme_id = db.session.scalar(db.select(Visit.programme_id).filter_by(id=visit_id))
    poll_id = db.session.scalar(db.select(DatePoll.id).filter_by(visit_id=visit_id))
    from cop.actions.models import Action
    from cop.pseudonyms import pseudonym
    from cop.reflections.models import Reflection, ReflectionSource
    from cop.research.models import Code

    interview_id = db.session.scalar(
        db.select(Reflection.id).filter_by(source=ReflectionSource.INTERVIEW)
    )
    code_id = db.session.scalar(db.select(Code.id).filter_by(default_key="resourcing"))
    action_id = db.session.scalar(db.select(Action.id))
    writer_id = db.session.scalar(db.select(Reflection.person_id).filter_by(id=interview_id))
    story = pseudonym(client.application.config["SECRET_KEY"], writer_id)
    pages = [
        "/",
        f"/visits/{visit_id}/reflections",
        f"/visits/{visit_id}/reflections/{interview_id}",
        f"/visits/{visit_id}/guide",
        f"/visits/{visit_id}/interviews/new",
        f"/visits/{visit_id}/actions",
        f"/visits/{visit_id}/actions/new",
        f"/visits/{visit_id}/actions/{action_id}",
        f"/visits/{visit_id}/actions/{action_id}/edit",
        f"/programmes/{programme_id}/actions?by=theme",
        f"/programmes/{programme_id}/codebook",
        f"/programmes/{programme_id}/codebook/{code_id}",
        f"/programmes/{programme_id}/agreement",
        f"/programmes/{programme_id}/themes",
        f"/programmes/{programme_id}/themes/{code_id}",
        f"/programmes/{programme_id}/stories/{story}",
        "/reflections",
        "/interpreters",
        f"/visits/{visit_id}/report",
        "/admin/audit",
        f"/people/{host.person_id}/erase",
        f"/programmes/{programme_id}/report",
        "/interpreters/new",
        "/interpreters/1",
        f"/visits/{visit_id}/itinerary/1/interpreters",
        f"/visits/{visit_id}/interpreting",
        f"/visits/{visit_id}/briefing/1",
        f"/visits/{visit_id}/protocol",
        f"/visits/{visit_id}/posts",
        "/consent",
        f"/people/{host.person_id}/consent",
        "/visits",
        f"/visits/{visit_id}",
        f"/visits/{visit_id}/edit",
        f"/visits/{visit_id}/members",
        f"/visits/{visit_id}/itinerary",
        f"/visits/{visit_id}/itinerary/new",
        f"/visits/{visit_id}/polls/{poll_id}",
        f"/visits/{visit_id}/polls/{poll_id}/answer",
        f"/visits/{visit_id}/polls/new",
        f"/visits/{visit_id}/planning",
        f"/visits/{visit_id}/documents",
        f"/visits/{visit_id}/itinerary/import",
        "/contacts/new",
        "/glossary",
        "/glossary/new",
        f"/visits/{visit_id}/correspondence",
        f"/visits/{visit_id}/correspondence/1",
        f"/visits/{visit_id}/correspondence/import",
        f"/visits/{visit_id}/correspondence/1/write",
        "/contacts/import",
        f"/programmes/{programme_id}/network",
        f"/programmes/{programme_id}/surveys/new",
        "/visits/new",
        "/programmes",
        "/programmes/new",
        "/people",
        "/people/new",
        f"/people/{host.person_id}",
        "/organisations",
        "/organisations/new",
        "/account",
        "/account/password",
        "/no-such-page",
    ]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="fr">' in html, url
        text = without_stored_text(visible_text(html))
        english = set(ENGLISH_INTERFACE_WORDS.findall(text))
        assert not english, f"{url}: {english} in {text[:400]}"


def test_moments_read_as_the_clock_in_the_visits_zone(app) -> None:
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from cop.formatting import format_moment

    moment = datetime(2016, 9, 12, 10, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale("fr"):
        assert format_moment(moment, "Europe/Paris") == "12 sept. 2016, 12:00 (Paris)"
    with app.test_request_context(), force_locale("en_GB"):
        assert format_moment(moment, "Europe/London") == "12 Sept 2016, 11:00 (London)"

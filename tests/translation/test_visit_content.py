"""A French host reads a new visit in French: what the lead wrote (title, objective, itinerary,
protocol) arrives translated through deep-translator's real LibreTranslator to the local
LibreTranslate server, labelled, with the original a click away; a provider that is down loses
nothing and the retry translates it; a lead's correction is checked by them; cop's own checklist
comes from the catalogues; the host's comment reaches the lead in English."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from icalendar import Calendar

from cop.extensions import db
from cop.jobs import translate_pending
from cop.mail import OutboxMail
from cop.translation.models import ContentTranslation, TranslationStatus
from cop.visits.models import MembershipRole, Visit
from tests.conftest import Factory, sign_in, visible_text


@pytest.fixture
def config_overrides(libre) -> dict:
    return {"TRANSLATION_PROVIDER": "libretranslate", "TRANSLATION_URL": libre.url}


@pytest.fixture
def lyon(app: Flask, make: Factory):
    """A new visit to Lyon from nothing: an English-speaking lead and a French host."""
    lead = make.user(locale="en")
    lead.is_organiser = True
    host = make.user(locale="fr")
    host.person.preferred_language = "fr"
    db.session.commit()
    lead_client, host_client = app.test_client(), app.test_client()
    sign_in(lead_client, lead)
    sign_in(host_client, host)
    return lead, host, lead_client, host_client


VISIT = {
    "title": "Visit with the team",
    "objective": "Meeting with the team",
    "programme_id": "0",
    "host_organisation_id": "0",
    "host_city": "Lyon",
    "host_country": "FR",
    "start_date": "",
    "end_date": "",
    "time_zone": "Europe/Paris",
    "languages": ["en", "fr"],
}


def new_visit(lead_client, make: Factory, host) -> Visit:
    assert lead_client.post("/visits/new", data=VISIT).status_code == 302
    visit = db.session.scalar(db.select(Visit).filter_by(title="Visit with the team"))
    make.member(visit, host.person, MembershipRole.HOST)
    return visit


def test_the_host_reads_the_leads_words_in_french_labelled_with_the_original(
    make: Factory, lyon
) -> None:
    lead, host, lead_client, host_client = lyon
    visit = new_visit(lead_client, make, host)

    page = visible_text(host_client.get(f"/visits/{visit.id}").get_data(as_text=True))
    english = visible_text(lead_client.get(f"/visits/{visit.id}").get_data(as_text=True))

    assert "(fr) réunion avec le équipe" in page
    assert "Traduction automatique Voir l’original Meeting with the team" in page
    assert "(fr) visite avec le équipe" in page  # the title too
    assert "Meeting with the team" in english and "(fr)" not in english


def test_a_provider_that_is_down_loses_nothing_and_the_retry_translates(
    make: Factory, lyon, libre
) -> None:
    lead, host, lead_client, host_client = lyon
    libre.mode = "500"
    visit = new_visit(lead_client, make, host)

    waiting = visible_text(host_client.get(f"/visits/{visit.id}").get_data(as_text=True))
    assert "Meeting with the team" in waiting
    assert "La traduction en français est en cours ; voici l’original." in waiting
    assert db.session.scalar(db.select(Visit.objective)) == "Meeting with the team"

    libre.mode = "ok"
    db.session.execute(db.update(ContentTranslation).values(next_attempt_at=None))
    db.session.commit()
    assert translate_pending()["translated"] == 2

    later = visible_text(host_client.get(f"/visits/{visit.id}").get_data(as_text=True))
    assert "(fr) réunion avec le équipe" in later


def test_a_lead_corrects_a_translation_and_it_is_checked_by_them(make: Factory, lyon) -> None:
    lead, host, lead_client, host_client = lyon
    visit = new_visit(lead_client, make, host)
    row = db.session.scalar(db.select(ContentTranslation).filter_by(field="objective"))

    listed = visible_text(
        lead_client.get(f"/visits/{visit.id}/translations").get_data(as_text=True)
    )
    refused = lead_client.post(f"/visits/{visit.id}/translations/{row.id}", data={})
    saved = lead_client.post(
        f"/visits/{visit.id}/translations/{row.id}",
        data={f"row-{row.id}-text": "Rencontre avec l’équipe"},
    )

    assert "Objective · English → French Machine translation" in listed
    assert refused.status_code == 400
    assert saved.status_code == 302
    page = visible_text(host_client.get(f"/visits/{visit.id}").get_data(as_text=True))
    assert f"Rencontre avec l’équipe Vérifiée par {lead.person.name} Voir l’original" in page
    # A host cannot correct: leads and interpreters do.
    assert host_client.get(f"/visits/{visit.id}/translations").status_code == 403


def test_a_changed_original_is_translated_again_and_never_shown_stale(
    make: Factory, lyon, libre
) -> None:
    lead, host, lead_client, host_client = lyon
    visit = new_visit(lead_client, make, host)
    libre.mode = "500"

    assert (
        lead_client.post(
            f"/visits/{visit.id}/edit", data={**VISIT, "objective": "Hello the team"}
        ).status_code
        == 302
    )

    page = visible_text(host_client.get(f"/visits/{visit.id}").get_data(as_text=True))
    assert "Hello the team" in page and "réunion" not in page
    row = db.session.scalar(db.select(ContentTranslation).filter_by(field="objective"))
    assert row.status is TranslationStatus.PENDING and row.source_text == "Hello the team"


def test_itinerary_calendar_and_protocol_reach_the_host_in_french(make: Factory, lyon) -> None:
    lead, host, lead_client, host_client = lyon
    visit = new_visit(lead_client, make, host)
    item = make.item(visit, title="placeholder")
    assert (
        lead_client.post(
            f"/visits/{visit.id}/itinerary/{item.id}/edit",
            data={
                "title": "Meeting with the team",
                "day": "2016-12-08",
                "starts": "09:30",
                "ends": "11:00",
                "place": "Hôtel de Ville",
                "address": "",
                "travel_minutes": "0",
                "host_contact_id": "0",
                "language": "fr",
                "notes": "Thank you",
            },
        ).status_code
        == 302
    )
    lead_client.post(
        f"/visits/{visit.id}/protocol",
        data={"platforms": ["x"], "forbidden_topics": "the team", "photo_rules": "Hello"},
    )

    itinerary = visible_text(
        host_client.get(f"/visits/{visit.id}/itinerary").get_data(as_text=True)
    )
    calendar = Calendar.from_ical(host_client.get(f"/visits/{visit.id}/itinerary.ics").data)
    protocol = visible_text(host_client.get(f"/visits/{visit.id}/protocol").get_data(as_text=True))

    assert "(fr) réunion avec le équipe" in itinerary and "(fr) merci" in itinerary
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "(fr) réunion avec le équipe"
    assert "(fr) le équipe" in protocol and "(fr) bonjour" in protocol


def test_the_hosts_comment_reaches_the_lead_in_english(make: Factory, lyon, app: Flask) -> None:
    lead, host, lead_client, host_client = lyon
    visit = new_visit(lead_client, make, host)
    lead_client.post(f"/visits/{visit.id}/protocol/send")
    mail = db.session.scalar(
        db.select(OutboxMail)
        .where(OutboxMail.recipient == host.email)
        .order_by(OutboxMail.id.desc())
    )
    link = re.search(r"/protocol/approve/\S+", mail.body_text).group(0)

    app.test_client().post(link, data={"answer": "comment", "comment": "Merci avec la équipe"})

    told = db.session.scalar(
        db.select(OutboxMail)
        .where(OutboxMail.recipient == lead.email)
        .order_by(OutboxMail.id.desc())
    )
    assert "(en) thank you with the team" in told.body_text
    assert "Merci avec la équipe" in told.body_text  # and what the host wrote, as written


def test_cops_own_checklist_is_in_the_readers_language(make: Factory, lyon) -> None:
    lead, host, lead_client, host_client = lyon
    visit = new_visit(lead_client, make, host)
    lead_client.post(f"/visits/{visit.id}/planning/checklist")
    lead.locale = "fr"
    db.session.commit()

    page = visible_text(lead_client.get(f"/visits/{visit.id}/planning").get_data(as_text=True))

    assert "Interprète réservé" in page and "Interpreter booked" not in page


def test_content_is_known_by_the_language_it_is_written_in_not_the_writers(
    make: Factory, lyon
) -> None:
    lead, host, lead_client, host_client = lyon
    french = {
        **VISIT,
        "title": "Visite d'étude à Lyon",
        "objective": "Comprendre comment la ville organise le vote des habitants sur les projets.",
    }
    assert lead_client.post("/visits/new", data=french).status_code == 302
    visit = db.session.scalar(db.select(Visit).filter_by(title="Visite d'étude à Lyon"))
    make.member(visit, host.person, MembershipRole.HOST)

    rows = db.session.scalars(db.select(ContentTranslation)).all()
    assert {(row.source_language, row.target_language) for row in rows} == {("fr", "en")}
    hosts_page = visible_text(host_client.get(f"/visits/{visit.id}").get_data(as_text=True))
    leads_page = visible_text(lead_client.get(f"/visits/{visit.id}").get_data(as_text=True))
    assert "Comprendre comment la ville" in hosts_page and "(fr)" not in hosts_page
    assert "(en) " in leads_page  # the English-speaking lead reads it translated

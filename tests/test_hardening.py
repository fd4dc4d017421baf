"""Small hardening and inputs that used to give a 500: what a careless colleague or a crafted
file sends gets a clear 4xx (or simply works), and nothing personal lies around the instance."""

from __future__ import annotations

import csv
import io
import os
import re
import time
from pathlib import Path

from flask import Flask
from icalendar import Calendar

from cop.documents.storage import clean_filename
from cop.extensions import db
from cop.interpreting.models import Interpreter, LanguagePair
from cop.itinerary.models import ItineraryItem
from cop.mail import OutboxMail
from cop.privatefiles import write_private
from cop.pseudonyms import pseudonym
from cop.reflections.logic import ensure_codebook
from cop.reflections.models import Reflection
from cop.research.models import Code, CodedSegment
from cop.visits.models import MembershipRole, ProgrammeResearcher, Visit
from tests.conftest import Factory, sign_in, visible_text


def lead_of(app: Flask, make: Factory, **visit_fields) -> tuple[Visit, object]:
    visit = make.visit(**visit_fields)
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    client = app.test_client()
    sign_in(client, lead)
    return visit, client


def test_saving_an_interpreter_unchanged_keeps_them_as_they_were(app: Flask, make: Factory) -> None:
    _visit, lead = lead_of(app, make)
    person = make.person(name="Anne Moreau", email="anne@interpretes.example")
    interpreter = Interpreter(
        person_id=person.id,
        pairs=[LanguagePair(source="fr", target="en"), LanguagePair(source="en", target="fr")],
    )
    db.session.add(interpreter)
    db.session.commit()
    form = {
        "name": "Anne Moreau",
        "email": "anne@interpretes.example",
        "language": "fr",
        "pairs": "fr<>en",
        "modes": ["consecutive"],
        "currency": "EUR",
    }
    assert lead.post(f"/interpreters/{interpreter.id}", data=form).status_code == 302
    assert lead.post(f"/interpreters/{interpreter.id}", data=form).status_code == 302
    form["pairs"] = "fr>en, es>en"
    assert lead.post(f"/interpreters/{interpreter.id}", data=form).status_code == 302
    db.session.expire_all()
    pairs = sorted((p.source, p.target) for p in db.session.get(Interpreter, interpreter.id).pairs)
    assert pairs == [("es", "en"), ("fr", "en")]


def nested_mail(depth: int) -> bytes:
    head = "From: claire@paris.example\r\nSubject: Deep\r\nMIME-Version: 1.0\r\n"
    parts = [head]
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n')
    parts.append("Content-Type: text/plain\r\n\r\nBonjour\r\n")
    parts.extend(f"--b{level}--\r\n" for level in reversed(range(depth)))
    return "".join(parts).encode()


def test_a_mail_nested_thousands_deep_is_refused_with_a_message(app: Flask, make: Factory) -> None:
    visit, lead = lead_of(app, make)
    answer = lead.post(
        f"/visits/{visit.id}/correspondence/import",
        data={"mail": (io.BytesIO(nested_mail(5000)), "deep.eml")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert "levels deep" in visible_text(answer.get_data(as_text=True))
    ordinary = lead.post(
        f"/visits/{visit.id}/correspondence/import",
        data={"mail": (io.BytesIO(nested_mail(3)), "forward.eml")},
        content_type="multipart/form-data",
    )
    assert ordinary.status_code == 302


def test_line_breaks_in_titles_never_break_calendars_or_mail(app: Flask, make: Factory) -> None:
    visit, lead = lead_of(app, make)
    saved = lead.post(
        f"/visits/{visit.id}/edit",
        data={
            "title": "Paris\r\nBcc: everyone@example.org",
            "host_country": "FR",
            "time_zone": "Europe/Paris",
            "languages": "en,fr",
            "host_city": "Paris",
            "programme_id": "0",
            "host_organisation_id": "0",
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Visit, visit.id).title == "Paris Bcc: everyone@example.org"
    # A title stored with a line break (imported, or from before) is still written safely.
    item = make.item(
        visit,
        title="Steering group\r\nX-Injected: yes",
        place="Hôtel de Ville\n2e",
        attendees=[make.person(name="Claire\nDubois")],
    )
    db.session.get(Visit, visit.id).title = "Paris\nvisit"
    db.session.commit()
    calendar = lead.get(f"/visits/{visit.id}/itinerary.ics")
    assert calendar.status_code == 200
    [event] = Calendar.from_ical(calendar.data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Steering group X-Injected: yes"
    assert b"\r\nX-Injected" not in calendar.data
    assert lead.post(f"/visits/{visit.id}/itinerary/{item.id}/invite").status_code == 302
    subjects = db.session.scalars(db.select(OutboxMail.subject)).all()
    assert subjects and all("\n" not in subject and "\r" not in subject for subject in subjects)


def test_direction_controls_cannot_disguise_a_file_name() -> None:
    assert clean_filename("invoice\u202efdp.exe") == "invoicefdp.exe"
    assert clean_filename("\u2067report\u2069.pdf") == "report.pdf"
    assert clean_filename("مذكرة.pdf") == "مذكرة.pdf"  # right-to-left text itself stays


def test_an_agenda_preview_does_not_outlive_its_use(app: Flask, make: Factory) -> None:
    visit, lead = lead_of(app, make)
    folder = Path(app.instance_path) / "imports"
    stale = write_private(folder / f"{visit.id}-{'0' * 32}.ics", b"BEGIN:VCALENDAR")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    agenda = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a@paris\r\n"
        b"DTSTAMP:20161101T000000Z\r\nDTSTART:20161208T090000Z\r\nDTEND:20161208T100000Z\r\n"
        b"SUMMARY:Welcome\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    preview = lead.post(
        f"/visits/{visit.id}/itinerary/import",
        data={"agenda": (io.BytesIO(agenda), "agenda.ics")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    assert not stale.exists()
    [waiting] = list(folder.iterdir())
    assert waiting.stat().st_mode & 0o077 == 0
    token = waiting.stem.split("-", 1)[1]
    applied = lead.post(f"/visits/{visit.id}/itinerary/import/apply", data={"upload": token})
    assert applied.status_code == 302
    assert list(folder.iterdir()) == []
    assert db.session.scalar(db.select(db.func.count(ItineraryItem.id))) == 1


def test_mail_written_to_the_instance_folder_is_private(app: Flask, make: Factory) -> None:
    app.config.update(MAIL_SERVER="", MAIL_WRITE_TO_FOLDER=True)
    client = app.test_client()
    user = make.user()
    client.post("/account/reset", data={"email": user.email})
    [written] = list((Path(app.instance_path) / "mail").iterdir())
    assert written.stat().st_mode & 0o077 == 0
    assert written.parent.stat().st_mode & 0o077 == 0


VTT = b"""WEBVTT

00:00:01.000 --> 00:00:04.000
<v Ruth>What will you take back?

00:00:05.000 --> 00:00:09.000
<v Iain>The digital platform.

00:00:10.000 --> 00:00:12.000
<v IM>And named officers.

00:00:13.000 --> 00:00:15.000
<v Speaker 2>So would I.
"""


def test_every_label_of_a_pseudonymised_interviewee_shows_their_pseudonym(
    app: Flask, make: Factory
) -> None:
    programme = make.programme()
    visit = make.visit(programme_id=programme.id)
    iain = make.person(name="Iain MacLeod")
    make.member(visit, iain)
    researcher = make.user(researcher=True)
    researcher.person.name = "Ruth Henderson"
    db.session.add(ProgrammeResearcher(programme_id=programme.id, user_id=researcher.id))
    db.session.commit()
    client = app.test_client()
    sign_in(client, researcher)
    saved = client.post(
        f"/visits/{visit.id}/interviews/new",
        data={
            "person_id": str(iain.id),
            "phase": "after",
            "interviewed_on": "2016-12-09",
            "consent": "pseudonymised",
            "interviewee_labels": "Speaker 2",
            "transcript": (io.BytesIO(VTT), "iain.vtt"),
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    interview = db.session.scalar(db.select(Reflection))
    mapped = [(p.speaker, p.speaker_person_id) for p in interview.passages]
    assert mapped == [
        ("Ruth", researcher.person_id),
        ("Iain", iain.id),
        ("IM", iain.id),
        ("Speaker 2", iain.id),
    ]
    label = pseudonym(app.config["SECRET_KEY"], iain.id)
    page = visible_text(client.get(saved.headers["Location"]).get_data(as_text=True))
    assert page.count(label) >= 3
    assert "Iain" not in page and "Speaker 2" not in page and not re.search(r"\bIM\b", page)
    # Coded, the turn labelled with initials is exported under the pseudonym too.
    ensure_codebook(db.session, programme.id)
    db.session.add(
        CodedSegment(
            passage_id=interview.passages[2].id,
            code_id=db.session.scalar(db.select(Code.id).limit(1)),
            coder_id=researcher.id,
            char_start=0,
            char_end=5,
        )
    )
    db.session.commit()
    export = client.get(f"/programmes/{programme.id}/coded-segments.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(export.lstrip("\ufeff"))))
    assert [row["speaker"] for row in rows] == [label]
    assert "Iain" not in export

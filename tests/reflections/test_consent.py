"""Who reads a reflection is the writer's choice: every consent level tried by every reader."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from cop.extensions import db
from cop.pseudonyms import pseudonym
from cop.reflections.models import Consent
from cop.research.models import Code, CodedSegment
from tests.conftest import sign_in, visible_text
from tests.reflections.conftest import Study

RESEARCHERS = {"visit_researcher", "researcher"}
READERS = ["writer", "colleague", "lead", "visit_researcher", "researcher", "admin", "host"]


def expected_status(reader: str, consent: Consent) -> int:
    if reader == "writer":
        return 200
    if reader in RESEARCHERS and consent is not Consent.PRIVATE:
        return 200
    return 403


@pytest.mark.parametrize("consent", list(Consent))
def test_each_consent_level_as_every_reader(app: Flask, study: Study, consent: Consent) -> None:
    reflection = study.reflection(consent)
    writer_name = study.users["writer"].person.name
    alias = pseudonym(app.config["SECRET_KEY"], study.users["writer"].person_id)
    for reader in READERS:
        client = app.test_client()
        sign_in(client, study.users[reader])
        response = client.get(f"/visits/{study.visit.id}/reflections/{reflection.id}")
        assert response.status_code == expected_status(reader, consent), (reader, consent)
        if response.status_code != 200 or reader == "writer":
            continue
        text = visible_text(response.get_data(as_text=True))
        assert "named PB officer" in text
        if consent.researchers_see_name:
            assert writer_name in text and alias not in text
        else:
            assert alias in text and writer_name not in text


@pytest.mark.parametrize("consent", list(Consent))
def test_a_draft_is_the_writers_alone_whatever_its_consent(
    app: Flask, study: Study, consent: Consent
) -> None:
    draft = study.reflection(consent, submitted=False)
    for reader in READERS:
        client = app.test_client()
        sign_in(client, study.users[reader])
        response = client.get(f"/visits/{study.visit.id}/reflections/{draft.id}")
        assert response.status_code == (200 if reader == "writer" else 403), reader


def test_researchers_list_only_what_they_may_read(app: Flask, study: Study) -> None:
    study.reflection(Consent.PRIVATE, texts=("private words",))
    study.reflection(Consent.PSEUDONYMISED, writer="colleague")
    study.reflection(Consent.NAMED, submitted=False)
    client = app.test_client()
    sign_in(client, study.users["researcher"])
    text = visible_text(client.get(f"/visits/{study.visit.id}/reflections").get_data(as_text=True))
    alias = pseudonym(app.config["SECRET_KEY"], study.users["colleague"].person_id)
    assert alias in text
    assert study.users["writer"].person.name not in text
    assert text.count("Soon after the visit") == 1


def test_exports_and_theme_pages_leave_out_what_consent_withholds(app: Flask, study: Study) -> None:
    coder = study.users["researcher"]
    theme = db.session.scalar(db.select(Code).where(Code.default_key == "resourcing"))
    kept_back = study.reflection(Consent.PRIVATE, texts=("kept back from researchers",))
    shared = study.reflection(Consent.PSEUDONYMISED, writer="colleague", texts=("shared words",))
    named = study.reflection(Consent.NAMED, texts=("named words",))
    for reflection in (kept_back, shared, named):
        passage = reflection.passages[0]
        db.session.add(
            CodedSegment(
                passage_id=passage.id,
                code_id=theme.id,
                coder_id=coder.id,
                char_start=0,
                char_end=len(passage.text),
            )
        )
    db.session.commit()
    client = app.test_client()
    sign_in(client, coder)
    pseudonymised = client.get(f"/programmes/{study.programme_id}/coded-segments.csv")
    csv_text = pseudonymised.get_data(as_text=True)
    assert "kept back" not in csv_text
    assert "shared words" in csv_text and "named words" in csv_text
    # Pseudonymised by default, even for writers who agreed to be named.
    assert study.users["writer"].person.name not in csv_text
    with_names = client.get(f"/programmes/{study.programme_id}/coded-segments.csv?names=1")
    named_csv = with_names.get_data(as_text=True)
    assert study.users["writer"].person.name in named_csv
    assert study.users["colleague"].person.name not in named_csv
    theme_page = client.get(f"/programmes/{study.programme_id}/themes/{theme.id}")
    page_text = visible_text(theme_page.get_data(as_text=True))
    assert "kept back" not in page_text
    assert "2 quotes, from 2 people" in page_text


def test_the_writer_can_withdraw_consent_at_any_time(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED)
    writer = app.test_client()
    sign_in(writer, study.users["writer"])
    response = writer.post(
        f"/visits/{study.visit.id}/reflections/{reflection.id}/consent",
        data={"consent": "private"},
    )
    assert response.status_code == 302
    researcher = app.test_client()
    sign_in(researcher, study.users["researcher"])
    assert (
        researcher.get(f"/visits/{study.visit.id}/reflections/{reflection.id}").status_code == 403
    )


def test_pseudonyms_are_stable_distinct_and_reveal_nothing(app: Flask, study: Study) -> None:
    secret = app.config["SECRET_KEY"]
    writer_id = study.users["writer"].person_id
    colleague_id = study.users["colleague"].person_id
    assert pseudonym(secret, writer_id) == pseudonym(secret, writer_id)
    assert pseudonym(secret, writer_id) != pseudonym(secret, colleague_id)
    assert re.fullmatch(r"P-[0-9a-f]{10}", pseudonym(secret, writer_id))
    # Keyed with the installation's secret: another installation gives other pseudonyms.
    assert pseudonym("another-secret", writer_id) != pseudonym(secret, writer_id)
    # The same person carries the same pseudonym in two exports made apart.
    study.reflection(Consent.PSEUDONYMISED)
    client = app.test_client()
    sign_in(client, study.users["researcher"])
    first = client.get(f"/visits/{study.visit.id}/reflections").get_data(as_text=True)
    second = client.get(f"/visits/{study.visit.id}/reflections").get_data(as_text=True)
    assert pseudonym(secret, writer_id) in first and pseudonym(secret, writer_id) in second

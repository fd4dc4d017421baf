"""Personal data: what is held about a person, erasing them while counts stay right, retention of
old visits, and the audit log of who changed what."""

from __future__ import annotations

import json
from datetime import date

from flask import Flask

from cop.accounts.models import User
from cop.correspondence.models import Message
from cop.demo import load_demo
from cop.directory.models import Person
from cop.extensions import db
from cop.network.models import Contact
from cop.privacy.models import AuditEntry
from cop.pseudonyms import pseudonym
from cop.reflections.models import Reflection
from cop.social.models import MediaConsent
from cop.visits.models import Membership
from tests.conftest import sign_in, visible_text

EILIDH = "participant@fife.example"


def demo_admin(app: Flask):
    load_demo(db.session)
    db.session.commit()
    client = app.test_client()
    sign_in(client, "admin@cop.example", "cop-demo")
    eilidh = db.session.scalar(db.select(Person).filter_by(email=EILIDH))
    return client, eilidh


def test_everything_held_about_a_person_downloads_as_json(app: Flask) -> None:
    client, eilidh = demo_admin(app)
    data = json.loads(client.get(f"/people/{eilidh.id}/export.json").get_data(as_text=True))
    assert data["person"]["email"] == EILIDH
    held = data["held"]
    assert {"membership", "reflection", "contact", "media_consent", "action"} <= set(held)
    assert "password_hash" not in json.dumps(data)
    texts = [p["text"] for r in data["reflection_text"] for p in r["passages"]]
    assert any("do-think-review round" in text for text in texts)
    # The person downloads their own; someone else may not.
    own = app.test_client()
    sign_in(own, EILIDH, "cop-demo")
    assert own.get(f"/people/{eilidh.id}/export.json").status_code == 200
    other = db.session.scalar(db.select(Person).filter_by(email="lead@glasgow.example"))
    assert own.get(f"/people/{other.id}/export.json").status_code == 403


def test_erasing_a_person_keeps_an_anonymous_node_and_the_counts(app: Flask) -> None:
    client, eilidh = demo_admin(app)
    person_id = eilidh.id
    contacts = db.session.scalar(
        db.select(db.func.count(Contact.id)).where(
            (Contact.from_person_id == person_id) | (Contact.to_person_id == person_id)
        )
    )
    members = db.session.scalar(db.select(db.func.count(Membership.id)))
    assert client.post(f"/people/{person_id}/erase", data={}).status_code == 400
    assert client.post(f"/people/{person_id}/erase", data={"confirm": "y"}).status_code == 200
    db.session.expire_all()
    erased = db.session.get(Person, person_id)
    assert erased.name == pseudonym(app.config["SECRET_KEY"], person_id)
    assert erased.email is None and erased.dietary_needs == ""
    assert db.session.scalar(db.select(User).filter_by(email=EILIDH)) is None
    assert (
        db.session.scalar(
            db.select(db.func.count(Reflection.id)).where(Reflection.person_id == person_id)
        )
        == 0
    )
    assert (
        db.session.scalar(
            db.select(db.func.count(MediaConsent.id)).where(MediaConsent.person_id == person_id)
        )
        == 0
    )
    # The network keeps the node and its ties; the visit keeps its member count.
    assert (
        db.session.scalar(
            db.select(db.func.count(Contact.id)).where(
                (Contact.from_person_id == person_id) | (Contact.to_person_id == person_id)
            )
        )
        == contacts
    )
    assert db.session.scalar(db.select(db.func.count(Membership.id))) == members
    # Searched for, she is not found; she can no longer sign in.
    found = visible_text(client.get("/people?q=Eilidh").get_data(as_text=True))
    assert "Eilidh" not in found.replace("q=Eilidh", "").split("Search by name")[-1]
    assert sign_in(app.test_client(), EILIDH, "cop-demo").status_code == 401


def test_erasing_a_host_takes_their_protocol_comment_and_its_translations(app: Flask) -> None:
    from cop.social.models import SocialProtocol
    from cop.translation.models import ContentTranslation

    client, _eilidh = demo_admin(app)
    claire = db.session.scalar(db.select(Person).filter_by(email="hote@paris.example"))
    protocol = db.session.scalar(db.select(SocialProtocol))
    assert protocol.approved_by_id == claire.id and protocol.host_comment
    db.session.add(
        ContentTranslation(
            kind="protocol",
            record_id=protocol.id,
            field="host_comment",
            visit_id=protocol.visit_id,
            source_language="fr",
            source_text=protocol.host_comment,
            target_language="en",
            text="Agreed. Please post nothing about the steering group before Monday.",
        )
    )
    db.session.commit()

    assert client.post(f"/people/{claire.id}/erase", data={"confirm": "y"}).status_code == 200

    db.session.expire_all()
    assert db.session.get(SocialProtocol, protocol.id).host_comment == ""
    assert (
        db.session.scalar(
            db.select(db.func.count(ContentTranslation.id)).filter_by(field="host_comment")
        )
        == 0
    )


def test_retention_removes_personal_data_of_old_visits_only(app: Flask, make) -> None:
    load_demo(db.session)
    db.session.commit()
    recent = make.visit(start_date=date(2026, 9, 1), end_date=date(2026, 9, 2))
    lead = db.session.scalar(db.select(Person).filter_by(email="lead@glasgow.example"))
    make.member(recent, lead)
    app.config["RETENTION_YEARS"] = 6
    result = app.test_cli_runner().invoke(args=["retention", "--today", "2026-11-27"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    eilidh = db.session.scalar(db.select(Person).where(Person.name.like("P-%")))
    assert eilidh is not None
    # Morag is also on a recent visit: her personal data stays.
    assert db.session.get(Person, lead.id).email == "lead@glasgow.example"
    # The writers of the old visit's messages were erased, and their words with them.
    assert "13 people erased, 2 post checks" in result.output
    assert set(db.session.scalars(db.select(Message.body))) == {""}
    again = app.test_cli_runner().invoke(args=["retention", "--today", "2026-11-27"])
    assert "0 people erased" in again.output


def test_the_audit_log_records_who_changed_what(app: Flask) -> None:
    client, eilidh = demo_admin(app)
    client.post(f"/people/{eilidh.id}/consent", data={"photo": "y", "note": "paper form"})
    entry = db.session.scalar(
        db.select(AuditEntry)
        .where(AuditEntry.table_name == "media_consent", AuditEntry.action == "added")
        .order_by(AuditEntry.id.desc())
    )
    admin = db.session.scalar(db.select(User).filter_by(email="admin@cop.example"))
    assert entry.user_id == admin.id
    assert entry.origin == f"POST /people/{eilidh.id}/consent"
    assert entry.row_id.isdigit()
    page = visible_text(client.get("/admin/audit?table=media_consent").get_data(as_text=True))
    assert "admin@cop.example" in page and "paper form" not in page
    # Tables as people know them, and times on the installation's clock, its city named.
    assert "added Photo and video consents" in page and "media_consent" not in page
    assert "(London)" in page
    french = app.test_client()
    sign_in(french, "admin@cop.example", "cop-demo")
    french.post("/language", data={"language": "fr"})
    page = visible_text(french.get("/admin/audit?table=media_consent").get_data(as_text=True))
    assert "Consentements photo et vidéo" in page and "(Londres)" in page
    participant = app.test_client()
    sign_in(participant, EILIDH, "cop-demo")
    assert participant.get("/admin/audit").status_code == 403


def test_every_table_has_a_name_people_know(app: Flask) -> None:
    from cop.extensions import db as database
    from cop.privacy.tables import TABLE_NAMES

    assert set(database.metadata.tables) == set(TABLE_NAMES)

"""Every role stays in its lane: across people (an account holder's name and address are theirs),
across visits (consent is recorded by the leads of the person's own visit) and across
programmes (contacts, research data)."""

from __future__ import annotations

import io

import pytest
from flask import Flask

from cop.directory.models import Person
from cop.extensions import db
from cop.interpreting.models import Booking, Interpreter, LanguagePair, Mode
from cop.network.models import Contact
from cop.social.models import MediaConsent
from cop.visits.models import MembershipRole, ProgrammeResearcher
from tests.conftest import Factory, sign_in


@pytest.fixture
def two_programmes(app: Flask, make: Factory):
    """Glasgow's programme and Fife's, each with a visit, a lead and a member without account."""
    world = {}
    for name in ("glasgow", "fife"):
        programme = make.programme(name=f"{name} programme")
        visit = make.visit(programme_id=programme.id)
        lead = make.user(f"lead@{name}.example")
        make.member(visit, lead.person, MembershipRole.LEAD)
        member = make.person(name=f"Member of {name}", email=f"member@{name}.example")
        make.member(visit, member)
        account = make.user(f"officer@{name}.example")
        make.member(visit, account.person)
        world[name] = {
            "programme": programme,
            "visit": visit,
            "lead": lead,
            "member": member,
            "account": account,
        }
    return world


def client_of(app: Flask, user) -> object:
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


def person_form(person: Person, **changes: str) -> dict[str, str]:
    return {
        "name": person.name,
        "email": person.email or "",
        "organisation_id": "0",
        "job_title": "",
        "languages": "en",
        "preferred_language": "en",
        **changes,
    }


def test_a_lead_cannot_change_an_account_holders_email(app: Flask, two_programmes) -> None:
    glasgow = two_programmes["glasgow"]
    lead = client_of(app, glasgow["lead"])
    officer = glasgow["account"].person
    answer = lead.post(
        f"/people/{officer.id}/edit", data=person_form(officer, email="attacker@evil.example")
    )
    assert answer.status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, officer.id).email == "officer@glasgow.example"


def test_a_lead_edits_a_member_without_account_of_their_own_visit_only(
    app: Flask, two_programmes
) -> None:
    glasgow, fife = two_programmes["glasgow"], two_programmes["fife"]
    lead = client_of(app, glasgow["lead"])
    own = glasgow["member"]
    other = fife["member"]
    assert (
        lead.post(f"/people/{own.id}/edit", data=person_form(own, job_title="PB officer"))
    ).status_code == 302
    assert (
        lead.post(f"/people/{other.id}/edit", data=person_form(other, email="x@evil.example"))
    ).status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, own.id).job_title == "PB officer"
    assert db.session.get(Person, other.id).email == "member@fife.example"


def test_the_person_and_an_administrator_change_an_account_holders_details(
    app: Flask, make: Factory, two_programmes
) -> None:
    officer = two_programmes["glasgow"]["account"]
    own = client_of(app, officer)
    assert (
        own.post(
            f"/people/{officer.person_id}/edit", data=person_form(officer.person, job_title="Lead")
        ).status_code
        == 302
    )
    admin = client_of(app, make.user(admin=True, with_person=False))
    answer = admin.post(
        f"/people/{officer.person_id}/edit", data=person_form(officer.person, job_title="Chief")
    )
    assert answer.status_code == 302


def test_the_interpreter_form_cannot_rename_an_account_holder(app: Flask, two_programmes) -> None:
    glasgow, fife = two_programmes["glasgow"], two_programmes["fife"]
    officer = fife["account"].person
    interpreter = Interpreter(person_id=officer.id, pairs=[LanguagePair(source="fr", target="en")])
    db.session.add(interpreter)
    db.session.commit()
    lead = client_of(app, glasgow["lead"])
    answer = lead.post(
        f"/interpreters/{interpreter.id}",
        data={
            "name": "Someone else",
            "email": "attacker@evil.example",
            "language": "en",
            "pairs": "fr>en",
            "modes": ["consecutive"],
            "currency": "EUR",
        },
    )
    assert answer.status_code == 400
    db.session.expire_all()
    assert db.session.get(Person, officer.id).email == "officer@fife.example"


def test_consent_is_recorded_for_others_only_by_leads_of_their_visit(
    app: Flask, two_programmes
) -> None:
    glasgow, fife = two_programmes["glasgow"], two_programmes["fife"]
    lead = client_of(app, glasgow["lead"])
    assert lead.post(
        f"/people/{glasgow['member'].id}/consent", data={"photo": "y"}
    ).status_code == (302)
    assert lead.get(f"/people/{fife['member'].id}/consent").status_code == 403
    assert lead.post(f"/people/{fife['member'].id}/consent", data={"photo": "y"}).status_code == 403
    recorded = db.session.scalars(db.select(MediaConsent.person_id)).all()
    assert recorded == [glasgow["member"].id]


def contacts_file(*rows: str) -> dict:
    body = "from_email,to_email,date,channel,topic\n" + "\n".join(rows) + "\n"
    return {"contacts": (io.BytesIO(body.encode()), "contacts.csv")}


def test_contacts_go_only_into_programmes_the_importer_leads(app: Flask, two_programmes) -> None:
    glasgow, fife = two_programmes["glasgow"], two_programmes["fife"]
    lead = client_of(app, glasgow["lead"])
    into_fife = lead.post(
        f"/programmes/{fife['programme'].id}/contacts/import",
        data=contacts_file("member@fife.example,officer@fife.example,2017-03-06,email,PB"),
        content_type="multipart/form-data",
    )
    assert into_fife.status_code == 403
    reaching_out = lead.post(
        f"/programmes/{glasgow['programme'].id}/contacts/import",
        data=contacts_file(
            "member@glasgow.example,officer@glasgow.example,2017-03-06,email,PB",
            "member@fife.example,officer@fife.example,2017-03-06,email,PB",
        ),
        content_type="multipart/form-data",
    )
    assert reaching_out.status_code == 400
    assert "not in this programme" in reaching_out.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 0
    own = lead.post(
        f"/programmes/{glasgow['programme'].id}/contacts/import",
        data=contacts_file("member@glasgow.example,officer@glasgow.example,2017-03-06,email,PB"),
        content_type="multipart/form-data",
    )
    assert own.status_code == 302
    contact = db.session.scalar(db.select(Contact))
    assert contact.logged_by_id == glasgow["lead"].person_id


def test_researchers_read_only_the_programmes_they_are_assigned_to(
    app: Flask, make: Factory, two_programmes
) -> None:
    glasgow, fife = two_programmes["glasgow"], two_programmes["fife"]
    researcher = make.user(researcher=True)
    db.session.add(ProgrammeResearcher(programme_id=glasgow["programme"].id, user_id=researcher.id))
    db.session.commit()
    reader = client_of(app, researcher)
    own, other = glasgow["visit"].id, fife["visit"].id
    assert reader.get(f"/visits/{own}/reflections").status_code == 200
    assert reader.get(f"/programmes/{glasgow['programme'].id}/network").status_code == 200
    assert reader.get(f"/visits/{own}/report").status_code == 200
    # Not the visit's own records: correspondence, documents, costs.
    for page in ("correspondence", "documents", "planning", "planning/costs.csv"):
        assert reader.get(f"/visits/{own}/{page}").status_code == 403, page
    for page in ("", "/reflections", "/report", "/itinerary"):
        assert reader.get(f"/visits/{other}{page}").status_code == 403, page
    assert reader.get(f"/programmes/{fife['programme'].id}/network").status_code == 403
    listed = reader.get("/visits").get_data(as_text=True)
    assert glasgow["visit"].title in listed and fife["visit"].title not in listed


def test_hosts_see_the_visitors_effort_and_costs_only_when_shared(
    app: Flask, make: Factory, two_programmes
) -> None:
    glasgow = two_programmes["glasgow"]
    visit = glasgow["visit"]
    host = make.user()
    make.member(visit, host.person, MembershipRole.HOST)
    hosts_view = client_of(app, host)
    assert hosts_view.get(f"/visits/{visit.id}/planning").status_code == 403
    assert hosts_view.get(f"/visits/{visit.id}/planning/costs.csv").status_code == 403
    assert "Planning log" not in hosts_view.get(f"/visits/{visit.id}").get_data(as_text=True)
    interpreter = Interpreter(person_id=make.person().id)
    db.session.add(interpreter)
    db.session.flush()
    item = make.item(visit)
    db.session.add(
        Booking(interpreter_id=interpreter.id, item_id=item.id, mode=Mode.CONSECUTIVE, estimate=450)
    )
    db.session.commit()
    interpreting = hosts_view.get(f"/visits/{visit.id}/interpreting").get_data(as_text=True)
    assert "Estimate" not in interpreting and "450" not in interpreting
    lead = client_of(app, glasgow["lead"])
    assert lead.post(f"/visits/{visit.id}/planning/sharing", data={"shared": "1"}).status_code == (
        302
    )
    assert hosts_view.get(f"/visits/{visit.id}/planning").status_code == 200
    assert "450" in hosts_view.get(f"/visits/{visit.id}/interpreting").get_data(as_text=True)
    lead.post(f"/visits/{visit.id}/planning/sharing", data={"shared": "0"})
    assert hosts_view.get(f"/visits/{visit.id}/planning").status_code == 403

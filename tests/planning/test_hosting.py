"""The host's side: hosts record the staff time their side gave a visit and what it gained, in
their own language; they read each other's accounts, and the visit's report counts them in its
efficiency section."""

from __future__ import annotations

from flask import Flask

from cop.extensions import db
from cop.planning.models import HostContribution
from cop.visits.models import MembershipRole
from tests.conftest import sign_in, visible_text


def test_a_host_records_their_side_and_the_report_counts_it(app: Flask, make) -> None:
    visit = make.visit(title="PB study visit to Paris")
    lead = make.user("lead@glasgow.example")
    host = make.user("hote@paris.example", locale="fr")
    host.person.preferred_language = "fr"
    db.session.commit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, host.person, MembershipRole.HOST)
    by_host = app.test_client()
    sign_in(by_host, host)
    assert "Votre côté de la visite" in visible_text(
        by_host.get(f"/visits/{visit.id}").get_data(as_text=True)
    )
    answer = by_host.post(
        f"/visits/{visit.id}/hosting",
        data={
            "hours": "12.5",
            "staff": "deux agents du budget participatif",
            "gained": "Un regard neuf sur nos propres critères de vote.",
        },
    )
    assert answer.status_code == 302
    account = db.session.scalar(db.select(HostContribution))
    assert account.minutes == 750 and account.language == "fr"
    page = visible_text(by_host.get(f"/visits/{visit.id}/hosting").get_data(as_text=True))
    assert "Un regard neuf sur nos propres critères de vote." in page

    by_lead = app.test_client()
    sign_in(by_lead, lead)
    report = visible_text(by_lead.get(f"/visits/{visit.id}/report").get_data(as_text=True))
    assert "The hosts’ side" in report
    assert f"{host.person.name} 12.5 deux agents du budget participatif" in report
    assert (
        f"What {host.person.name} gained: “Un regard neuf sur nos propres critères de vote.”"
        in report
    )


def test_only_hosts_record_the_hosts_side(app: Flask, make) -> None:
    visit = make.visit()
    participant = make.user()
    make.member(visit, participant.person)
    client = app.test_client()
    sign_in(client, participant)
    assert client.get(f"/visits/{visit.id}/hosting").status_code == 403


def test_hours_must_be_a_number(app: Flask, make) -> None:
    visit = make.visit()
    host = make.user()
    make.member(visit, host.person, MembershipRole.HOST)
    client = app.test_client()
    sign_in(client, host)
    answer = client.post(f"/visits/{visit.id}/hosting", data={"hours": "many"})
    assert answer.status_code == 400
    assert db.session.scalar(db.select(HostContribution)) is None

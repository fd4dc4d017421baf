"""Signed links are personal: every mail carries its recipient's own link, answering through it
records that person only, and a link dies when its holder leaves the visit or what it answers
closes. Every kind of link has a lifetime."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask

from cop import PROJECT_ROOT
from cop.database import utcnow
from cop.extensions import db
from cop.links import LIFETIMES, SignedLink, link_for
from cop.mail import OutboxMail
from cop.network.models import SurveyRespondent, SurveyWave
from cop.polls.models import DateOption, DatePoll, PollInvitee
from cop.social.models import MediaConsent, ProtocolAcknowledgement, SocialProtocol
from cop.visits.models import Membership, MembershipRole
from tests.conftest import Factory, sign_in


def links_mailed_to(pattern: str) -> dict[str, str]:
    """The link each recipient's latest mail carries, by address."""
    found = {}
    for mail in db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id)):
        match = re.search(pattern, mail.body_text)
        if match:
            found[mail.recipient] = match.group(0)
    return found


@pytest.fixture
def three_of_each(app: Flask, make: Factory):
    """A visit with a lead, three hosts and three participants without accounts."""
    visit = make.visit()
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    hosts = [make.person(name=f"Host {n}", preferred_language="fr") for n in range(3)]
    members = [make.person(name=f"Member {n}") for n in range(3)]
    for host in hosts:
        make.member(visit, host, MembershipRole.HOST)
    for member in members:
        make.member(visit, member)
    client = app.test_client()
    sign_in(client, lead)
    return visit, client, hosts, members


def test_each_host_approves_through_their_own_link(app: Flask, three_of_each) -> None:
    visit, lead, hosts, _members = three_of_each
    lead.post(f"/visits/{visit.id}/protocol/send")
    lead.post(f"/visits/{visit.id}/protocol/send")  # sent again: the same link each
    links = links_mailed_to(r"/protocol/approve/\S+")
    assert set(links) == {host.email for host in hosts}
    assert len(set(links.values())) == 3
    second = hosts[1]
    app.test_client().post(links[second.email], data={"answer": "approve", "comment": ""})
    db.session.expire_all()
    assert db.session.scalar(db.select(SocialProtocol.approved_by_id)) == second.id


def test_each_member_accepts_and_consents_as_themself(app: Flask, three_of_each) -> None:
    visit, lead, _hosts, members = three_of_each
    lead.post(f"/visits/{visit.id}/protocol", data={"hashtags": "#PB"})
    protocol = db.session.scalar(db.select(SocialProtocol))
    protocol.approved_at = utcnow()
    db.session.commit()
    lead.post(f"/visits/{visit.id}/protocol/remind")
    links = links_mailed_to(r"/protocol/acknowledge/\S+")
    assert len({links[m.email] for m in members}) == 3
    for member in members:
        anyone = app.test_client()
        assert anyone.post(links[member.email], data={"answer": "acknowledge"}).status_code == 302
        anyone.post(links[member.email], data={"answer": "consent", "photo": "y"})
    accepted = set(db.session.scalars(db.select(ProtocolAcknowledgement.person_id)))
    consented = set(db.session.scalars(db.select(MediaConsent.person_id)))
    assert {m.id for m in members} <= accepted
    assert consented == {m.id for m in members}


def test_a_removed_hosts_link_stops_working(app: Flask, three_of_each) -> None:
    visit, lead, hosts, _members = three_of_each
    lead.post(f"/visits/{visit.id}/protocol/send")
    link = links_mailed_to(r"/protocol/approve/\S+")[hosts[0].email]
    assert app.test_client().get(link).status_code == 200
    membership = db.session.scalar(db.select(Membership).filter_by(person_id=hosts[0].id))
    assert lead.post(f"/visits/{visit.id}/members/{membership.id}/remove").status_code == 302
    gone = app.test_client().get(link)
    assert gone.status_code == 410
    assert gone.headers["Cache-Control"] == "no-store"
    assert db.session.scalar(db.select(SocialProtocol.approved_at)) is None


def test_a_link_dies_even_when_the_membership_goes_another_way(app: Flask, three_of_each) -> None:
    """Deleting the membership row directly (a cascade, a script) also ends the link."""
    visit, lead, hosts, _members = three_of_each
    lead.post(f"/visits/{visit.id}/protocol/send")
    link = links_mailed_to(r"/protocol/approve/\S+")[hosts[2].email]
    db.session.execute(db.delete(Membership).where(Membership.person_id == hosts[2].id))
    db.session.commit()
    assert app.test_client().get(link).status_code == 410


def test_closing_a_poll_ends_its_answer_links(app: Flask, make: Factory) -> None:
    visit = make.visit()
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    hosts = [make.person() for _ in range(3)]
    for host in hosts:
        make.member(visit, host, MembershipRole.HOST)
    client = app.test_client()
    sign_in(client, lead)
    client.post(
        f"/visits/{visit.id}/polls/new",
        data={"candidate_dates": "2017-03-06", "invitee_ids": [h.id for h in hosts]},
    )
    links = links_mailed_to(r"/polls/[^\s/]+")
    assert len({links[h.email] for h in hosts}) == 3
    answer = app.test_client().get(links[hosts[0].email])
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    # A host who leaves the visit can no longer answer; the others still can.
    leaving = db.session.scalar(db.select(Membership).filter_by(person_id=hosts[1].id))
    client.post(f"/visits/{visit.id}/members/{leaving.id}/remove")
    assert app.test_client().get(links[hosts[1].email]).status_code == 410
    assert app.test_client().get(links[hosts[2].email]).status_code == 200
    poll = db.session.scalar(db.select(DatePoll))
    option = poll.options[0]
    client.post(f"/visits/{visit.id}/polls/{poll.id}/close", data={"option_id": option.id})
    assert app.test_client().get(links[hosts[0].email]).status_code == 410


def test_closing_a_survey_wave_ends_its_links(app: Flask, make: Factory) -> None:
    programme = make.programme()
    visit = make.visit(programme_id=programme.id)
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    for _ in range(2):
        make.member(visit, make.person())
    client = app.test_client()
    sign_in(client, lead)
    client.post(
        f"/programmes/{programme.id}/surveys/new",
        data={"title": "Baseline", "asked_on": "2016-11-01", "months": "12"},
    )
    links = links_mailed_to(r"/survey/\S+")
    assert len(links) == 3 and len(set(links.values())) == 3
    wave = db.session.scalar(db.select(SurveyWave))
    client.post(f"/programmes/{programme.id}/surveys/{wave.id}/close")
    for link in links.values():
        assert app.test_client().get(link).status_code == 410
    assert db.session.scalar(db.select(db.func.count(SurveyRespondent.id))) == 3


def test_every_kind_of_link_the_code_issues_has_a_lifetime() -> None:
    purposes = set()
    for path in Path(PROJECT_ROOT / "cop").rglob("*.py"):
        purposes |= set(re.findall(r'_PURPOSE = "([^"]+)"', path.read_text()))
    assert purposes, "no link purposes found"
    assert purposes <= set(LIFETIMES)
    assert all(timedelta(0) < LIFETIMES[p] <= timedelta(days=366) for p in purposes)


def test_every_issued_link_expires(app: Flask, make: Factory) -> None:
    visit = make.visit()
    person = make.person()
    make.member(visit, person)
    poll = DatePoll(
        visit_id=visit.id,
        options=[DateOption(first_day=date(2017, 3, 6), last_day=date(2017, 3, 6))],
    )
    poll.invitees = [PollInvitee(person=person)]
    db.session.add(poll)
    db.session.commit()
    link = link_for("secret", "poll-answer", poll.invitees[0].id, person_id=person.id)
    db.session.commit()
    assert db.session.get(SignedLink, link.id).expires_at is not None

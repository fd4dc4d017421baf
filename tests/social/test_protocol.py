"""The social-media protocol: the host approves it by link, every member accepts it, changes
need approving again; the consent register keeps its history; draft posts are checked and
logged."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from cop.extensions import db
from cop.links import SignedLink
from cop.mail import OutboxMail
from cop.social.models import (
    Decision,
    MediaConsent,
    PostCheck,
    ProtocolAcknowledgement,
    SocialProtocol,
)
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text


@pytest.fixture
def visit_with_protocol(app: Flask, make: Factory):
    visit = make.visit()
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    participant = make.user()
    make.member(visit, participant.person)
    host = make.person(name="Claire Dubois", email="claire@paris.example")
    host.preferred_language = "fr"
    make.member(visit, host, MembershipRole.HOST)
    steering = make.item(visit, title="Observation of the steering group")
    client = app.test_client()
    sign_in(client, lead)
    client.post(
        f"/visits/{visit.id}/protocol",
        data={
            "platforms": ["x"],
            "hashtags": "#PBScotland #BudgetParticipatif",
            "forbidden_topics": "names of residents",
        },
    )
    client.post(
        f"/visits/{visit.id}/protocol/embargoes",
        data={
            "subject": "comité de pilotage",
            "item_id": steering.id,
            "day": "2016-12-12",
            "at": "08:00",
        },
    )
    return {
        "visit": visit,
        "lead": client,
        "lead_user": lead,
        "participant": participant,
        "host": host,
    }


def latest_link(kind: str) -> str:
    mail = db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()))
    return re.search(rf"/protocol/{kind}/\S+", mail.body_text).group(0)


def protocol() -> SocialProtocol:
    db.session.expire_all()
    return db.session.scalar(db.select(SocialProtocol))


def test_the_host_approves_in_french_and_a_change_needs_approving_again(
    app: Flask, visit_with_protocol
) -> None:
    v = visit_with_protocol
    sent = v["lead"].post(f"/visits/{v['visit'].id}/protocol/send")
    assert sent.status_code == 302
    mail = db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()))
    assert mail.recipient == "claire@paris.example" and mail.subject.startswith("Publier sur")
    host = app.test_client()
    path = latest_link("approve")
    page = host.get(path)
    text = visible_text(page.get_data(as_text=True))
    assert '<html lang="fr">' in page.get_data(as_text=True)
    assert "#PBScotland #BudgetParticipatif" in text and "comité de pilotage" in text
    host.post(path, data={"answer": "comment", "comment": "Pas de photos des enfants."})
    told = db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()))
    assert told.recipient == v["lead_user"].email
    assert told.subject.startswith("Claire Dubois commented on the social-media protocol")
    assert "Pas de photos des enfants." in told.body_text
    host.post(path, data={"answer": "approve", "comment": "D'accord."})
    assert protocol().approved_at is not None and protocol().version == 1
    told = db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()))
    assert told.subject.startswith("Claire Dubois approved the social-media protocol")
    # Changing the approved protocol makes version 2, which is not approved yet.
    v["lead"].post(
        f"/visits/{v['visit'].id}/protocol",
        data={"platforms": ["x", "linkedin"], "hashtags": "#PBScotland"},
    )
    assert protocol().version == 2 and protocol().approved_at is None


def test_members_accept_the_approved_version_and_are_reminded(
    app: Flask, visit_with_protocol
) -> None:
    v = visit_with_protocol
    visit_id = v["visit"].id
    lead_email = v["lead_user"].email
    participant = app.test_client()
    sign_in(participant, v["participant"])
    # Nothing to accept before the host approved it.
    assert participant.post(f"/visits/{visit_id}/protocol/acknowledge").status_code == 409
    found = protocol()
    found.approved_at = found.updated_at
    db.session.commit()
    assert participant.post(f"/visits/{visit_id}/protocol/acknowledge").status_code == 302
    page = visible_text(v["lead"].get(f"/visits/{visit_id}/protocol").get_data(as_text=True))
    assert f"{v['participant'].person.name} Participant Yes" in page
    v["lead"].post(f"/visits/{visit_id}/protocol/remind")
    reminded = db.session.scalars(db.select(OutboxMail.recipient)).all()
    # The lead and the host had not accepted it; the participant had.
    assert sorted(reminded) == sorted(["claire@paris.example", lead_email])
    # The host accepts by link and says what may be posted of her.
    mails = db.session.scalars(
        db.select(OutboxMail).where(OutboxMail.recipient == "claire@paris.example")
    ).all()
    path = re.search(r"/protocol/acknowledge/\S+", mails[-1].body_text).group(0)
    host = app.test_client()
    assert host.post(path, data={"answer": "acknowledge"}).status_code == 302
    host.post(path, data={"answer": "consent", "photo": "y", "naming": "y"})
    consent = db.session.scalar(db.select(MediaConsent))
    assert (consent.photo, consent.video, consent.tagging, consent.naming) == (
        True,
        False,
        False,
        True,
    )
    assert db.session.scalar(db.select(db.func.count(ProtocolAcknowledgement.id))) == 2


def test_revoked_and_forged_links_are_refused(app: Flask, visit_with_protocol) -> None:
    v = visit_with_protocol
    v["lead"].post(f"/visits/{v['visit'].id}/protocol/send")
    path = latest_link("approve")
    for link in db.session.scalars(db.select(SignedLink)):
        link.revoke()
    db.session.commit()
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 410
    assert anonymous.post(path, data={"answer": "approve"}).status_code == 410
    assert protocol().approved_at is None
    assert anonymous.get("/protocol/approve/forged").status_code == 400
    assert anonymous.get("/protocol/acknowledge/forged").status_code == 400


def test_the_consent_register_keeps_its_history(app: Flask, visit_with_protocol) -> None:
    v = visit_with_protocol
    participant = app.test_client()
    sign_in(participant, v["participant"])
    participant.post("/consent", data={"photo": "y", "video": "y"})
    participant.post("/consent", data={"photo": "y"})
    history = db.session.scalars(db.select(MediaConsent).order_by(MediaConsent.id)).all()
    assert [(c.photo, c.video) for c in history] == [(True, True), (True, False)]
    page = visible_text(participant.get("/consent").get_data(as_text=True))
    assert page.count(v["participant"].person.name) >= 2
    # An organiser records a paper form for someone without an account.
    host_id = v["host"].id
    recorded = v["lead"].post(
        f"/people/{host_id}/consent", data={"naming": "y", "note": "Signed form, 8 December"}
    )
    assert recorded.status_code == 302
    latest = db.session.scalar(db.select(MediaConsent).where(MediaConsent.person_id == host_id))
    assert latest.naming and not latest.photo and latest.note == "Signed form, 8 December"
    assert participant.get(f"/people/{host_id}/consent").status_code == 403


def test_a_draft_post_is_checked_logged_and_decided(app: Flask, visit_with_protocol) -> None:
    v = visit_with_protocol
    participant = app.test_client()
    sign_in(participant, v["participant"])
    url = f"/visits/{v['visit'].id}/posts"
    response = participant.post(
        url,
        data={
            "platform": "x",
            "text": "Watching the Observation of the steering group! #PBScotland",
            "day": "2016-12-09",
            "at": "11:00",
            "pictured": [str(v["host"].id)],
        },
    )
    assert response.status_code == 200
    text = visible_text(response.get_data(as_text=True))
    assert "3 problems" in text
    assert "Under embargo: nothing about “comité de pilotage” yet." in text
    assert "The hashtag #BudgetParticipatif is missing." in text
    assert "Claire Dubois has not agreed to appear in photos." in text
    check = db.session.scalar(db.select(PostCheck))
    decided = participant.post(f"{url}/{check.id}", data={"decision": "not_posted"})
    assert decided.status_code == 302
    db.session.refresh(check)
    assert check.decision is Decision.NOT_POSTED and check.decided_at is not None
    empty = participant.post(
        url, data={"platform": "x", "text": "", "day": "2016-12-09", "at": "11:00"}
    )
    assert empty.status_code == 400
    assert db.session.scalar(db.select(db.func.count(PostCheck.id))) == 1
    french = app.test_client()
    sign_in(french, v["participant"])
    french.post("/language", data={"language": "fr"})
    page = visible_text(french.get(url).get_data(as_text=True))
    assert "Le hashtag #BudgetParticipatif manque." in page

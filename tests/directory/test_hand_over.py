"""Hand-over: when someone leaves their post, a lead of their visit gives their open actions,
the people they were in touch with and the correspondence they answered to a successor, and
both people's pages and each moved action's timeline say so."""

from __future__ import annotations

from datetime import date

from flask import Flask

from cop.actions.models import Action, ActionStatus, ActionUpdate
from cop.correspondence.models import Thread
from cop.extensions import db
from cop.network.models import Contact
from cop.visits.models import MembershipRole
from tests.conftest import sign_in, visible_text


def test_a_lead_hands_a_leavers_work_to_their_successor(app: Flask, client, make) -> None:
    glasgow = make.organisation(name="Glasgow City Council")
    visit = make.visit()
    lead = make.user("lead@glasgow.example")
    leaver = make.person(name="Ailsa Leaving", organisation_id=glasgow.id)
    successor = make.person(name="Bruce Taking-Over", organisation_id=glasgow.id)
    host = make.person(name="Claire Dubois")
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, leaver)
    make.member(visit, host, MembershipRole.HOST)
    open_action = Action(visit_id=visit.id, owner_id=leaver.id, title="Named PB officers")
    done = Action(
        visit_id=visit.id, owner_id=leaver.id, title="Report back", status=ActionStatus.DONE
    )
    thread = Thread(visit_id=visit.id, subject="Budget rules", counterpart_person_id=leaver.id)
    db.session.add_all(
        [
            open_action,
            done,
            thread,
            Contact(from_person_id=leaver.id, to_person_id=host.id, day=date(2017, 1, 5)),
        ]
    )
    db.session.commit()
    sign_in(client, lead)
    assert "hand their work over" in visible_text(
        client.get(f"/people/{leaver.id}").get_data(as_text=True)
    )
    form = visible_text(client.get(f"/people/{leaver.id}/hand-over").get_data(as_text=True))
    assert "Named PB officers" in form and "Report back" not in form
    assert "Claire Dubois" in form and "Budget rules" in form

    answer = client.post(
        f"/people/{leaver.id}/hand-over",
        data={
            "successor_id": successor.id,
            "action_ids": [open_action.id],
            "contact_ids": [host.id],
            "thread_ids": [thread.id],
            "note": "Claire expects the figures in March.",
        },
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Action, open_action.id).owner_id == successor.id
    assert db.session.get(Action, done.id).owner_id == leaver.id
    assert db.session.get(Thread, thread.id).counterpart_person_id == successor.id
    [update] = db.session.scalars(
        db.select(ActionUpdate).where(ActionUpdate.action_id == open_action.id)
    ).all()
    assert update.note == "Handed over from Ailsa Leaving to Bruce Taking-Over."
    theirs = visible_text(client.get(f"/people/{successor.id}").get_data(as_text=True))
    assert "took over from Ailsa Leaving – 1 action, 1 thread." in theirs
    assert "Contacts to keep up: Claire Dubois" in theirs
    assert "Claire expects the figures in March." in theirs
    assert "handed over to Bruce Taking-Over" in visible_text(
        client.get(f"/people/{leaver.id}").get_data(as_text=True)
    )


def test_only_a_lead_of_their_visit_hands_someones_work_over(app: Flask, make) -> None:
    visit = make.visit()
    participant = make.user()
    leaver = make.person()
    make.member(visit, participant.person)
    make.member(visit, leaver)
    client = app.test_client()
    sign_in(client, participant)
    assert client.get(f"/people/{leaver.id}/hand-over").status_code == 403
    assert client.post(f"/people/{leaver.id}/hand-over", data={}).status_code == 403


def test_a_hand_over_needs_a_successor(app: Flask, client, make) -> None:
    visit = make.visit()
    lead = make.user()
    leaver = make.person()
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, leaver)
    sign_in(client, lead)
    answer = client.post(f"/people/{leaver.id}/hand-over", data={"successor_id": ""})
    assert answer.status_code == 400
    assert "Choose the successor" in visible_text(answer.get_data(as_text=True))

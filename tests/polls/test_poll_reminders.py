"""Polls that chase: the lead chooses when those who have not answered are reminded, before
the deadline; at that moment each of them gets one reminder, in their language, with the same
personal link as the invitation; those who answered get nothing."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from cop.database import utcnow
from cop.extensions import db
from cop.itinerary.logic import in_zone
from cop.polls.models import DatePoll, PollInvitee
from cop.polls.notices import remind_silent_invitees
from tests.conftest import sign_in, visible_text
from tests.polls.test_poll_pages import link_in, open_poll


def local(moment, visit) -> str:
    return in_zone(moment, visit.time_zone).strftime("%Y-%m-%dT%H:%M")


def test_the_silent_are_reminded_once_at_the_time_the_lead_chose(
    app: Flask, client, visit_to_paris, mail_server
) -> None:
    visit, lead, participant, host = visit_to_paris
    sign_in(client, lead)
    deadline = (utcnow() + timedelta(days=10)).date()
    poll = open_poll(client, visit, deadline=deadline.isoformat())
    invitations = {m["To"]: link_in(m) for m in mail_server.wait_for(3)}
    # The participant answers; the lead and the host do not.
    answering = app.test_client()
    answer_page = answering.get(invitations[participant.email])
    assert answer_page.status_code == 200
    answering.post(
        invitations[participant.email],
        data={f"option_{o.id}": "yes" for o in poll.options} | {"comment": ""},
    )
    assert (
        db.session.get(
            PollInvitee, next(i.id for i in poll.invitees if i.person_id == participant.person_id)
        ).answered_at
        is not None
    )

    when = utcnow() + timedelta(days=3)
    answer = client.post(
        f"/visits/{visit.id}/polls/{poll.id}/reminder", data={"remind_at": local(when, visit)}
    )
    assert answer.status_code == 302
    page = visible_text(client.get(f"/visits/{visit.id}/polls/{poll.id}").get_data(True))
    assert "will be reminded then, once, by their own link." in page

    secret = app.config["SECRET_KEY"]
    mail_server.messages.clear()
    assert remind_silent_invitees(db.session, utcnow(), secret) == 0  # not yet
    assert remind_silent_invitees(db.session, when + timedelta(minutes=1), secret) == 2
    from cop.jobs import send_mail

    send_mail()
    reminders = {m["To"]: m for m in mail_server.wait_for(2)}
    assert set(reminders) == {lead.email, host.email}
    assert reminders[host.email]["Subject"].startswith("Rappel")
    assert link_in(reminders[host.email]) == invitations[host.email]  # the same personal link
    assert remind_silent_invitees(db.session, when + timedelta(hours=1), secret) == 0
    send_mail()
    assert len(mail_server.messages) == 2
    page = visible_text(client.get(f"/visits/{visit.id}/polls/{poll.id}").get_data(True))
    assert "Reminded on" in page and ": 2 people." in page


def test_a_reminder_must_come_before_the_deadline_and_after_now(
    client, visit_to_paris, mail_server
) -> None:
    visit, lead, _participant, _host = visit_to_paris
    sign_in(client, lead)
    deadline = (utcnow() + timedelta(days=2)).date()
    poll = open_poll(client, visit, deadline=deadline.isoformat())
    url = f"/visits/{visit.id}/polls/{poll.id}/reminder"
    for moment, message in (
        (utcnow() - timedelta(hours=2), "Choose a moment still to come."),
        (utcnow() + timedelta(days=5), "Choose a moment before the poll’s deadline."),
    ):
        answer = client.post(url, data={"remind_at": local(moment, visit)})
        assert answer.status_code == 400 and message in visible_text(answer.get_data(True))
    assert client.post(url, data={"remind_at": "soon"}).status_code == 400
    assert db.session.get(DatePoll, poll.id).remind_at is None


def test_only_the_visits_leads_set_reminders(app: Flask, visit_to_paris, mail_server) -> None:
    visit, lead, participant, _host = visit_to_paris
    by_lead = app.test_client()
    sign_in(by_lead, lead)
    poll = open_poll(by_lead, visit)
    other = app.test_client()
    sign_in(other, participant)
    answer = other.post(
        f"/visits/{visit.id}/polls/{poll.id}/reminder",
        data={"remind_at": local(utcnow() + timedelta(days=1), visit)},
    )
    assert answer.status_code == 403

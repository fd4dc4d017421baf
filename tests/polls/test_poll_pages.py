"""A date poll from the lead's question to the agreed dates, hosts answering by link in French."""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar

from cop.database import utcnow
from cop.extensions import db
from cop.polls.models import DatePoll, PollInvitee
from cop.visits.models import MembershipRole, VisitStatus
from tests.conftest import sign_in, visible_text


def open_poll(client, visit, **extra) -> DatePoll:
    members = [m.person_id for m in visit.memberships]
    data = {
        "candidate_dates": "2016-11-29 to 2016-11-30\n2016-12-08 to 2016-12-09",
        "invitee_ids": [str(i) for i in members],
        "key_person_ids": [
            str(m.person_id) for m in visit.memberships if m.role != MembershipRole.PARTICIPANT
        ],
        "other_emails": "",
        **extra,
    }
    response = client.post(f"/visits/{visit.id}/polls/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return db.session.scalar(db.select(DatePoll))


def link_in(message) -> str:
    return re.search(r"http://\S+/polls/\S+", message.get_content()).group(0).split("5000", 1)[1]


def test_a_lead_opens_a_poll_and_everyone_is_asked_in_their_language(
    client, visit_to_paris, mail_server
) -> None:
    visit, lead, participant, host = visit_to_paris
    sign_in(client, lead)
    poll = open_poll(client, visit)
    assert len(poll.options) == 2 and len(poll.invitees) == 3
    by_recipient = {message["To"]: message for message in mail_server.messages}
    assert by_recipient["hote@paris.example"]["Subject"].startswith("Quand pourriez-vous")
    assert "8 décembre 2016" in by_recipient["hote@paris.example"].get_content()
    assert by_recipient["participant@glasgow.example"]["Subject"].startswith("When could you")


def test_the_host_answers_by_link_without_an_account_in_french(
    app, client, visit_to_paris, mail_server
) -> None:
    visit, lead, participant, host = visit_to_paris
    sign_in(client, lead)
    poll = open_poll(client, visit)
    path = link_in(next(m for m in mail_server.messages if m["To"] == "hote@paris.example"))
    first, second = poll.options

    hosts_browser = app.test_client()
    page = hosts_browser.get(path).get_data(as_text=True)
    assert '<html lang="fr">' in page and "Quand pourriez-vous participer" in page
    response = hosts_browser.post(path, data={f"option_{first.id}": "yes"})
    assert response.status_code == 400
    assert "Répondez pour cette date" in response.get_data(as_text=True)
    response = hosts_browser.post(
        path,
        data={f"option_{first.id}": "no", f"option_{second.id}": "yes", "comment": "Le 30, non."},
    )
    assert response.status_code == 302
    hosts_browser.post(path, data={f"option_{first.id}": "no", f"option_{second.id}": "if_need_be"})
    invitee = db.session.scalar(db.select(PollInvitee).filter_by(person_id=host.id))
    db.session.refresh(invitee)
    assert {v.option_id: v.answer.value for v in invitee.votes} == {
        first.id: "no",
        second.id: "if_need_be",
    }
    assert app.test_client().get("/polls/not-a-token").status_code == 400


def test_an_invitee_reads_each_dates_weekdays_holidays_and_weekends_in_their_language(
    app, client, visit_to_paris, mail_server
) -> None:
    visit, lead, participant, host = visit_to_paris
    sign_in(client, lead)
    open_poll(client, visit, candidate_dates="2016-11-29 to 2016-11-30\n2016-12-10 to 2016-12-11")
    path = link_in(next(m for m in mail_server.messages if m["To"] == "hote@paris.example"))

    text = visible_text(app.test_client().get(path).get_data(as_text=True))

    assert "du mardi 29 novembre 2016 au mercredi 30 novembre 2016" in text
    # The holiday where the visitors work, named as the holidays library names it.
    assert "Jour férié (Royaume-Uni – SCT) : Saint Andrew's Day (mercredi 30 novembre 2016)" in text
    assert "Week-end : samedi 10 décembre 2016 · Week-end : dimanche 11 décembre 2016" in text


def test_the_poll_page_ranks_dates_and_flags_holidays_and_key_people(
    client, visit_to_paris, mail_server
) -> None:
    visit, lead, participant, host = visit_to_paris
    sign_in(client, lead)
    poll = open_poll(client, visit)
    first, second = poll.options
    path = link_in(next(m for m in mail_server.messages if m["To"] == "hote@paris.example"))
    client.application.test_client().post(
        path, data={f"option_{first.id}": "no", f"option_{second.id}": "yes"}
    )
    client.post(
        f"/visits/{visit.id}/polls/{poll.id}/answer",
        data={f"option_{first.id}": "yes", f"option_{second.id}": "yes"},
    )
    text = visible_text(client.get(f"/visits/{visit.id}/polls/{poll.id}").get_data(as_text=True))
    best = text.index("8 December 2016 to 9 December 2016: 2 yes")
    worst = text.index("29 November 2016 to 30 November 2016: 1 yes")
    assert best < worst
    assert "Key person cannot come: Claire Dubois" in text
    assert "Public holiday in United Kingdom – SCT: Saint Andrew's Day (30 November 2016)" in text
    assert "2 of 3 people have answered." in text


def test_the_lead_is_told_when_everyone_has_answered(client, visit_to_paris, mail_server):
    visit, lead, participant, host = visit_to_paris
    sign_in(client, lead)
    poll = open_poll(client, visit, invitee_ids=[str(lead.person_id), str(participant.person_id)])
    first, second = poll.options
    answers = {f"option_{first.id}": "yes", f"option_{second.id}": "yes"}
    client.post(f"/visits/{visit.id}/polls/{poll.id}/answer", data=answers)
    assert not [m for m in mail_server.messages if "Everyone has answered" in m["Subject"]]
    other = client.application.test_client()
    sign_in(other, participant)
    other.post(f"/visits/{visit.id}/polls/{poll.id}/answer", data=answers)
    [told] = [m for m in mail_server.messages if "Everyone has answered" in m["Subject"]]
    assert told["To"] == "lead@glasgow.example"


def test_choosing_the_dates_sets_them_and_mails_a_calendar_to_everyone(
    app, client, visit_to_paris, mail_server
) -> None:
    visit, lead, participant, host = visit_to_paris
    sign_in(client, lead)
    poll = open_poll(client, visit)
    second = poll.options[1]
    asked = len(mail_server.messages)
    response = client.post(
        f"/visits/{visit.id}/polls/{poll.id}/close", data={"option_id": second.id}
    )
    assert response.status_code == 302
    db.session.refresh(visit)
    assert (str(visit.start_date), str(visit.end_date)) == ("2016-12-08", "2016-12-09")
    assert visit.status is VisitStatus.CONFIRMED, "agreeing the dates moves the visit on"
    announcements = {m["To"]: m for m in mail_server.messages[asked:]}
    assert set(announcements) == {
        "lead@glasgow.example",
        "participant@glasgow.example",
        "hote@paris.example",
    }
    # English dates are British in mail as on the pages.
    english = announcements["participant@glasgow.example"].get_body(("plain",)).get_content()
    assert "8 December 2016 to 9 December 2016" in english
    assert "December 8" not in english
    french = announcements["hote@paris.example"]
    assert french["Subject"] == "Dates convenues : " + visit.title
    [attachment] = list(french.iter_attachments())
    calendar = Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").isoformat() == "2016-12-08"
    assert event.decoded("DTEND").isoformat() == "2016-12-10"  # the day after the last day
    path = link_in(next(m for m in mail_server.messages if m["To"] == "hote@paris.example"))
    # The poll is closed: its answer links have stopped working.
    closed = app.test_client().post(path, data={f"option_{second.id}": "yes"})
    assert closed.status_code == 410
    assert (
        client.post(
            f"/visits/{visit.id}/polls/{poll.id}/close", data={"option_id": second.id}
        ).status_code
        == 400
    )


def test_a_deadline_closes_the_poll_and_the_lead_is_told(app, client, visit_to_paris, mail_server):
    visit, lead, participant, host = visit_to_paris
    sign_in(client, lead)
    poll = open_poll(client, visit, deadline="2016-11-01")
    assert not poll.is_open(utcnow())
    poll.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["close-polls"])
    assert "1 polls closed" in result.output
    [told] = [m for m in mail_server.messages if "has closed" in m["Subject"]]
    assert told["To"] == "lead@glasgow.example"
    db.session.refresh(poll)
    assert poll.closed_at is not None


def test_bad_candidate_dates_and_unknown_addresses_are_explained(client, visit_to_paris) -> None:
    visit, lead, *_ = visit_to_paris
    sign_in(client, lead)
    response = client.post(
        f"/visits/{visit.id}/polls/new",
        data={"candidate_dates": "soon\n2016-12-08", "invitee_ids": [str(lead.person_id)]},
    )
    assert response.status_code == 400
    assert "These lines are not dates" in response.get_data(as_text=True)
    response = client.post(
        f"/visits/{visit.id}/polls/new",
        data={"candidate_dates": "2016-12-08", "other_emails": "stranger@example.org"},
    )
    assert "No one in the directory has these addresses: stranger@example.org" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(DatePoll.id))) == 0

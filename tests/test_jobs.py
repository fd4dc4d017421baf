"""`cop worker` and the jobs it runs: one round does all the work, a failing job does not stop the
others, and running the round again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from cop.database import utcnow
from cop.extensions import db
from cop.jobs import JOBS, run_round
from cop.mail import OutboxMail, queue_mail
from cop.polls.models import DateOption, DatePoll
from cop.visits.models import MembershipRole
from tests.conftest import Factory
from tests.mailserver import MailServer


def test_one_round_closes_polls_and_sends_the_mail_it_caused(app: Flask, make: Factory) -> None:
    visit = make.visit()
    lead = make.person(email="lead@example.org")
    make.member(visit, lead, MembershipRole.LEAD)
    poll = DatePoll(
        visit_id=visit.id,
        deadline=utcnow() - timedelta(hours=1),
        options=[DateOption(first_day=visit.start_date, last_day=visit.end_date)],
    )
    db.session.add(poll)
    db.session.commit()
    with MailServer() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
        first = run_round()
        server.wait_for(1)
        again = run_round()
    assert first["close-polls"] == {"closed": 1}
    assert again["close-polls"] == {"closed": 0}
    assert again["remind"] == {"queued": 0}
    assert [m["To"] for m in server.messages] == ["lead@example.org"]
    assert db.session.scalar(db.select(OutboxMail.status)) == "sent"


def test_mail_that_cannot_go_out_stays_queued_and_goes_later(app: Flask, make: Factory) -> None:
    from tests.mailserver import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    queue_mail("someone@example.org", "password_reset", "en", link="http://x", user=None)
    db.session.commit()  # tried at once (the tests' queue runs tasks immediately), and failed
    assert db.session.scalar(db.select(OutboxMail.status)) == "failed"
    with MailServer() as server:
        app.config["MAIL_PORT"] = server.port
        # The sweep leaves it until its wait is over, then sends it.
        assert run_round({"send-mail": JOBS["send-mail"]})["send-mail"]["sent"] == 0
        db.session.execute(db.update(OutboxMail).values(next_attempt_at=utcnow()))
        db.session.commit()
        assert run_round({"send-mail": JOBS["send-mail"]})["send-mail"]["sent"] == 1
        assert server.wait_for(1)


def test_a_failing_job_is_reported_and_the_others_still_run(app: Flask) -> None:
    ran = []

    def broken() -> dict[str, int]:
        raise RuntimeError("provider exploded")

    def fine() -> dict[str, int]:
        ran.append(True)
        return {"done": 1}

    results = run_round({"broken": broken, "fine": fine})
    assert results["broken"] == {"error": "RuntimeError: provider exploded"}
    assert results["fine"] == {"done": 1} and ran == [True]


def test_the_worker_command_runs_one_round(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0 and "One round done." in result.output

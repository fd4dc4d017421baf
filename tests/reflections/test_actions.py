"""Actions at home: from a learning point to a change, followed on a timeline, seen by
organisation and by theme, and reminded when due."""

from __future__ import annotations

from datetime import date

from flask import Flask

from cop.actions.models import Action, ActionStatus
from cop.extensions import db
from cop.mail import OutboxMail
from cop.reflections.logic import learning_themes
from cop.reflections.models import Consent, Phase, Reflection, Reminder
from cop.reflections.reminders import add_months, due_reminders, follow_up_due
from tests.conftest import sign_in, visible_text
from tests.mailserver import MailServer
from tests.reflections.conftest import Study


def test_a_learning_point_becomes_an_action_with_a_timeline(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED)
    passage = reflection.passages[0]
    theme = next(
        t for t in learning_themes(db.session, study.programme_id) if t.default_key == "resourcing"
    )
    client = app.test_client()
    sign_in(client, study.users["writer"])
    form = client.get(f"/visits/{study.visit.id}/actions/new?passage={passage.id}")
    assert passage.text in form.get_data(as_text=True)
    created = client.post(
        f"/visits/{study.visit.id}/actions/new?passage={passage.id}",
        data={
            "title": "A named PB officer in each service",
            "owner_id": study.users["writer"].person_id,
            "learning_point": passage.text,
            "theme_id": theme.id,
            "adaptation": "One officer may cover two services.",
            "target_date": "2017-09-30",
            "status": "planned",
        },
    )
    assert created.status_code == 302
    action = db.session.scalar(db.select(Action))
    assert action.passage_id == passage.id
    assert action.organisation.name == "Glasgow City Council"
    updated = client.post(
        created.headers["Location"],
        data={"status": "in_progress", "note": "Agreed by the steering group.", "evidence": ""},
    )
    assert updated.status_code == 302
    colleague = app.test_client()
    sign_in(colleague, study.users["colleague"])
    page = visible_text(colleague.get(created.headers["Location"]).get_data(as_text=True))
    assert "Agreed by the steering group." in page and "status: In progress" in page
    # Colleagues on the visit follow the action but only its owner and the leads change it.
    assert colleague.post(created.headers["Location"], data={"note": "x"}).status_code == 403
    lead = app.test_client()
    sign_in(lead, study.users["lead"])
    edited = lead.post(
        f"/visits/{study.visit.id}/actions/{action.id}/edit",
        data={
            "title": "A named PB officer in each service",
            "owner_id": study.users["writer"].person_id,
            "theme_id": theme.id,
            "status": "done",
        },
    )
    assert edited.status_code == 302
    db.session.expire_all()
    action = db.session.get(Action, action.id)
    assert action.status is ActionStatus.DONE
    assert [u.status for u in action.updates] == [
        ActionStatus.PLANNED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DONE,
    ]


def test_someone_elses_passage_does_not_start_an_action(app: Flask, study: Study) -> None:
    theirs = study.reflection(Consent.NAMED, writer="colleague")
    client = app.test_client()
    sign_in(client, study.users["writer"])
    form = client.get(f"/visits/{study.visit.id}/actions/new?passage={theirs.passages[0].id}")
    assert theirs.passages[0].text not in form.get_data(as_text=True)


def test_actions_are_seen_by_organisation_and_by_theme(app: Flask, study: Study, make) -> None:
    fife = make.organisation(name="Fife Council")
    themes = {t.default_key: t for t in learning_themes(db.session, study.programme_id)}
    other = make.person(name="Fife Officer", organisation_id=fife.id)
    for owner, organisation, title, theme in [
        (
            study.users["writer"].person_id,
            study.users["writer"].person.organisation_id,
            "Toolkit",
            "mainstreaming",
        ),
        (other.id, fife.id, "Do-think-review round", "do_think_review"),
    ]:
        db.session.add(
            Action(
                visit_id=study.visit.id,
                owner_id=owner,
                organisation_id=organisation,
                title=title,
                theme_id=themes[theme].id,
            )
        )
    db.session.commit()
    client = app.test_client()
    sign_in(client, study.users["lead"])
    by_organisation = visible_text(
        client.get(f"/programmes/{study.programme_id}/actions").get_data(as_text=True)
    )
    assert by_organisation.index("Fife Council") < by_organisation.index("Do-think-review round")
    assert by_organisation.index("Glasgow City Council") < by_organisation.index("Toolkit")
    by_theme = visible_text(
        client.get(f"/visits/{study.visit.id}/actions?by=theme").get_data(as_text=True)
    )
    assert "Do-think-review Action Owner" in by_theme
    assert "2 actions: Planned 2 · In progress 0 · Done 0 · Dropped 0" in by_theme


def test_months_are_added_the_way_a_calendar_does() -> None:
    assert add_months(date(2016, 12, 9), 3) == date(2017, 3, 9)
    assert add_months(date(2016, 11, 30), 3) == date(2017, 2, 28)
    assert add_months(date(2016, 12, 9), 12) == date(2017, 12, 9)
    assert follow_up_due(date(2016, 12, 9), Phase.FOLLOW_UP_6) == date(2017, 6, 9)


def test_follow_up_reminders_go_once_to_those_who_have_not_reflected(
    app: Flask, study: Study
) -> None:
    study.visit.status = study.visit.status.DONE
    db.session.commit()
    # The visit ended on 9 December 2016: the 3-month follow-up is due on 9 March 2017.
    assert due_reminders(db.session, date(2017, 3, 8)) == []
    study.reflection(Consent.PRIVATE, writer="colleague", phase=Phase.FOLLOW_UP_3)
    due = due_reminders(db.session, date(2017, 3, 9))
    reminded = {reminder.person_id for reminder in due}
    assert reminded == {study.users["writer"].person_id, study.users["lead"].person_id}
    # Long after, nobody is reminded of a follow-up they missed.
    assert due_reminders(db.session, date(2017, 4, 20)) == []


def test_the_remind_command_mails_each_person_in_their_language_once(
    app: Flask, study: Study
) -> None:
    study.visit.status = study.visit.status.DONE
    study.users["lead"].person.preferred_language = "fr"
    db.session.add(
        Action(
            visit_id=study.visit.id,
            owner_id=study.users["writer"].person_id,
            title="Toolkit",
            target_date=date(2017, 3, 1),
        )
    )
    db.session.commit()
    with MailServer() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
        runner = app.test_cli_runner()
        result = runner.invoke(args=["remind", "--today", "2017-03-09"])
        assert "4 reminders queued." in result.output
        messages = server.wait_for(4)
        again = runner.invoke(args=["remind", "--today", "2017-03-10"])
        assert "0 reminders queued." in again.output
    subjects = sorted(message["Subject"] for message in messages)
    assert any(s.startswith("3 mois plus tard") for s in subjects)
    assert any(s.startswith("3 months on: your reflection") for s in subjects)
    assert any("Toolkit" in s and "target date" in s for s in subjects)
    assert db.session.scalar(db.select(db.func.count(Reminder.id))) == 4
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 4
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 0


def test_a_long_list_of_actions_comes_in_pages_with_the_counts_of_all(
    app: Flask, study: Study
) -> None:
    owner = study.users["writer"].person
    for number in range(7):  # the tests' page holds 5
        db.session.add(
            Action(
                visit_id=study.visit.id,
                owner_id=owner.id,
                organisation_id=owner.organisation_id,
                title=f"Action {number}",
                status=ActionStatus.DONE if number < 2 else ActionStatus.PLANNED,
            )
        )
    db.session.commit()
    client = app.test_client()
    sign_in(client, study.users["lead"])
    first = visible_text(client.get(f"/visits/{study.visit.id}/actions").get_data(as_text=True))
    assert "7 actions: Planned 5 · In progress 0 · Done 2 · Dropped 0" in first
    assert "Page 1 of 2" in first
    second = visible_text(
        client.get(f"/visits/{study.visit.id}/actions?page=2&by=status").get_data(as_text=True)
    )
    assert second.count("Action ") >= 2 and "Page 2 of 2" in second

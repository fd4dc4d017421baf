"""The cop command."""

from __future__ import annotations

from click.testing import CliRunner

from cop.accounts.models import User
from cop.cli import main
from cop.demo import DEMO_SIGN_INS
from cop.directory.models import Organisation, Person
from cop.extensions import db
from cop.generate import SCALES, Scale, generate
from cop.visits.models import Membership, MembershipRole, ProgrammeResearcher, Visit


def test_cop_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "start", "db", "demo", "create-user", "generate", "send-mail"):
        assert f"  {command} " in result.output, command


def test_the_demo_is_the_paris_case_and_loading_it_twice_changes_nothing(app) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "added" in first.output
    counts = [
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (Organisation, Person, Visit, Membership, User)
    ]
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already there" in second.output
    assert counts == [
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (Organisation, Person, Visit, Membership, User)
    ]

    visit = db.session.scalar(db.select(Visit))
    roles = [membership.role for membership in visit.memberships]
    # Three officers and a councillor from Glasgow, three officers from Fife, two researchers.
    assert roles.count(MembershipRole.PARTICIPANT) + roles.count(MembershipRole.LEAD) == 7
    assert roles.count(MembershipRole.RESEARCHER) == 2
    assert roles.count(MembershipRole.INTERPRETER) == 1
    assert (visit.host_city, visit.time_zone, visit.languages) == ("Paris", "Europe/Paris", "en,fr")
    for sign_in in DEMO_SIGN_INS:
        user = db.session.scalar(db.select(User).filter_by(email=sign_in.email))
        assert user.check_password("cop-demo")
        assert user.locale == sign_in.language


def test_create_user_makes_an_account_and_its_person(app) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "Ruth@WWS.example",
            "--name",
            "Ruth Henderson",
            "--researcher",
            "--password",
            "long enough",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="ruth@wws.example"))
    assert user.is_researcher and not user.is_admin
    assert user.person.name == "Ruth Henderson"
    again = app.test_cli_runner().invoke(
        args=["create-user", "ruth@wws.example", "--name", "R", "--password", "long enough"]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = app.test_cli_runner().invoke(
        args=["create-user", "new@wws.example", "--name", "N", "--password", "short"]
    )
    assert short.exit_code != 0 and "at least 8" in short.output


def test_a_researcher_is_created_for_the_programmes_named(app, make) -> None:
    studied, other = make.programme(), make.programme()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "tom@wws.example",
            "--name",
            "Tom Baxter",
            "--researcher",
            "--programme",
            str(studied.id),
            "--password",
            "long enough",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="tom@wws.example"))
    assigned = db.session.scalars(
        db.select(ProgrammeResearcher.programme_id).filter_by(user_id=user.id)
    ).all()
    assert assigned == [studied.id] and other.id not in assigned
    unknown = runner.invoke(
        args=[
            "create-user",
            "x@wws.example",
            "--name",
            "X",
            "--researcher",
            "--programme",
            "999",
            "--password",
            "long enough",
        ]
    )
    assert unknown.exit_code != 0 and "no programme 999" in unknown.output


def test_generated_data_is_the_same_for_the_same_seed(app) -> None:
    tiny = Scale(
        organisations=3, people=10, programmes=2, visits=4, members_per_visit=3, items_per_visit=5
    )
    first = generate(db.session, tiny, seed=7)
    names = list(db.session.scalars(db.select(Person.name).order_by(Person.id)))
    db.session.rollback()
    second = generate(db.session, tiny, seed=7)
    assert (
        first
        == second
        == {
            "organisations": 3,
            "people": 10,
            "programmes": 2,
            "visits": 4,
            "memberships": 12,
            "itinerary items": 20,
            "contacts": 0,
            # An after-visit reflection per participant and lead, an action per lead.
            "reflections": 10,
            "actions": 4,
        }
    )
    assert names == list(db.session.scalars(db.select(Person.name).order_by(Person.id)))


def test_the_national_scale_matches_the_brief() -> None:
    national = SCALES["national"]
    assert (national.people, national.organisations, national.visits) == (5000, 300, 400)


def test_generate_command_adds_the_small_scale(app) -> None:
    result = app.test_cli_runner().invoke(args=["generate", "--scale", "small"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count(Person.id))) == SCALES["small"].people


def test_create_user_can_make_an_organiser(app) -> None:
    from cop.accounts.models import User

    result = app.test_cli_runner().invoke(
        args=["create-user", "aileen@fife.example", "--name", "Aileen", "--organiser"]
        + ["--password", "long enough"]
    )
    assert result.exit_code == 0 and "(organiser)" in result.output
    user = db.session.scalar(db.select(User).filter_by(email="aileen@fife.example"))
    assert user.is_organiser and not user.is_admin


def test_import_rates_fills_the_table_and_refuses_other_files(app, tmp_path) -> None:
    from tests.planning.test_rates import HISTORY

    rates_file, other = tmp_path / "eurofxref-hist.csv", tmp_path / "notes.txt"
    rates_file.write_bytes(HISTORY)
    other.write_bytes(b"Dear Ruth,\n")
    runner = app.test_cli_runner()

    imported = runner.invoke(args=["import-rates", str(rates_file)])
    refused = runner.invoke(args=["import-rates", str(other)])

    assert imported.exit_code == 0
    assert "9 rates added, 0 corrected, 0 waiting costs given their rate" in imported.output
    assert refused.exit_code != 0 and "is not a reference-rate file" in refused.output


def test_cop_start_on_another_port_mails_links_to_that_port(monkeypatch) -> None:
    from cop.cli import base_url_on_port

    monkeypatch.delenv("COP_BASE_URL", raising=False)
    assert base_url_on_port("http://127.0.0.1:5000", 8080) == "http://127.0.0.1:8080"
    # An address the installation named stays as it is.
    assert base_url_on_port("https://cop.fife.example", 8080) == "https://cop.fife.example"
    monkeypatch.setenv("COP_BASE_URL", "http://127.0.0.1:5000")
    assert base_url_on_port("http://127.0.0.1:5000", 8080) == "http://127.0.0.1:5000"

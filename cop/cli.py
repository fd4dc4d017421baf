"""The ``cop`` command: Flask's own commands plus the ones that run and fill cop."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import inspect, select
from werkzeug.serving import run_simple

from cop.config import Defaults
from cop.extensions import db


def _create_app() -> Flask:
    from cop import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """cop: plan international study visits and show whether a community of practice forms."""


def database_is_new() -> bool:
    return "alembic_version" not in inspect(db.engine).get_table_names()


def upgrade_database() -> bool:
    """Bring the schema up to date; returns whether the database was new."""
    new = database_is_new()
    upgrade(directory=str(Path(current_app.root_path).parent / "migrations"))
    return new


def print_demo_sign_ins() -> None:
    from cop.demo import DEMO_PASSWORD, DEMO_SIGN_INS

    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for sign_in in DEMO_SIGN_INS:
        click.echo(f"  {sign_in.email:<28} {sign_in.role}")


def refuse_in_production(what: str) -> None:
    """Demo and synthetic data carry known passwords and invented people: never in production."""
    if current_app.config["ENV"] == "production":
        raise click.ClickException(
            f"{what} is not added in production: its accounts have published passwords."
        )


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Add the Paris study visit as demo data (does nothing if it is already there)."""
    from cop.demo import load_demo

    refuse_in_production("The demo data")
    if load_demo(db.session):
        db.session.commit()
        click.echo("Demo data of the Paris study visit added.")
    else:
        click.echo("The demo data is already there.")
    print_demo_sign_ins()


def base_url_on_port(base_url: str, port: int) -> str:
    """Mailed links point at the port cop serves on, unless COP_BASE_URL named the address."""
    if base_url.rstrip("/") == Defaults.BASE_URL and "COP_BASE_URL" not in os.environ:
        return f"http://127.0.0.1:{port}"
    return base_url


@click.command("start")
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def start_command(port: int) -> None:
    """Upgrade the database, add the demo to a new one, and serve on http://127.0.0.1 with a
    worker beside the server."""
    from cop.demo import load_demo
    from cop.queue import queue_url, start_worker_process, stop_worker_process

    refuse_in_production("The demo data")
    if upgrade_database() and load_demo(db.session):
        db.session.commit()
        click.echo("New database: demo data of the Paris study visit added.")
    click.echo(f"Database: {db.engine.url.render_as_string(hide_password=True)}")
    print_demo_sign_ins()
    click.echo(f"cop is running on http://127.0.0.1:{port}/ (press Ctrl+C to stop)")
    # Flask refuses app.run() inside its own CLI, so serve through Werkzeug directly.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    app.config["BASE_URL"] = base_url_on_port(app.config["BASE_URL"], port)
    # The queue's worker beside the server: mail leaves without any request waiting on it.
    worker = start_worker_process(app, db.engine.url.render_as_string(hide_password=False))
    if worker is not None:
        click.echo(
            f"A worker sends mail and does the background work beside it ({queue_url(app)})."
        )
    try:
        run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False, use_debugger=False)
    finally:
        stop_worker_process(worker)


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--admin/--no-admin", default=False, help="Administrator of the installation.")
@click.option("--organiser/--no-organiser", default=False, help="May start programmes and visits.")
@click.option("--researcher/--no-researcher", default=False, help="A researcher of programmes.")
@click.option(
    "--programme",
    "programme_ids",
    type=int,
    multiple=True,
    help="A programme the researcher studies (repeat for several); they read no other.",
)
@click.option("--language", type=click.Choice(["en", "fr"]), default="en")
@click.option("--password", envvar="COP_NEW_USER_PASSWORD", help="Asked for when not given.")
@with_appcontext
def create_user_command(
    email: str,
    name: str,
    admin: bool,
    organiser: bool,
    researcher: bool,
    programme_ids: tuple[int, ...],
    language: str,
    password: str | None,
) -> None:
    """Create an account (and its person in the directory)."""
    from cop.accounts.models import User
    from cop.accounts.passwords import MINIMUM_PASSWORD_LENGTH, normalise_email
    from cop.directory.models import Person
    from cop.visits.models import Programme, ProgrammeResearcher

    if programme_ids and not researcher:
        raise click.UsageError("--programme goes with --researcher.")
    missing = [pid for pid in programme_ids if db.session.get(Programme, pid) is None]
    if missing:
        raise click.UsageError(f"There is no programme {', '.join(map(str, missing))}.")
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise click.UsageError(f"An account for {email} already exists.")
    if password is None:
        password = getpass.getpass("Password: ")
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise click.UsageError(
            f"The password must be at least {MINIMUM_PASSWORD_LENGTH} characters."
        )
    person = db.session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(name=name, email=email, preferred_language=language)
        db.session.add(person)
    user = User(
        email=email,
        is_admin=admin,
        is_organiser=organiser,
        is_researcher=researcher,
        locale=language,
        person=person,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    for programme_id in programme_ids:
        db.session.add(ProgrammeResearcher(programme_id=programme_id, user_id=user.id))
    db.session.commit()
    held_roles = (("admin", admin), ("organiser", organiser), ("researcher", researcher))
    roles = [role for role, held in held_roles if held]
    click.echo(f"Created {email}" + (f" ({', '.join(roles)})" if roles else "") + ".")


@click.command("generate")
@click.option(
    "--scale", type=click.Choice(["small", "national"]), default="small", show_default=True
)
@click.option("--seed", default=2016, show_default=True, help="The same seed gives the same data.")
@with_appcontext
def generate_command(scale: str, seed: int) -> None:
    """Add synthetic data (small, or national: about 5,000 people in 300 organisations)."""
    from cop.generate import SCALES, generate

    refuse_in_production("Synthetic data")
    counts = generate(db.session, SCALES[scale], seed=seed)
    db.session.commit()
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()) + " added.")


@click.command("send-mail")
@with_appcontext
def send_mail_command() -> None:
    """Send every queued mail, and retry the ones that failed whose wait is over."""
    from cop.database import utcnow
    from cop.jobs import send_mail
    from cop.mail import waiting_for_retry

    outcome = send_mail()
    click.echo(
        f"{outcome['sent']} sent, {outcome['failed']} failed, {outcome['queued']} still queued, "
        f"{waiting_for_retry(db.session, utcnow())} waiting for their next attempt."
    )


@click.command("close-polls")
@with_appcontext
def close_polls_command() -> None:
    """Close date polls whose deadline has passed and tell their leads."""
    from cop.jobs import close_polls

    click.echo(f"{close_polls()['closed']} polls closed.")


@click.command("remind")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if it were this day (YYYY-MM-DD); for trying it on old data.",
)
@with_appcontext
def remind_command(today) -> None:
    """Mail follow-up reflections that are due (3, 6, 12 months after a visit) and actions whose
    target date has come; each reminder is sent once."""
    from cop.jobs import remind

    click.echo(f"{remind(today.date() if today else None)['queued']} reminders queued.")


@click.command("translate-pending")
@with_appcontext
def translate_pending_command() -> None:
    """Try again the translations that are waiting (a provider was down, slow or refusing)."""
    from cop.jobs import translate_pending

    outcome = translate_pending()
    click.echo(f"{outcome['translated']} translated, {outcome['waiting']} still waiting.")


@click.command("import-rates")
@click.argument("rate_file", type=click.File("rb"))
@with_appcontext
def import_rates_command(rate_file) -> None:
    """Import the European Central Bank's reference rates (eurofxref.csv or eurofxref-hist.csv,
    zipped or not) into the exchange-rate table; for a daily cron after the bank publishes."""
    from cop.planning.rates import RateFileError, import_reference_file

    try:
        imported = import_reference_file(db.session, rate_file.read())
    except RateFileError as refusal:
        message = f"{rate_file.name} is not a reference-rate file ({refusal})."
        raise click.ClickException(message) from refusal
    db.session.commit()
    click.echo(
        f"{imported.added} rates added, {imported.changed} corrected, "
        f"{imported.given} waiting costs given their rate, "
        f"{len(imported.unreadable)} values left out."
    )
    for value in imported.unreadable:
        click.echo(f"left out: {value}", err=True)


def _current_revision() -> str | None:
    from sqlalchemy import text

    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


@click.command("backup")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Where to write the archive (default: cop-backup-<date>.zip here).",
)
@with_appcontext
def backup_command(output: str | None) -> None:
    """Write every table and every stored file to one portable archive."""
    from pathlib import Path

    from cop.backup import write_backup
    from cop.database import utcnow

    target = Path(output or f"cop-backup-{utcnow():%Y%m%d-%H%M%S}.zip")
    with db.engine.connect() as connection:
        counts = write_backup(
            connection,
            db.metadata.sorted_tables,
            _current_revision(),
            Path(current_app.instance_path),
            target,
        )
    click.echo(f"{sum(counts.values())} rows from {len(counts)} tables written to {target}.")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore_command(archive: str) -> None:
    """Bring a backup back into an empty database (SQLite or PostgreSQL)."""
    from pathlib import Path

    from cop.backup import BackupError, restore_backup

    upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    revision = _current_revision()
    db.session.remove()
    try:
        with db.engine.begin() as connection:
            counts = restore_backup(
                connection,
                db.metadata.sorted_tables,
                revision,
                Path(current_app.instance_path),
                Path(archive),
            )
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{sum(counts.values())} rows restored into {len(counts)} tables.")
    from cop.privacy.logic import compact_database, reapply_erasures
    from cop.pseudonyms import pseudonym

    secret = current_app.config["SECRET_KEY"]
    again = reapply_erasures(
        db.session, Path(current_app.instance_path), lambda pid: pseudonym(secret, pid)
    )
    db.session.commit()
    if again:
        compact_database(db.engine)
        click.echo(f"{len(again)} people erased since the backup was made were erased again.")


@click.command("retention")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if it were this day (YYYY-MM-DD).",
)
@with_appcontext
def retention_command(today) -> None:
    """Remove personal data of visits that ended longer ago than COP_RETENTION_YEARS."""
    from cop.jobs import apply_retention

    if not current_app.config.get("RETENTION_YEARS"):
        raise click.ClickException("COP_RETENTION_YEARS is not set: nothing is removed.")
    removed = apply_retention(today.date() if today else None)
    click.echo(
        f"{removed['people']} people erased, {removed['post_checks']} post checks and "
        f"{removed['messages']} message texts removed."
    )


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every job once and stop (for cron or a check).")
@click.option("--threads", type=int, default=None, help="Tasks run at once (COP_WORKER_THREADS).")
@with_appcontext
def worker_command(once: bool, threads: int | None) -> None:
    """Run the queue's tasks (mail) and its schedule (the mail sweep, translation retries,
    closing polls, reminders, retention) until stopped. Several workers may run at once."""
    from cop.jobs import run_round
    from cop.queue import QueueRefused, run_worker

    if once:
        run_round()
        click.echo("One round done.")
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        run_worker(app, threads or app.config["WORKER_THREADS"])
    except QueueRefused as refused:
        raise click.ClickException(str(refused)) from refused


@click.group("network")
def network_group() -> None:
    """Contacts and the community-of-practice network."""


@network_group.command("import")
@click.argument("csv_file", type=click.File("rb"))
@click.option(
    "--programme", "programme_id", type=int, required=True, help="The programme they belong to."
)
@click.option("--create-people", is_flag=True, help="Add people not yet in the directory.")
@with_appcontext
def network_import(csv_file, programme_id: int, create_people: bool) -> None:
    """Import contacts of one programme from a CSV file (nothing is imported if any row is
    wrong, or names someone of another programme)."""
    from cop.database import latest_today
    from cop.network.importing import contacts_for_programme, save_contacts

    _check_scope(programme_id, None)
    text = csv_file.read().decode("utf-8-sig", errors="replace")
    rows, known, problems = contacts_for_programme(
        db.session, text, programme_id, create_people, latest_today()
    )
    if problems:
        for problem in problems:
            click.echo(f"line {problem.line}: {problem.reason} {problem.value}".rstrip(), err=True)
        raise click.ClickException(f"{len(problems)} problems; nothing imported.")
    added = save_contacts(db.session, rows, known, logged_by_id=None)
    db.session.commit()
    click.echo(f"{added} contacts imported.")


def _check_scope(programme_id: int, visit_id: int | None) -> None:
    """Refuse, with a message and a non-zero exit, a programme or visit that is not there: an
    empty report of a mistyped number would read as a network that did not form."""
    from cop.visits.models import Programme, Visit

    if db.session.get(Programme, programme_id) is None:
        raise click.ClickException(f"There is no programme {programme_id}.")
    if visit_id is not None:
        visit = db.session.get(Visit, visit_id)
        if visit is None or visit.programme_id != programme_id:
            raise click.ClickException(f"Programme {programme_id} has no visit {visit_id}.")


def _scope_options(command):
    command = click.option("--programme", "programme_id", type=int, required=True)(command)
    command = click.option("--visit", "visit_id", type=int, help="Windows around this visit.")(
        command
    )
    command = click.option(
        "--ties",
        multiple=True,
        type=click.Choice(["logged", "imported", "survey", "correspondence", "co_attendance"]),
        help="Kinds of ties (default: logged, imported and survey).",
    )(command)
    command = click.option(
        "--organisation",
        "organisation_ids",
        multiple=True,
        type=int,
        help="Only people of these organisations (ids).",
    )(command)
    command = click.option(
        "--only-visit-people", is_flag=True, help="Only the people of the visit windowed around."
    )(command)
    return command


@network_group.command("metrics")
@_scope_options
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@with_appcontext
def network_metrics(
    programme_id: int,
    visit_id: int | None,
    ties,
    organisation_ids,
    only_visit_people: bool,
    as_json: bool,
) -> None:
    """Measures before and after a visit, and the verdict."""
    from cop.network.loading import DEFAULT_SOURCES
    from cop.network.report import analyse
    from cop.pseudonyms import pseudonym

    _check_scope(programme_id, visit_id)
    secret = current_app.config["SECRET_KEY"]
    report = analyse(
        db.session,
        programme_id,
        visit_id,
        tuple(ties) or DEFAULT_SOURCES,
        label=lambda person_id: pseudonym(secret, person_id),
        only_visit_people=only_visit_people,
        organisation_ids=tuple(organisation_ids),
    )
    if as_json:
        click.echo(report.as_json())
        return
    click.echo(f"conclusion: {report.conclusion}")
    for indicator in report.indicators:
        click.echo(
            f"{indicator.key:<36} {indicator.before!s:>10} -> {indicator.after!s:<10} "
            f"{indicator.direction:<8} evidence: {indicator.evidence}"
        )


@network_group.command("export")
@_scope_options
@click.option(
    "--format",
    "kind",
    type=click.Choice(["graphml", "gexf", "json", "nodes.csv", "edges.csv"]),
    default="graphml",
    show_default=True,
)
@click.option("--window", type=click.Choice(["before", "after", "all"]), default="all")
@click.option(
    "--output", type=click.File("w"), default="-", help="File to write (default: stdout)."
)
@with_appcontext
def network_export(
    programme_id, visit_id, ties, organisation_ids, only_visit_people, kind, window, output
) -> None:
    """Write the pseudonymised network for other tools."""
    from cop.network import export
    from cop.network.analysis import build_graph
    from cop.network.loading import DEFAULT_SOURCES, load_scope, windows_around
    from cop.network.report import graph_in
    from cop.pseudonyms import pseudonym

    _check_scope(programme_id, visit_id)
    windows = windows_around(db.session, programme_id, visit_id)
    scope = load_scope(
        db.session,
        programme_id,
        tuple(ties) or DEFAULT_SOURCES,
        only_visit_id=windows.visit_id if (only_visit_people and windows) else None,
        organisation_ids=tuple(organisation_ids),
    )
    if window != "all" and windows is None:
        raise click.ClickException("The programme has no visit with dates to window around.")
    graph = (
        graph_in(scope, *getattr(windows, window))
        if window != "all"
        else build_graph(scope.people, scope.ties)
    )
    secret = current_app.config["SECRET_KEY"]
    output.write(
        export.render(export.pseudonymised(graph, lambda pid: pseudonym(secret, pid)), kind)
    )


def register_commands(app: Flask) -> None:
    for command in (
        translate_pending_command,
        network_group,
        close_polls_command,
        remind_command,
        worker_command,
        backup_command,
        retention_command,
        restore_command,
        demo_command,
        start_command,
        create_user_command,
        generate_command,
        send_mail_command,
        import_rates_command,
    ):
        app.cli.add_command(command)

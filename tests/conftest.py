"""Fixtures: one database per test run (SQLite, or PostgreSQL when COP_DATABASE_URL names
it), built by the migrations, emptied before every test; and factories for what tests need."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Engine, MetaData, create_engine, event, make_url, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from cop import PROJECT_ROOT, create_app
from cop.accounts.models import User
from cop.database import utcnow
from cop.directory.models import Organisation, OrganisationKind, Person
from cop.extensions import db
from cop.interpreting.models import Booking, BookingStatus, Interpreter, LanguagePair, Mode
from cop.itinerary.logic import to_utc
from cop.itinerary.models import ItineraryItem
from cop.reflections.models import Consent, Passage, Phase, Reflection
from cop.visits.logic import start_programme, start_visit
from cop.visits.models import Membership, MembershipRole, Programme, Visit, VisitStatus

PASSWORD = "correct horse battery"
TEST_HASH_METHOD = "scrypt:256:8:1"


# The xdist worker running this process ("gw0", "gw1", ...), or "" when pytest runs alone.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_number() -> int:
    return int(WORKER[2:]) + 1 if WORKER.startswith("gw") else 0


def redis_url(database: int | None = None) -> str:
    """Redis for the tests that need it: each worker its own database index, so that rate-limit
    counters of one worker's tests never meet another's."""
    return f"redis://127.0.0.1:6379/{worker_number() if database is None else database}"


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("COP_DATABASE_URL")
    if url:
        if url.startswith("postgres"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return _worker_database(url) if WORKER else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'cop-test.sqlite'}"


def _worker_database(url: str) -> str:
    """A PostgreSQL database of this worker's own beside the one named (created if missing)."""
    base = make_url(url)
    own = f"{base.database}_{WORKER}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{own}"'))
    engine.dispose()
    return base.set(database=own).render_as_string(hide_password=False)


def _drop_everything(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = _database_url(tmp_path_factory)
    _drop_everything(url)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        }
    )
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        db.engine.dispose()
    yield url
    if WORKER and url.startswith("postgresql"):
        _drop_worker_database(url)


def _drop_worker_database(url: str) -> None:
    own = make_url(url)
    engine = create_engine(own.set(database=own.database.rsplit("_", 1)[0]))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def plain_engine() -> Iterator[Engine]:
    """An in-memory SQLite database made from the models, with no Flask app: for the logic
    modules, which take a session and must not need one."""
    import cop.models  # noqa: F401 - every table in the metadata

    engine = create_engine("sqlite://", poolclass=StaticPool)

    # pysqlite's own transaction handling breaks savepoints; let SQLAlchemy emit BEGIN itself
    # (the recipe of SQLAlchemy's SQLite dialect notes), so each test's work can be rolled back.
    @event.listens_for(engine, "connect")
    def no_driver_transactions(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    db.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(plain_engine: Engine) -> Iterator[Session]:
    """A plain SQLAlchemy session whose work is rolled back after the test (commits included:
    they end a savepoint, not the outer transaction)."""
    with plain_engine.connect() as connection:
        outer = connection.begin()
        with Session(connection, join_transaction_mode="create_savepoint") as plain:
            yield plain
        outer.rollback()


@pytest.fixture
def libre() -> Iterator[Any]:
    """The local server speaking the LibreTranslate API (tests/libretranslate.py), reached
    through deep-translator's own LibreTranslator; a module points its app at it in
    config_overrides."""
    from tests.libretranslate import LibreTranslateServer

    with LibreTranslateServer() as server:
        yield server


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture
def app(database_url: str, tmp_path: Path, config_overrides: dict[str, Any]) -> Iterator[Flask]:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "MAIL_WRITE_TO_FOLDER": False,
        "RATELIMIT_ENABLED": False,
        "PAGE_SIZE": 5,
        # scrypt at a tiny cost (n=256 instead of 32768): the same algorithm, about a hundredth
        # of the time per hash.
        "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
    }
    settings.update(config_overrides)
    application = create_app(settings)

    # The test keeps one app context open (factories need it), and requests then share its `g`.
    # A real server gives each request a fresh one, so forget what earlier requests left there
    # (the signed-in user, the chosen language, a link's language, ...).
    @application.before_request
    def forget_previous_requests_globals() -> None:
        for name in list(vars(g)):
            delattr(g, name)

    application.before_request_funcs[None].insert(0, application.before_request_funcs[None].pop())
    with application.app_context():
        _empty_all_tables()
        yield application
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - names from metadata


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Factory:
    """Makes the objects tests need, with sensible defaults, committed to the database."""

    # One sequence for the whole run, so that names and emails never collide between factories.
    _sequence = itertools.count(1)

    def __init__(self, session: Session | None = None) -> None:
        # The app's session by default; a plain one for logic tests that need no app.
        self.session = session if session is not None else db.session

    def _next(self) -> int:
        return next(self._sequence)

    def organisation(self, **fields: Any) -> Organisation:
        number = self._next()
        values = {
            "name": f"Organisation {number}",
            "kind": OrganisationKind.COUNCIL,
            "city": "Glasgow",
            "country": "GB",
            "subdivision": "SCT",
            "language": "en",
            "time_zone": "Europe/London",
        }
        values.update(fields)
        organisation = Organisation(**values)
        self.session.add(organisation)
        self.session.commit()
        return organisation

    def person(self, **fields: Any) -> Person:
        number = self._next()
        values = {"name": f"Person {number}", "email": f"person{number}@example.org"}
        values.update(fields)
        person = Person(**values)
        self.session.add(person)
        self.session.commit()
        return person

    def user(
        self,
        email: str | None = None,
        *,
        admin: bool = False,
        researcher: bool = False,
        locale: str | None = None,
        person: Person | None = None,
        with_person: bool = True,
    ) -> User:
        number = self._next()
        email = email or f"user{number}@example.org"
        if person is None and with_person:
            person = self.person(name=f"User {number}", email=email)
        user = User(
            email=email, is_admin=admin, is_researcher=researcher, locale=locale, person=person
        )
        user.set_password(PASSWORD)
        self.session.add(user)
        self.session.commit()
        return user

    def programme(self, **fields: Any) -> Programme:
        values = {"name": f"Programme {self._next()}", "reporting_currency": "GBP"}
        values.update(fields)
        programme = start_programme(self.session, Programme(**values))
        self.session.commit()
        return programme

    def visit(self, **fields: Any) -> Visit:
        values = {
            "title": f"Study visit {self._next()}",
            "host_city": "Paris",
            "host_country": "FR",
            "start_date": date(2016, 12, 8),
            "end_date": date(2016, 12, 9),
            "time_zone": "Europe/Paris",
            "languages": "en,fr",
            "status": VisitStatus.PLANNING,
        }
        values.update(fields)
        # As the web creates one (its guide and protocol given), without a lead.
        visit = start_visit(self.session, Visit(**values), None, "")
        self.session.commit()
        return visit

    def item(self, visit: Visit, **fields: Any) -> ItineraryItem:
        """An itinerary item; ``day``, ``start`` and ``end`` are wall-clock values in the visit's
        zone (default 8 December 2016, 10:00-11:00)."""
        day = fields.pop("day", date(2016, 12, 8))
        start = fields.pop("start", time(10, 0))
        end = fields.pop("end", time(11, 0))
        values = {
            "title": f"Meeting {self._next()}",
            "starts_at": to_utc(day, start, visit.time_zone),
            "ends_at": to_utc(day, end, visit.time_zone),
            "time_zone": visit.time_zone,
            "language": "fr",
        }
        values.update(fields)
        item = ItineraryItem(visit_id=visit.id, **values)
        self.session.add(item)
        self.session.commit()
        return item

    def member(
        self, visit: Visit, person: Person, role: MembershipRole = MembershipRole.PARTICIPANT
    ) -> Membership:
        membership = Membership(visit=visit, person=person, role=role, selection_reason="Test")
        self.session.add(membership)
        self.session.commit()
        return membership

    def reflection(
        self,
        visit: Visit,
        person: Person,
        consent: Consent = Consent.PSEUDONYMISED,
        *,
        phase: Phase = Phase.AFTER,
        submitted: bool = True,
        texts: tuple[str, ...] = ("Paris has a named PB officer in every department.",),
    ) -> Reflection:
        """A written reflection, one passage per text, submitted unless told otherwise."""
        reflection = Reflection(
            visit_id=visit.id,
            person_id=person.id,
            phase=phase,
            consent=consent,
            submitted_at=utcnow() if submitted else None,
            passages=[
                Passage(position=i, question_text="What did you learn?", text=text)
                for i, text in enumerate(texts)
            ],
        )
        self.session.add(reflection)
        self.session.commit()
        return reflection

    def interpreter(self, person: Person | None = None, **fields: Any) -> Interpreter:
        """An interpreter French<>English, consecutive, at EUR 600 a day and 350 a half day."""
        pairs = fields.pop("pairs", [("fr", "en"), ("en", "fr")])
        values = {
            "modes": [Mode.CONSECUTIVE],
            "day_rate": Decimal("600"),
            "half_day_rate": Decimal("350"),
            "currency": "EUR",
        }
        values.update(fields)
        interpreter = Interpreter(
            person=person or self.person(preferred_language="fr"),
            pairs=[LanguagePair(source=s, target=t) for s, t in pairs],
            **values,
        )
        self.session.add(interpreter)
        self.session.commit()
        return interpreter

    def booking(
        self,
        interpreter: Interpreter,
        item: ItineraryItem,
        status: BookingStatus = BookingStatus.REQUESTED,
        **fields: Any,
    ) -> Booking:
        values = {"mode": Mode.CONSECUTIVE, "estimate": Decimal("350"), "currency": "EUR"}
        values.update(fields)
        booking = Booking(interpreter=interpreter, item=item, status=status, **values)
        self.session.add(booking)
        self.session.commit()
        return booking


@pytest.fixture
def build(session: Session) -> Factory:
    """The factories on a plain session (no app)."""
    return Factory(session)


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory()


def sign_in(client: FlaskClient, user: User | str, password: str = PASSWORD) -> Any:
    email = user if isinstance(user, str) else user.email
    return client.post("/sign-in", data={"email": email, "password": password})


def visible_text(html: str) -> str:
    """The text a reader sees: tags, scripts and styles removed, white space folded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())

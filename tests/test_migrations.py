"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cop.extensions import db


def test_models_and_migrations_agree(app) -> None:
    # The test database was built by running the migrations (see conftest.database_url).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run: cop db migrate -m '...' and commit the new revision"


def test_the_database_refuses_what_the_models_forbid(app, make) -> None:
    from datetime import UTC, date, datetime

    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError, StatementError

    from cop.visits.models import Visit

    visit = make.visit()
    visit.end_date = date(2016, 12, 1)  # before the first day
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises((IntegrityError, StatementError)):
        db.session.execute(
            db.insert(Visit).values(
                title="x", host_country="FR", time_zone="UTC", languages="en", status="lost"
            )
        )
    db.session.rollback()
    # Below the ORM too: the outbox takes only the statuses it knows.
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO outbox_mail (recipient, subject, body_text, language, message_id,"
                " status, attempts, last_error, created_at)"
                " VALUES ('a@example.org', 's', 'b', 'en', '<m@x>', 'lost', 0, '', :now)"
            ),
            {"now": datetime.now(UTC).replace(tzinfo=None)},
        )


def test_visits_and_programmes_made_before_defaults_get_theirs_on_upgrade(
    tmp_path, database_url
) -> None:
    """A database from before seeding moved to creation: its visit gains the guide and protocol,
    its programme the codebook, when the migration runs; reading a page then creates nothing."""
    from datetime import UTC, datetime

    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from cop import PROJECT_ROOT, create_app
    from cop.reflections.models import GuideQuestion
    from cop.research.models import Code
    from cop.social.models import SocialProtocol
    from cop.visits.models import Visit, VisitStatus

    old = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    migrations = str(PROJECT_ROOT / "migrations")
    with old.app_context():
        upgrade(directory=migrations, revision="59a47761c08d")
        now = datetime.now(UTC)
        with db.engine.begin() as connection:
            # Written as SQL of that time: today's table has columns the old one lacks.
            connection.execute(
                text(
                    "INSERT INTO programme (id, name, description, reporting_currency, created_at)"
                    " VALUES (7, 'Before', '', 'GBP', :now)"
                ),
                {"now": now.replace(tzinfo=None)},
            )
            connection.execute(
                text(
                    "INSERT INTO visit (id, title, objective, host_city, host_country, time_zone,"
                    " languages, status, created_at, programme_id) VALUES (3, 'Old visit', '',"
                    " 'Paris', 'FR', 'Europe/Paris', 'en,fr', :status, :now, 7)"
                ),
                {"status": VisitStatus.PLANNING.value, "now": now.replace(tzinfo=None)},
            )
        upgrade(directory=migrations)
        count = db.session.scalar
        assert count(select(func.count()).where(GuideQuestion.visit_id == 3)) == 26
        assert count(select(func.count()).where(SocialProtocol.visit_id == 3)) == 1
        assert count(select(func.count()).where(Code.programme_id == 7)) == 28
        assert count(select(func.count()).where(Code.parent_id.is_(None))) == 4
        assert db.session.get(Visit, 3).programme_id == 7
        db.engine.dispose()

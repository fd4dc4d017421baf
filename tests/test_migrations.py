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
    from datetime import date

    import pytest
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

"""Signing in holds: signing out ends the session on the server, an unknown address costs as much
as a wrong password, the attempt limit holds across several app servers, and production refuses
what would weaken any of this."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pytest
import redis
from flask import Flask

from cop import create_app
from cop.accounts import passwords
from cop.accounts.models import SignInSession
from cop.config import ConfigurationError
from cop.database import utcnow
from cop.extensions import db
from cop.jobs import JOBS
from tests.conftest import Factory, redis_url, sign_in

REDIS = redis_url()


def session_cookie(client: Any) -> str:
    return client.get_cookie("session").value


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(
    app: Flask, make: Factory
) -> None:
    user = make.user()
    browser = app.test_client()
    sign_in(browser, user)
    copy = app.test_client()
    copy.set_cookie("session", session_cookie(browser))
    assert copy.get("/people").status_code == 200
    browser.post("/sign-out")
    refused = copy.get("/people")
    assert refused.status_code == 302 and "/sign-in" in refused.headers["Location"]
    assert db.session.scalar(db.select(SignInSession.ended_at)) is not None


def test_signing_out_in_one_browser_leaves_the_others_signed_in(app: Flask, make: Factory) -> None:
    user = make.user()
    office, phone = app.test_client(), app.test_client()
    sign_in(office, user)
    sign_in(phone, user)
    office.post("/sign-out")
    assert phone.get("/people").status_code == 200


def test_changing_the_password_ends_the_other_sessions(app: Flask, make: Factory) -> None:
    user = make.user()
    office, phone = app.test_client(), app.test_client()
    sign_in(office, user)
    sign_in(phone, user)
    changed = office.post(
        "/account/password",
        data={
            "current_password": "correct horse battery",
            "new_password": "a new long passphrase",
            "confirm_password": "a new long passphrase",
        },
    )
    assert changed.status_code == 302
    assert office.get("/people").status_code == 200
    assert phone.get("/people").status_code == 302


def test_an_unknown_address_costs_a_password_check_like_a_known_one(
    app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    make.user("morag@glasgow.example")
    checks = []
    real = passwords.check_password_hash

    def counted(stored: str, password: str) -> bool:
        checks.append(stored.split(":", 1)[0])
        return real(stored, password)

    monkeypatch.setattr(passwords, "check_password_hash", counted)
    client = app.test_client()
    client.post("/sign-in", data={"email": "morag@glasgow.example", "password": "wrong"})
    client.post("/sign-in", data={"email": "nobody@glasgow.example", "password": "wrong"})
    # Both ran one scrypt check: the time does not tell who has an account.
    assert checks == ["scrypt", "scrypt"]


def production_settings(tmp_path: Any, **changes: Any) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://cop@127.0.0.1:1/cop",
        "ENV": "production",
        "SECRET_KEY": "x" * 32,
        "MAIL_SERVER": "smtp.council.example",
        "BASE_URL": "https://cop.council.example",
        "RATELIMIT_STORAGE_URI": REDIS,
        "QUEUE_URL": REDIS,
        "INSTANCE_PATH": str(tmp_path),
        **changes,
    }


def test_production_refuses_a_limit_each_worker_counts_alone(tmp_path) -> None:
    with pytest.raises(ConfigurationError, match="COP_RATELIMIT_STORAGE_URI"):
        create_app(production_settings(tmp_path, RATELIMIT_STORAGE_URI="memory://"))


def test_production_refuses_a_queue_only_one_machine_reaches(tmp_path) -> None:
    queue = f"sqlite:///{tmp_path / 'queue.sqlite'}"
    with pytest.raises(ConfigurationError, match="COP_QUEUE_URL must name the Redis"):
        create_app(production_settings(tmp_path, QUEUE_URL=queue))


def test_the_demo_and_synthetic_data_are_refused_in_production(tmp_path) -> None:
    runner = create_app(production_settings(tmp_path)).test_cli_runner()
    for command in (["demo"], ["generate"]):
        result = runner.invoke(args=command)
        assert result.exit_code != 0
        assert "not added in production" in result.output


def test_the_attempt_limit_holds_across_app_servers(
    database_url: str, make: Factory, app: Flask, tmp_path
) -> None:
    """Four gunicorn workers are four processes: each app here stands for one, sharing Redis."""
    connection = redis.Redis.from_url(REDIS)
    connection.ping()  # .ci/run starts Redis; the tests need it
    make.user("morag@glasgow.example")
    prefix = f"cop-test-{secrets.token_hex(4)}"
    workers = [
        create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "test-secret-key",
                "INSTANCE_PATH": str(tmp_path / f"worker{number}"),
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": REDIS,
                "RATELIMIT_KEY_PREFIX": prefix,
                "LOGIN_RATE_LIMIT": "3 per minute",
            }
        )
        for number in range(4)
    ]
    try:
        statuses = [
            workers[attempt % 4]
            .test_client()
            .post("/sign-in", data={"email": "morag@glasgow.example", "password": "guess"})
            .status_code
            for attempt in range(5)
        ]
    finally:
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)
        for worker in workers:
            with worker.app_context():
                db.engine.dispose()
    assert statuses == [401, 401, 401, 429, 429]


def test_the_worker_forgets_sessions_that_ended_or_outlived_a_working_day(
    app: Flask, make: Factory
) -> None:
    user = make.user()
    ended, old, current = app.test_client(), app.test_client(), app.test_client()
    for client in (ended, old, current):
        sign_in(client, user)
    ended.post("/sign-out")
    sessions = db.session.scalars(db.select(SignInSession).order_by(SignInSession.id)).all()
    sessions[1].created_at = utcnow() - timedelta(hours=9)
    db.session.commit()
    assert JOBS["sessions"]() == {"removed": 2}
    assert old.get("/people").status_code == 302
    assert current.get("/people").status_code == 200

"""Serving cop in production: the health check, refusing unsafe settings, proxies and logs."""

from __future__ import annotations

import json
import logging

import pytest
from flask import request

from cop import create_app
from cop.config import ConfigurationError
from cop.serving import JsonFormatter
from tests.conftest import redis_url


def test_the_health_check_answers_without_signing_in(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_the_health_check_says_when_the_database_is_unreachable(tmp_path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def test_production_refuses_to_start_without_its_settings(tmp_path, monkeypatch) -> None:
    settings = (
        "COP_SECRET_KEY",
        "COP_DATABASE_URL",
        "COP_MAIL_SERVER",
        "COP_BASE_URL",
        "COP_RATELIMIT_STORAGE_URI",
        "COP_QUEUE_URL",
    )
    for name in settings:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as refused:
        create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    message = str(refused.value)
    for setting in settings:
        assert setting in message
    # Nothing was written: no secret key was generated for a production instance.
    assert not (tmp_path / "secret_key").exists()


def test_production_starts_with_its_settings(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COP_SECRET_KEY", "a-long-random-secret")
    monkeypatch.setenv("COP_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("COP_MAIL_SERVER", "smtp.council.example")
    monkeypatch.setenv("COP_BASE_URL", "https://cop.council.example")
    monkeypatch.setenv("COP_RATELIMIT_STORAGE_URI", redis_url())
    monkeypatch.setenv("COP_QUEUE_URL", redis_url())
    app = create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path), "PROXY_COUNT": 1})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert type(app.extensions["cop.queue"].huey).__name__ == "RedisHuey"


def test_behind_a_proxy_the_forwarded_scheme_and_address_are_trusted(tmp_path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path),
            "PROXY_COUNT": 1,
        }
    )
    seen = {}

    @app.route("/_where")
    def where() -> str:
        seen.update(scheme=request.scheme, remote=request.remote_addr, host=request.host)
        return "ok"

    app.test_client().get(
        "/_where",
        headers={
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "cop.council.example",
        },
    )
    assert seen == {"scheme": "https", "remote": "203.0.113.7", "host": "cop.council.example"}


def test_logs_are_one_json_object_a_line() -> None:
    record = logging.LogRecord("cop.requests", logging.INFO, "", 0, "GET / 200", None, None)
    record.method, record.path, record.status, record.duration_ms = "GET", "/", 200, 3.2
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "INFO" and entry["status"] == 200 and entry["path"] == "/"


def test_a_nul_character_is_refused_before_it_reaches_the_database(client) -> None:
    # PostgreSQL refuses NUL in text and SQLite cuts text short at it: refused at the door.
    response = client.post("/sign-in", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert client.get("/people?q=a%00b").status_code == 400


def test_an_unreachable_database_gives_a_clear_503_not_a_crash(tmp_path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    response = app.test_client().get("/people/1")
    # Loading who is signed in already needs the database; the page says what happened.
    assert response.status_code in (302, 503)
    response = app.test_client().post("/sign-in", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 503
    assert "The service is briefly unavailable" in response.get_data(as_text=True)


def test_every_page_has_cops_icon_and_browsers_asking_for_favicon_ico_find_it(client) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
    asked = client.get("/favicon.ico")
    assert asked.status_code == 301 and asked.headers["Location"].endswith("/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"

"""Security basics: headers, cookies, CSRF, the secret key."""

from __future__ import annotations

import pytest

from cop import create_app
from cop.extensions import db
from cop.viewhelpers import nav_section_of
from tests.conftest import PASSWORD, redis_url, sign_in


def test_every_page_sends_the_security_headers(client) -> None:
    headers = client.get("/sign-in").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_with_personal_data_are_not_cached(client, make) -> None:
    sign_in(client, make.user())
    assert client.get("/people").headers["Cache-Control"] == "no-store"


def test_a_signed_in_browser_gets_nothing_cached_even_where_the_account_is_not_read(
    client, make
) -> None:
    """The health check answers without loading the signed-in account (one SELECT, as a load
    balancer asks it many times a second), and is still not kept by a shared browser."""
    from sqlalchemy import event

    sign_in(client, make.user())
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        answer = client.get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert not [s for s in statements if "user_account" in s], statements


def test_the_session_cookie_is_http_only_and_same_site(client, make) -> None:
    response = sign_in(client, make.user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development serves plain HTTP on 127.0.0.1


def test_in_production_cookies_travel_only_over_https(tmp_path) -> None:
    app = create_app(
        {
            # Production insists on PostgreSQL; the sign-in page itself needs no database.
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://cop@127.0.0.1:1/cop",
            "ENV": "production",
            "SECRET_KEY": "x" * 32,
            "MAIL_SERVER": "smtp.council.example",
            "BASE_URL": "https://cop.council.example",
            "RATELIMIT_STORAGE_URI": redis_url(),
            "QUEUE_URL": redis_url(),
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    with app.test_client() as client:
        assert "Strict-Transport-Security" in client.get("/sign-in").headers


class TestCsrf:
    @pytest.fixture
    def config_overrides(self) -> dict:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_form_posted_without_its_token_is_refused_with_an_explanation(self, client, make):
        user = make.user()
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        assert "The form had expired or was sent from elsewhere" in response.get_data(as_text=True)

    def test_the_language_switcher_and_sign_out_need_the_token_too(self, client) -> None:
        assert client.post("/language", data={"language": "fr"}).status_code == 400
        assert client.post("/sign-out").status_code == 400


def test_a_secret_key_is_generated_into_the_instance_folder_once(database_url, tmp_path) -> None:
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(tmp_path)}
    first = create_app(settings).config["SECRET_KEY"]
    second = create_app(settings).config["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    other = tmp_path / "other"
    assert create_app({**settings, "INSTANCE_PATH": str(other)}).config["SECRET_KEY"] != first


def test_the_navigation_section_follows_the_address() -> None:
    assert nav_section_of("/visits/3/itinerary") == "visits"
    assert nav_section_of("/programmes/1/network.graphml") == "programmes"
    assert nav_section_of("/interpreters/2") == "directory"
    assert nav_section_of("/glossary.csv") == "directory"
    assert nav_section_of("/") == "visits"

"""Signing in and out, changing a password, and the limits that protect the sign-in page."""

from __future__ import annotations

import pytest
from flask import Flask

from cop.accounts.logic import is_safe_redirect
from cop.extensions import db
from tests.conftest import PASSWORD, Factory, sign_in


def test_a_person_signs_in_with_email_and_password_and_lands_on_my_visits(client, make) -> None:
    user = make.user("morag@glasgow.example")
    response = client.post(
        "/sign-in", data={"email": "Morag@Glasgow.example ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert user.last_sign_in_at is not None


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make) -> None:
    make.user("morag@glasgow.example")
    response = client.post("/sign-in", data={"email": "morag@glasgow.example", "password": "nope"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert client.get("/").status_code == 302


def test_an_empty_form_names_each_missing_field_in_the_error_summary(client) -> None:
    page = client.post("/sign-in", data={}).get_data(as_text=True)
    assert 'href="#email"' in page and "Enter your email address" in page
    assert 'href="#password"' in page and "Enter your password" in page


def test_a_deactivated_account_cannot_sign_in(client, make) -> None:
    user = make.user()
    user.active = False
    db.session.commit()
    assert sign_in(client, user).status_code == 401


def test_after_sign_in_the_person_returns_to_the_page_they_asked_for(client, make) -> None:
    user = make.user()
    response = client.post(
        "/sign-in?next=/people", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/people"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_sign_in_never_redirects_to_another_site(client, make, target) -> None:
    user = make.user()
    response = client.post(
        "/sign-in", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_safe_redirects_are_paths_on_this_site_only() -> None:
    assert is_safe_redirect("/visits/1?page=2")
    assert not is_safe_redirect("http://127.0.0.1/")
    assert not is_safe_redirect("//example.org")
    assert not is_safe_redirect("/\\example.org")
    assert not is_safe_redirect("/\nLocation: x")
    assert not is_safe_redirect(None)


def test_signing_out_ends_the_session(client, make) -> None:
    sign_in(client, make.user())
    assert client.post("/sign-out").status_code == 302
    assert client.get("/").status_code == 302


def test_changing_the_password_needs_the_current_one(client, make) -> None:
    user = make.user()
    sign_in(client, user)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong",
            "new_password": "a new long password",
            "confirm_password": "a new long password",
        },
    )
    assert response.status_code == 400
    assert "Your current password is not correct" in response.get_data(as_text=True)
    assert user.check_password(PASSWORD)


def test_changing_the_password_signs_out_other_sessions_but_not_this_one(app, make) -> None:
    user = make.user()
    this_browser, other_browser = app.test_client(), app.test_client()
    sign_in(this_browser, user)
    sign_in(other_browser, user)
    response = this_browser.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a new long password",
            "confirm_password": "a new long password",
        },
    )
    assert response.status_code == 302
    assert this_browser.get("/").status_code == 200
    assert other_browser.get("/").status_code == 302
    assert user.check_password("a new long password")


def test_a_new_password_must_be_long_enough_and_typed_twice_alike(client, make) -> None:
    sign_in(client, make.user())
    page = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "other"},
    ).get_data(as_text=True)
    assert "at least 8 characters" in page
    assert "The two passwords do not match" in page


def test_passwords_are_stored_hashed(make) -> None:
    user = make.user()
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


@pytest.fixture
def config_overrides() -> dict:
    return {}


class TestRateLimit:
    @pytest.fixture
    def config_overrides(self) -> dict:
        return {
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "6 per minute",
        }

    def test_repeated_sign_in_attempts_are_slowed_down(self, app: Flask, make: Factory) -> None:
        client = app.test_client()
        make.user("morag@glasgow.example")
        statuses = [
            client.post(
                "/sign-in", data={"email": "morag@glasgow.example", "password": "guess"}
            ).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        refused = client.post("/sign-in", data={"email": "morag@glasgow.example", "password": "x"})
        assert "Too many attempts" in refused.get_data(as_text=True)

    def test_one_person_guessing_does_not_lock_out_colleagues_at_the_same_address(
        self, app: Flask, make: Factory
    ) -> None:
        client = app.test_client()  # every request comes from the same office address
        make.user("morag@glasgow.example")
        colleague = make.user("eilidh@fife.example")
        for _ in range(4):
            client.post("/sign-in", data={"email": "morag@glasgow.example", "password": "guess"})
        assert sign_in(client, colleague).status_code == 302

    def test_the_address_limit_stops_a_guesser_trying_many_accounts(
        self, app: Flask, make: Factory
    ) -> None:
        client = app.test_client()
        statuses = [
            client.post(
                "/sign-in", data={"email": f"guess{number}@example.org", "password": "x"}
            ).status_code
            for number in range(7)
        ]
        assert statuses == [401] * 6 + [429]

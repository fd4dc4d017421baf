"""Shared form pieces: text is read without the whitespace around it, passwords exactly."""

from __future__ import annotations

from flask import Flask
from wtforms import PasswordField, StringField, TextAreaField

from cop.forms import CopForm


class Sample(CopForm):
    name = StringField()
    notes = TextAreaField()
    password = PasswordField()


def test_text_is_stripped_and_passwords_are_kept_as_typed(app: Flask) -> None:
    data = {"name": "  Glasgow City Council \n", "notes": "\n Ward budgets \n", "password": " a b "}
    with app.test_request_context(method="POST", data=data):
        form = Sample()
        assert form.name.data == "Glasgow City Council"
        assert form.notes.data == "Ward budgets"
        assert form.password.data == " a b "


def test_a_name_of_spaces_only_is_refused_as_empty(client, make) -> None:
    from tests.conftest import sign_in

    sign_in(client, make.user(admin=True))
    response = client.post("/programmes/new", data={"name": "   ", "reporting_currency": "GBP"})
    assert response.status_code == 400

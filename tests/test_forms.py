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


def test_long_lists_render_exactly_as_wtforms_renders_them(app) -> None:
    """The lists' options are rendered once per list and language (cop.forms.ListSelect); what
    a form shows, with its chosen options marked, is what WTForms' own select writes."""
    from wtforms.widgets import Select

    from cop.forms import CopForm, CountryField, LanguageField, LanguagesField, TimeZoneField

    class PlaceForm(CopForm):
        zone = TimeZoneField("Time zone", blank="Choose a time zone")
        country = CountryField("Country")
        language = LanguageField("Language", blank="—")
        languages = LanguagesField("Languages")

    chosen = {"zone": "Europe/Paris", "country": "FR", "language": "fr", "languages": "en,fr"}
    for locale in ("en", "fr"):
        with app.test_request_context(headers={"Accept-Language": locale}):
            for data in (chosen, {}, {"zone": "<not a zone>"}):
                form = PlaceForm(data=data)
                for field in (form.zone, form.country, form.language, form.languages):
                    assert str(field()) == str(Select(multiple=field.widget.multiple)(field))
                if data is chosen:
                    assert '<option selected value="Europe/Paris">' in str(form.zone())

"""Fields, forms, validators and choices shared by the forms of several domains."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, PasswordField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from cop.accounts.logic import parse_language_codes


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes, so that the form works without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def strip_text(value: Any) -> Any:
    """Text as typed, without the spaces and line breaks around it."""
    return value.strip() if isinstance(value, str) else value


class CopForm(FlaskForm):
    """The base of cop's forms: every text and text-area field is stripped of surrounding
    whitespace as it is read, so that views never strip by hand. Passwords are kept exactly as
    typed."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            kind = unbound_field.field_class
            if issubclass(kind, StringField | TextAreaField) and not issubclass(
                kind, PasswordField
            ):
                options["filters"] = [strip_text, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, **options)


class EmptyForm(CopForm):
    """A form with nothing but its CSRF token, for buttons that change something."""


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Choices for a select field from (value, label) pairs."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def language_codes_are_known(form: Form, field: Field) -> None:
    for code in parse_language_codes(field.data or "").split(","):
        if not code:
            continue
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError) as error:
            raise ValidationError(
                _l("“%(code)s” is not a language code; use codes like en or fr", code=code)
            ) from error


def time_zone_is_known(form: Form, field: Field) -> None:
    if field.data not in available_timezones():
        raise ValidationError(
            _l("Enter a time zone from the list, for example Europe/Paris or Europe/London")
        )


def country_code_is_known(form: Form, field: Field) -> None:
    code = (field.data or "").strip().upper()
    if len(code) != 2 or code not in Locale("en").territories:
        raise ValidationError(_l("Enter a two-letter country code, for example GB or FR"))
    field.data = code


def one_line(value: Any) -> Any:
    """A filter for single-line fields (titles, names): line breaks pasted into them become
    spaces, since they end up in mail subjects and calendar lines."""
    return " ".join(value.split()) if isinstance(value, str) else value

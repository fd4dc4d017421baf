"""Fields, forms, validators and choices shared by the forms of several domains."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    Field,
    Form,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from cop.accounts.logic import parse_language_codes
from cop.database import latest_today


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes, so that the form works without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PeopleField(CheckboxListField):
    """People chosen from the directory, several at once; ``viewhelpers.offer_people`` gives
    the choices and the page's people_picker macro lays them out with a search."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, coerce=int, choices=[], **kwargs)

    def pre_validate(self, form: Form) -> None:
        offered = {choice[0] for choice in self.choices}
        if any(value not in offered for value in self.data or []):
            raise ValidationError(_l("Choose people from the list"))


class PersonField(RadioField):
    """One person chosen from the directory, as PeopleField but only one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, coerce=int, choices=[], **kwargs)

    def pre_validate(self, form: Form) -> None:
        if self.data is not None and self.data not in {choice[0] for choice in self.choices}:
            raise ValidationError(_l("Choose someone from the list"))


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
    data = field.data or ""
    text = ",".join(data) if isinstance(data, list) else data
    for code in parse_language_codes(text).split(","):
        if not code:
            continue
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError) as error:
            raise ValidationError(
                _l("“%(code)s” is not a language code; use codes like en or fr", code=code)
            ) from error


def not_in_the_future(form: Form, field: Field) -> None:
    """A day that something happened (a contact, a cost) cannot be one that has not come."""
    if field.data is not None and field.data > latest_today():
        raise ValidationError(_l("The day cannot be in the future."))


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


# Lists to choose from instead of codes to type. Each is labelled in the reader's language
# and sorted for it; the codes stay what is stored. Selects work without JavaScript, and
# static/js/choose.js adds a search field to the long ones.


@lru_cache(maxsize=16)
def time_zone_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """Every zone babel places in a country, as "France — Paris (Europe/Paris)", and UTC."""
    names = Locale.parse(locale).territories
    territories = get_global("zone_territories")
    installed = available_timezones()
    labelled = [
        (
            zone,
            f"{names.get(territory, '')} — "
            f"{get_timezone_location(zone, locale=locale, return_city=True)} ({zone})",
        )
        for zone, territory in territories.items()
        if zone in installed
    ]
    return (*sorted(labelled, key=lambda pair: _sort_key(pair[1])), ("UTC", "UTC"))


@lru_cache(maxsize=16)
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """Countries by their ISO 3166-1 alpha-2 code (not regions such as 150 Europe)."""
    names = Locale.parse(locale).territories
    pairs = [(code, name) for code, name in names.items() if len(code) == 2 and code.isalpha()]
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


@lru_cache(maxsize=16)
def language_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """Languages with an ISO 639-1 code, named in the reader's language."""
    names = Locale.parse(locale).languages
    pairs = [(code, name[:1].upper() + name[1:]) for code, name in names.items() if len(code) == 2]
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


def _sort_key(label: str) -> str:
    # "Émirats" sorts with the E's, as a reader looks for it.
    return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()


def _reader_locale() -> str:
    return str(get_locale() or "en")


@lru_cache(maxsize=64)
def _rendered_options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Each option of a list as (value, its HTML after "<option "), as WTForms writes it."""
    return tuple(
        (value, f'value="{escape(value)}">{escape(label or value)}</option>')
        for value, label in choices
    )


class ListSelect(Select):
    """WTForms' select for the long lists below, with their options rendered once per list
    and language: a form with a time zone and a language renders some 600 options, which
    WTForms builds one by one (a fifth of the time of the account page); only the chosen
    options are marked for each form."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        data = field.data if self.multiple else [field.data]
        chosen = {str(value) for value in data or () if value is not None}
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        choices = field.choices() if callable(field.choices) else field.choices
        for value, rest in _rendered_options(tuple(choices)):
            html.append(("<option selected " if value in chosen else "<option ") + rest)
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 - every value and label escaped above


class _ListField(SelectField):
    """A select over one of the lists above, with an optional first "choose" option. The
    field's own validators say what is wrong, in cop's words, instead of WTForms' generic
    "Not a valid choice"."""

    widget = ListSelect()

    def __init__(self, *args: Any, blank: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, choices=self._choices, **kwargs)
        self.blank = blank

    def list_choices(self) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError

    def _choices(self) -> list[tuple[str, str]]:
        first = [("", str(self.blank))] if self.blank is not None else []
        return [*first, *self.list_choices()]

    def pre_validate(self, form: Form) -> None:
        """Nothing: the validators check the value against the list."""


class TimeZoneField(_ListField):
    def list_choices(self) -> tuple[tuple[str, str], ...]:
        return time_zone_choices(_reader_locale())


class CountryField(_ListField):
    def list_choices(self) -> tuple[tuple[str, str], ...]:
        return country_choices(_reader_locale())


class LanguageField(_ListField):
    def list_choices(self) -> tuple[tuple[str, str], ...]:
        return language_choices(_reader_locale())


class LanguagesField(SelectMultipleField):
    """Several languages, stored as "en,fr": the field reads that text (or a list) and gives
    back the codes in a list; ``joined`` is what the model keeps."""

    widget = ListSelect(multiple=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=self._choices, **kwargs)

    def _choices(self) -> tuple[tuple[str, str], ...]:
        return language_choices(_reader_locale())

    def process_data(self, value: Any) -> None:
        if isinstance(value, str):
            value = [code for code in parse_language_codes(value).split(",") if code]
        super().process_data(value)

    @property
    def joined(self) -> str:
        return parse_language_codes(",".join(self.data or []))

    def pre_validate(self, form: Form) -> None:
        """Nothing: ``language_codes_are_known`` checks the codes."""

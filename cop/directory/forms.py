from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from cop.accounts.forms import LANGUAGE_CHOICES
from cop.directory.models import OrganisationKind
from cop.forms import (
    CheckboxListField,
    CopForm,
    CountryField,
    LanguageField,
    LanguagesField,
    TimeZoneField,
    country_code_is_known,
    language_codes_are_known,
    one_line,
    options,
    time_zone_is_known,
)


class OrganisationForm(CopForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter the organisation’s name")), Length(max=200)],
        filters=[one_line],
    )
    kind = SelectField(_l("Kind of organisation"), choices=[])
    description = TextAreaField(
        _l("What it is and does (optional)"),
        description=_l(
            "A sentence or two for visitors and interpreters, for example what a mairie "
            "d’arrondissement decides."
        ),
        validators=[Optional(), Length(max=2000)],
    )
    city = StringField(_l("City or town"), validators=[Optional(), Length(max=120)])
    country = CountryField(
        _l("Country"),
        blank=_l("Choose a country"),
        validators=[DataRequired(_l("Choose the country")), country_code_is_known],
    )
    subdivision = StringField(
        _l("Nation or region (optional)"),
        description=_l(
            "Where public holidays differ within a country, for example SCT for Scotland."
        ),
        validators=[Optional(), Length(max=10)],
    )
    language = LanguageField(
        _l("Working language"),
        blank=_l("Choose a language"),
        validators=[DataRequired(_l("Choose the working language")), language_codes_are_known],
    )
    time_zone = TimeZoneField(
        _l("Time zone"),
        blank=_l("Choose a time zone"),
        validators=[DataRequired(_l("Choose the time zone")), time_zone_is_known],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = options(OrganisationKind.choices())


class PersonForm(CopForm):
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter the person’s name")), Length(max=200)],
        filters=[one_line],
    )
    email = EmailField(
        _l("Email address (optional)"),
        validators=[
            Optional(),
            Email(_l("Enter an email address in the correct format, like name@example.org")),
            Length(max=254),
        ],
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[])
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    languages = LanguagesField(
        _l("Languages they work in"), validators=[Optional(), language_codes_are_known]
    )
    preferred_language = SelectField(_l("Language for emails"), choices=options(LANGUAGE_CHOICES))


class HandOverForm(CopForm):
    successor_id = SelectField(
        _l("Successor"),
        description=_l("Someone new? Add them to the directory first."),
        coerce=int,
        choices=[],
        validators=[InputRequired(_l("Choose the successor"))],
    )
    action_ids = CheckboxListField(_l("Open actions at home"), coerce=int, choices=[])
    contact_ids = CheckboxListField(_l("Contacts to keep up"), coerce=int, choices=[])
    thread_ids = CheckboxListField(_l("Correspondence they answered"), coerce=int, choices=[])
    note = TextAreaField(
        _l("Note for the successor (optional)"), validators=[Optional(), Length(max=2000)]
    )

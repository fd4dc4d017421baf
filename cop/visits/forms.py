from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from cop.forms import (
    CopForm,
    CountryField,
    LanguagesField,
    PeopleField,
    TimeZoneField,
    country_code_is_known,
    language_codes_are_known,
    one_line,
    time_zone_is_known,
)


class VisitForm(CopForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Enter a title for the visit")), Length(max=200)],
        filters=[one_line],
    )
    objective = TextAreaField(
        _l("Objective"),
        description=_l("What the visit is for, and the problem at home it serves."),
        validators=[Optional(), Length(max=5000)],
    )
    programme_id = SelectField(_l("Programme"), coerce=int, choices=[])
    host_organisation_id = SelectField(_l("Host organisation"), coerce=int, choices=[])
    host_city = StringField(
        _l("Host city"),
        description=_l("Left empty, it is the host organisation’s city."),
        validators=[Optional(), Length(max=120)],
        filters=[one_line],
    )
    host_country = CountryField(
        _l("Host country"),
        blank=_l("The host organisation’s country"),
        validators=[Optional(), country_code_is_known],
    )
    start_date = DateField(
        _l("First day (optional)"),
        validators=[Optional()],
        format="%Y-%m-%d",
    )
    end_date = DateField(_l("Last day (optional)"), validators=[Optional()], format="%Y-%m-%d")
    time_zone = TimeZoneField(
        _l("Time zone of the visit"),
        description=_l("Where the visit takes place: the itinerary is shown in this time zone."),
        blank=_l("The host organisation’s time zone"),
        validators=[Optional(), time_zone_is_known],
    )
    languages = LanguagesField(
        _l("Languages of the visit"),
        description=_l(
            "The languages spoken during the visit. The host organisation’s language is added."
        ),
        validators=[language_codes_are_known],
    )

    def validate(self, extra_validators=None) -> bool:
        from cop.visits.logic import dates_problem

        valid = super().validate(extra_validators)
        if not self.host_organisation_id.data:
            for needed, message in (
                (self.host_country, _l("Choose the host country, or a host organisation")),
                (self.time_zone, _l("Choose the time zone, or a host organisation")),
            ):
                if not needed.data:
                    needed.errors = [*needed.errors, message]
                    valid = False
            if not self.languages.data:
                self.languages.errors = [
                    *self.languages.errors,
                    _l("Choose at least one language, or a host organisation"),
                ]
                valid = False
        problem = dates_problem(self.start_date.data, self.end_date.data)
        if problem == "both_or_neither":
            self.end_date.errors = [
                *self.end_date.errors,
                _l("Enter both the first and the last day, or neither"),
            ]
            return False
        if problem == "end_before_start":
            self.end_date.errors = [
                *self.end_date.errors,
                _l("The last day must be the same as or after the first day"),
            ]
            return False
        return valid


class StatusForm(CopForm):
    status = SelectField(_l("New status"), choices=[])


class MemberForm(CopForm):
    person_ids = PeopleField(
        _l("People to add"),
        validators=[DataRequired(_l("Choose at least one person to add"))],
    )
    role = SelectField(_l("Role in the visit"), choices=[])
    selection_reason = TextAreaField(
        _l("Why this person was chosen"),
        description=_l(
            "For the record of the visit and its evaluation. Left empty for someone added "
            "back, the reason they were first chosen is kept."
        ),
        validators=[Optional(), Length(max=2000)],
    )


class ProgrammeForm(CopForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter the programme’s name")), Length(max=200)],
        filters=[one_line],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    reporting_currency = StringField(
        _l("Reporting currency"),
        description=_l("Three-letter code, for example GBP or EUR."),
        validators=[
            DataRequired(_l("Enter the reporting currency")),
            Regexp(r"^[A-Za-z]{3}$", message=_l("Enter a three-letter currency code, like GBP")),
        ],
    )

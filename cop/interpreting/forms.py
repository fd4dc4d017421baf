from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from cop.forms import CheckboxListField, CopForm
from cop.interpreting.teams import parse_terms


class InterpreterForm(CopForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the interpreter’s name")), Length(max=200)]
    )
    email = EmailField(
        _l("Email address"),
        description=_l("Bookings and the briefing pack are sent here."),
        validators=[
            DataRequired(_l("Enter the interpreter’s email address")),
            Email(_l("Enter an email address in the correct format, like name@example.org")),
        ],
    )
    language = SelectField(_l("Language of their mail and briefing pack"), choices=[])
    pairs = StringField(
        _l("Language pairs"),
        description=_l(
            "Directions they work in, like “fr>en” (from French into English), or “fr<>en” for "
            "both ways; separate pairs with commas."
        ),
        validators=[DataRequired(_l("Enter at least one language pair")), Length(max=200)],
    )
    modes = CheckboxListField(_l("Modes"), choices=[])
    knowledge = CheckboxListField(_l("Domain knowledge"), choices=[])
    day_rate = DecimalField(
        _l("Day rate (optional)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    half_day_rate = DecimalField(
        _l("Half-day rate (optional)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    currency = StringField(
        _l("Currency of the rates"),
        default="EUR",
        validators=[DataRequired(_l("Enter a currency code, like EUR")), Length(min=3, max=3)],
    )
    notes = TextAreaField(_l("Notes (optional)"), validators=[Optional(), Length(max=5000)])


class UnavailableForm(CopForm):
    first_day = DateField(_l("From"), validators=[InputRequired(_l("Enter the first day"))])
    last_day = DateField(_l("Until"), validators=[InputRequired(_l("Enter the last day"))])
    note = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=200)])


class BookingForm(CopForm):
    """Asking one interpreter for one item or several: who, how, their journey (for the rest
    they need) and the terms on which the organisers may cancel."""

    interpreter_id = SelectField(
        _l("Interpreter"),
        coerce=int,
        choices=[],
        validators=[InputRequired(_l("Choose an interpreter"))],
    )
    mode = SelectField(_l("Mode"), choices=[])
    cancellation = StringField(
        _l("Cancellation terms"),
        description=_l(
            "What is due if the organisers cancel: for each notice, the days before the work "
            "and the share of its fee, like “30 days: 50 %, 7 days: 100 %”. Leave empty when "
            "nothing is due."
        ),
        validators=[Optional(), Length(max=200)],
    )
    arrival_day = DateField(_l("Arrives on (optional)"), validators=[Optional()])
    arrival_time = TimeField(_l("At, on the host’s clock (optional)"), validators=[Optional()])
    journey_hours = DecimalField(
        _l("Length of their journey, in hours (optional)"),
        description=_l("After a long journey an interpreter needs a night’s rest before working."),
        places=1,
        validators=[Optional(), NumberRange(min=0, max=72)],
    )
    note = TextAreaField(_l("Note to the interpreter (optional)"), validators=[Optional()])
    accept_warnings = BooleanField(_l("Book anyway: the warnings above are understood"))

    def validate_cancellation(self, field: StringField) -> None:
        try:
            parse_terms(field.data or "")
        except ValueError as error:
            raise ValidationError(
                _l(
                    "“%(part)s” cannot be read: write each notice as days and a share, like "
                    "“7 days: 100 %%”, the shorter notice asking for at least as much",
                    part=str(error),
                )
            ) from error

    def validate_arrival_time(self, field: TimeField) -> None:
        if field.data is not None and self.arrival_day.data is None:
            raise ValidationError(_l("Enter the day they arrive as well"))


class DayBookingForm(BookingForm):
    items = CheckboxListField(
        _l("Items to interpret"),
        coerce=int,
        choices=[],
        validators=[InputRequired(_l("Choose at least one item"))],
    )


class BookingStatusForm(CopForm):
    status = SelectField(_l("Booking"), choices=[])

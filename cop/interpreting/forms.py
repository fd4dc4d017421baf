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
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from cop.forms import CheckboxListField, CopForm


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
    interpreter_id = SelectField(
        _l("Interpreter"),
        coerce=int,
        choices=[],
        validators=[InputRequired(_l("Choose an interpreter"))],
    )
    mode = SelectField(_l("Mode"), choices=[])
    note = TextAreaField(_l("Note to the interpreter (optional)"), validators=[Optional()])
    accept_warnings = BooleanField(_l("Book anyway: the warnings above are understood"))


class BookingStatusForm(CopForm):
    status = SelectField(_l("Booking"), choices=[])

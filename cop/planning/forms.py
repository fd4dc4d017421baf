from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from cop.forms import CopForm


class EffortForm(CopForm):
    person_id = SelectField(_l("Who"), coerce=int, choices=[])
    day = DateField(_l("Day"), validators=[InputRequired(_l("Enter the day"))])
    minutes = IntegerField(
        _l("Minutes spent"),
        validators=[
            InputRequired(_l("Enter the minutes spent")),
            NumberRange(min=1, max=24 * 60, message=_l("Enter between 1 and 1440 minutes")),
        ],
    )
    category = SelectField(_l("On what"), choices=[])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=1000)])


class CostForm(CopForm):
    day = DateField(_l("Day"), validators=[InputRequired(_l("Enter the day"))])
    category = SelectField(_l("Category"), choices=[])
    description = StringField(_l("What for"), validators=[Optional(), Length(max=300)])
    amount = DecimalField(
        _l("Amount"),
        places=2,
        validators=[
            InputRequired(_l("Enter the amount")),
            NumberRange(min=0, message=_l("The amount cannot be negative")),
        ],
    )
    currency = StringField(
        _l("Currency"),
        description=_l("Three-letter code, for example EUR."),
        validators=[
            DataRequired(_l("Enter the currency")),
            Regexp(r"^[A-Za-z]{3}$", message=_l("Enter a three-letter currency code, like GBP")),
        ],
    )
    rate = DecimalField(
        _l("Rate into the programme’s currency (optional)"),
        description=_l(
            "How much one unit of this currency is worth in the programme’s currency. Left empty, "
            "cop takes the published rate of the day, or the rate last given in this visit; "
            "when it knows neither, the cost is marked “rate needed” and counted in no total."
        ),
        places=6,
        validators=[
            Optional(),
            NumberRange(min=0.000001, message=_l("The rate must be more than 0")),
        ],
    )
    paid_by = StringField(_l("Paid by"), validators=[Optional(), Length(max=200)])


class CostRateForm(CopForm):
    """The rate for one cost that has none, given on the planning log."""

    rate = DecimalField(
        _l("Rate"),
        places=6,
        validators=[
            InputRequired(_l("Enter the rate")),
            NumberRange(min=0.000001, message=_l("The rate must be more than 0")),
        ],
    )


class RateImportForm(CopForm):
    rates = FileField(
        _l("Reference-rate file"),
        description=_l(
            "The European Central Bank’s euro reference rates as CSV: eurofxref.csv for the "
            "day’s rates or eurofxref-hist.csv for all of them, zipped or not."
        ),
        validators=[FileRequired(_l("Choose a rate file to import"))],
    )


class TaskForm(CopForm):
    owner_id = SelectField(_l("Owner"), coerce=int, choices=[])
    due_date = DateField(_l("Due (optional)"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[])


class HostForm(CopForm):
    hours = DecimalField(
        _l("Hours your side spent on the visit"),
        description=_l("Preparing, receiving and following up, all your staff together."),
        places=2,
        validators=[
            InputRequired(_l("Enter the hours, 0 if none")),
            NumberRange(min=0, max=10000, message=_l("Enter between 0 and 10,000 hours")),
        ],
    )
    staff = StringField(
        _l("Who worked on it (optional)"),
        description=_l("For example: two officers of the participatory budget team."),
        validators=[Optional(), Length(max=300)],
    )
    gained = TextAreaField(
        _l("What did your side gain from the visit?"),
        description=_l(
            "In your own words and language: ideas, contacts, a fresh look at your own work."
        ),
        validators=[Optional(), Length(max=5000)],
    )

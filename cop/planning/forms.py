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

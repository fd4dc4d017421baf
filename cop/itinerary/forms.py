from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from cop.forms import CheckboxListField, CopForm, one_line


class ItemForm(CopForm):
    title = StringField(
        _l("What"),
        validators=[DataRequired(_l("Enter what happens")), Length(max=200)],
        filters=[one_line],
    )
    day = DateField(_l("Day"), validators=[InputRequired(_l("Enter the day"))])
    starts = TimeField(
        _l("Starts"),
        description=_l("In the visit’s time zone, as on the host’s clocks."),
        validators=[InputRequired(_l("Enter the time it starts"))],
    )
    ends = TimeField(_l("Ends"), validators=[InputRequired(_l("Enter the time it ends"))])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    travel_minutes = IntegerField(
        _l("Travel time from the previous place, in minutes"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=24 * 60, message=_l("Enter a number of minutes from 0 to 1440")),
        ],
    )
    host_contact_id = SelectField(_l("Host contact"), coerce=int, choices=[])
    language = SelectField(_l("Language spoken"), choices=[])
    needs_interpreter = BooleanField(_l("Needs an interpreter"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    attendee_ids = CheckboxListField(_l("Who attends"), coerce=int, choices=[])


class AgendaImportForm(CopForm):
    agenda = FileField(
        _l("Calendar file (.ics)"),
        description=_l("Export the agenda from Outlook, Google Calendar or another calendar."),
        validators=[FileRequired(_l("Choose a calendar file to import"))],
    )


class ApplyImportForm(CopForm):
    upload = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cop.forms import CopForm, PersonField, not_in_the_future


class ContactForm(CopForm):
    to_person_id = PersonField(
        _l("Who you were in contact with"),
        validators=[DataRequired(_l("Choose the person you were in contact with"))],
    )
    day = DateField(_l("When"), validators=[InputRequired(_l("Enter the day")), not_in_the_future])
    channel = SelectField(_l("How"), choices=[])
    topic = StringField(_l("About (optional)"), validators=[Optional(), Length(max=300)])
    started = RadioField(_l("Who got in touch"), choices=[], default="me")
    visit_id = SelectField(_l("Linked to a visit (optional)"), coerce=int, choices=[])


class ContactImportForm(CopForm):
    contacts = FileField(
        _l("CSV file"),
        description=_l(
            "Columns: from_email, to_email, date (2017-03-06), and optionally channel, topic, "
            "from_name, to_name."
        ),
        validators=[FileRequired(_l("Choose a CSV file to import"))],
    )
    create_people = BooleanField(
        _l("Add people who are not yet in the directory (their name must be in the file)")
    )

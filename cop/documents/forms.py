from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from cop.forms import CopForm


class DocumentForm(CopForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file to upload"))],
    )
    title = StringField(
        _l("Title (optional)"),
        description=_l("For example: Agenda of 8 and 9 December."),
        validators=[Optional(), Length(max=200)],
    )

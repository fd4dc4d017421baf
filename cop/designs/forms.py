from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cop.forms import (
    CopForm,
    CountryField,
    TimeZoneField,
    country_code_is_known,
    one_line,
    time_zone_is_known,
)


class SaveDesignForm(CopForm):
    """Keeping a visit's design in its programme's library."""

    title = StringField(
        _l("Name of the design"),
        validators=[DataRequired(_l("Enter a name for the design")), Length(max=200)],
        filters=[one_line],
    )
    description = TextAreaField(
        _l("What it is good for (optional)"),
        description=_l("What the next organiser should know: what worked, what to change."),
        validators=[Optional(), Length(max=5000)],
    )


class UploadDesignForm(CopForm):
    file = FileField(
        _l("Design file"),
        description=_l("A .json file exported from cop, here or in another installation."),
        validators=[FileRequired(_l("Choose a design file"))],
    )
    description = TextAreaField(
        _l("What it is good for (optional)"), validators=[Optional(), Length(max=5000)]
    )


class StartFromDesignForm(CopForm):
    title = StringField(
        _l("Title of the new visit"),
        validators=[DataRequired(_l("Enter a title for the visit")), Length(max=200)],
        filters=[one_line],
    )
    start_date = DateField(
        _l("First day"),
        description=_l("Day 1 of the design: every item and due date is placed from it."),
        validators=[InputRequired(_l("Enter the first day of the visit"))],
        format="%Y-%m-%d",
    )
    host_city = StringField(
        _l("Host city"), validators=[Optional(), Length(max=120)], filters=[one_line]
    )
    host_country = CountryField(
        _l("Host country"),
        blank=_l("Not yet known"),
        validators=[Optional(), country_code_is_known],
    )
    time_zone = TimeZoneField(
        _l("Time zone of the visit"),
        description=_l("The design’s times are read on this clock."),
        blank=_l("Choose a time zone"),
        validators=[DataRequired(_l("Choose the visit’s time zone")), time_zone_is_known],
    )

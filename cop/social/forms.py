from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cop.forms import CheckboxListField, CopForm


class ProtocolForm(CopForm):
    platforms = CheckboxListField(_l("Platforms"), choices=[])
    hashtags = StringField(
        _l("Hashtags every post carries"),
        description=_l("Separated by spaces, for example #PBScotland #BudgetParticipatif"),
        validators=[Optional(), Length(max=300)],
    )
    accounts = StringField(
        _l("Accounts to tag"),
        description=_l("For example @ParisBudgetPart @WWSScotland"),
        validators=[Optional(), Length(max=300)],
    )
    forbidden_topics = TextAreaField(
        _l("Topics not to post about"),
        description=_l("One a line; a draft naming one is flagged."),
        validators=[Optional(), Length(max=5000)],
    )
    photo_rules = TextAreaField(_l("Photo rules"), validators=[Optional(), Length(max=5000)])
    video_rules = TextAreaField(_l("Video rules"), validators=[Optional(), Length(max=5000)])


class EmbargoForm(CopForm):
    subject = StringField(
        _l("What may not be posted"),
        description=_l("Words that give it away, for example “steering group”."),
        validators=[DataRequired(_l("Say what may not be posted")), Length(max=200)],
    )
    item_id = SelectField(_l("Itinerary item (optional)"), coerce=int, choices=[], default=0)
    day = DateField(_l("Until the day"), validators=[InputRequired(_l("Enter the day"))])
    at = TimeField(_l("At (the visit’s time)"), validators=[InputRequired(_l("Enter the time"))])


class ApprovalForm(CopForm):
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=5000)])


class ConsentForm(CopForm):
    photo = BooleanField(_l("Photos of me may be posted"))
    video = BooleanField(_l("Videos of me may be posted"))
    tagging = BooleanField(_l("I may be tagged in posts"))
    naming = BooleanField(_l("My name may appear in posts"))
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=300)])


class PostCheckForm(CopForm):
    platform = SelectField(_l("Platform"), choices=[])
    text = TextAreaField(
        _l("Draft post"),
        validators=[DataRequired(_l("Paste the draft post")), Length(max=70000)],
    )
    day = DateField(_l("To be posted on"), validators=[InputRequired(_l("Enter the day"))])
    at = TimeField(_l("At (the visit’s time)"), validators=[InputRequired(_l("Enter the time"))])
    has_video = BooleanField(_l("It includes a video"))
    pictured = CheckboxListField(_l("Who is in the photo or video"), coerce=int, choices=[])
    tagged = CheckboxListField(_l("Who is tagged"), coerce=int, choices=[])


class DecisionForm(CopForm):
    decision = SelectField(_l("What was done"), choices=[])

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cop.forms import CheckboxListField, CopForm, options
from cop.polls.models import Answer


class PollForm(CopForm):
    candidate_dates = TextAreaField(
        _l("Candidate dates"),
        description=_l(
            "One per line: a day (2017-03-06) or a window of days (2017-03-06 to 2017-03-07)."
        ),
        validators=[DataRequired(_l("Enter at least one candidate date"))],
    )
    deadline = DateField(
        _l("Answer by (optional)"),
        description=_l("The poll closes itself at the end of this day, in the visit’s time zone."),
        validators=[Optional()],
    )
    invitee_ids = CheckboxListField(_l("Members asked to answer"), coerce=int, choices=[])
    key_person_ids = CheckboxListField(
        _l("Key people"),
        description=_l("A “no” from a key person is flagged on the date."),
        coerce=int,
        choices=[],
    )
    other_emails = TextAreaField(
        _l("Also ask (optional)"),
        description=_l(
            "Email addresses of people in the directory who are not members, one per line."
        ),
        validators=[Optional(), Length(max=5000)],
    )


def answer_form(option_labels: list[tuple[int, str, str]]) -> type[CopForm]:
    """A form with one yes / if need be / no question per candidate date: (option id, the
    dates, what to know about them, such as holidays and weekends)."""

    class AnswerForm(CopForm):
        comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=2000)])

    for option_id, label, description in option_labels:
        setattr(
            AnswerForm,
            f"option_{option_id}",
            RadioField(
                label,
                description=description,
                choices=options(Answer.choices()),
                validators=[InputRequired(_l("Answer for this date"))],
            ),
        )
    return AnswerForm


class CloseForm(CopForm):
    option_id = SelectField(_l("Dates of the visit"), coerce=int, choices=[])


class ReminderForm(CopForm):
    remind_at = DateTimeLocalField(
        _l("Remind those who have not answered on"),
        description=_l("A day and time in the visit’s time zone, before the deadline."),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter the day and time of the reminder"))],
    )

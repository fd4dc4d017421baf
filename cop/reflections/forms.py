from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from cop.actions.models import ActionStatus
from cop.forms import CopForm
from cop.reflections.models import Consent

RATING_VALUES = [str(score) for score in range(1, 6)]
RATING_CHOICES = [SelectChoice(value, value) for value in RATING_VALUES]
ANSWER_LENGTH = 20_000


def consent_field() -> RadioField:
    return RadioField(
        _l("Who may read this reflection"),
        choices=[],
        default=Consent.PRIVATE.value,
        validators=[InputRequired(_l("Choose who may read this reflection"))],
    )


class ReflectionBaseForm(CopForm):
    """The fields every reflection has; the guide's questions are added per phase by
    ``reflection_form``."""

    consent = consent_field()
    itinerary_item_id = SelectField(_l("Session (optional)"), coerce=int, choices=[], default=0)
    # Asked only when the phase does not fit the day (cop.reflections.timing).
    confirm_timing = BooleanField(_l("Yes, submit it now as it is"))
    save_draft = SubmitField(_l("Save as a draft"))
    submit_reflection = SubmitField(_l("Submit the reflection"))


def rating_field() -> RadioField:
    """A 1-to-5 rating that may be left unanswered (WTForms would call an empty one invalid)."""
    return RadioField(
        choices=RATING_CHOICES,
        validate_choice=False,
        validators=[Optional(), AnyOf(RATING_VALUES, _l("Choose a rating from 1 to 5"))],
    )


def reflection_form(
    text_question_ids: list[int], rated_theme_ids: list[int], satisfaction: bool, **kwargs: Any
) -> ReflectionBaseForm:
    """A form with one field per question of the guide: ``answer_<question id>`` for written
    answers, ``rating_<theme id>`` for self-ratings, and ``satisfaction``."""

    class ReflectionForm(ReflectionBaseForm):
        pass

    for question_id in text_question_ids:
        setattr(
            ReflectionForm,
            f"answer_{question_id}",
            TextAreaField(validators=[Optional(), Length(max=ANSWER_LENGTH)]),
        )
    for theme_id in rated_theme_ids:
        setattr(
            ReflectionForm,
            f"rating_{theme_id}",
            rating_field(),
        )
    if satisfaction:
        ReflectionForm.satisfaction = rating_field()
    return ReflectionForm(**kwargs)


class InterviewForm(CopForm):
    person_id = SelectField(
        _l("Who was interviewed"),
        coerce=int,
        choices=[],
        validators=[InputRequired(_l("Choose who was interviewed"))],
    )
    phase = SelectField(_l("Phase"), choices=[])
    interviewed_on = DateField(
        _l("Day of the interview"), validators=[InputRequired(_l("Enter the day"))]
    )
    video_reference = StringField(
        _l("Where the recording is kept (optional)"),
        description=_l("A file name or an address; the recording itself is not stored here."),
        validators=[Optional(), Length(max=500)],
    )
    consent = RadioField(
        _l("What the interviewee agreed to"),
        choices=[],
        validators=[InputRequired(_l("Choose what the interviewee agreed to"))],
    )
    transcript = FileField(
        _l("Transcript file (optional)"),
        description=_l(
            "WebVTT (.vtt) or SubRip (.srt) subtitles, or plain text with lines like "
            "“[00:01:05] Name: what they said”."
        ),
    )
    transcript_text = TextAreaField(
        _l("Or paste the transcript"), validators=[Optional(), Length(max=500_000)]
    )
    interviewee_labels = StringField(
        _l("Other labels the transcript uses for the interviewee (optional)"),
        description=_l(
            "Their full name, first name, last name and initials are recognised; add any other "
            "label, separated by commas, for example “Speaker 2”."
        ),
        validators=[Optional(), Length(max=300)],
    )


class CodingForm(CopForm):
    code_id = SelectField(
        _l("Code"), coerce=int, choices=[], validators=[DataRequired(_l("Choose a code"))]
    )
    quote = TextAreaField(
        _l("Words to code (optional)"),
        description=_l("Copy the words from the passage; leave empty to code the whole passage."),
        validators=[Optional(), Length(max=ANSWER_LENGTH)],
    )


class MemoForm(CopForm):
    text = TextAreaField(
        _l("Memo"),
        validators=[DataRequired(_l("Write the memo")), Length(max=ANSWER_LENGTH)],
    )


class ConsentForm(CopForm):
    consent = consent_field()


class QuestionForm(CopForm):
    phase = SelectField(_l("Phase"), choices=[])
    kind = SelectField(_l("Kind of answer"), choices=[])
    text = TextAreaField(
        _l("Question"), validators=[DataRequired(_l("Write the question")), Length(max=2000)]
    )


class QuestionEditForm(CopForm):
    text = TextAreaField(
        _l("Question"), validators=[DataRequired(_l("Write the question")), Length(max=2000)]
    )
    save = SubmitField(_l("Save the question"))
    move_up = SubmitField(_l("Move up"))
    remove = SubmitField(_l("Remove"))


class CodeForm(CopForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the code’s name")), Length(max=200)]
    )
    definition = TextAreaField(
        _l("Definition"),
        description=_l("When to apply the code, so that two coders apply it alike."),
        validators=[Optional(), Length(max=5000)],
    )
    parent_id = SelectField(_l("Place it under"), coerce=int, choices=[])
    colour = StringField(
        _l("Colour"),
        description=_l("The colour its coded words are marked with."),
        validators=[
            Optional(),
            Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Give the colour as # and six hex digits")),
        ],
    )


class BlindCodingForm(CopForm):
    blind = BooleanField(
        _l("Code blind"),
        description=_l(
            "Each researcher sees the codes the others applied only once they say they have "
            "finished coding, so that agreement measures independent judgements."
        ),
    )


class QdaImportForm(CopForm):
    file = FileField(
        _l("REFI-QDA file"),
        description=_l(
            "A project (.qdpx) from QualCoder, NVivo, ATLAS.ti, MAXQDA or cop, or a codebook "
            "(.qdc). A codebook brings its codes; a project its codes, text sources and codings."
        ),
        validators=[FileRequired(_l("Choose a .qdpx or .qdc file"))],
    )
    visit_id = SelectField(
        _l("Visit the sources belong to"),
        description=_l("Each text source of a project becomes a reflection of this visit."),
        coerce=int,
        choices=[],
    )
    phase = SelectField(_l("Phase of the sources"), choices=[])
    consent = RadioField(
        _l("What the people in the sources agreed to"),
        choices=[],
        validators=[InputRequired(_l("Choose what the people in the sources agreed to"))],
    )


class ActionForm(CopForm):
    title = StringField(
        _l("Action"), validators=[DataRequired(_l("Name the action")), Length(max=300)]
    )
    owner_id = SelectField(_l("Owner"), coerce=int, choices=[])
    learning_point = TextAreaField(
        _l("The learning point it comes from"), validators=[Optional(), Length(max=5000)]
    )
    theme_id = SelectField(_l("Learning theme (optional)"), coerce=int, choices=[])
    adaptation = TextAreaField(
        _l("What must be adapted at home"),
        description=_l("What works in the host’s setting but must change in ours, and why."),
        validators=[Optional(), Length(max=5000)],
    )
    target_date = DateField(_l("Target date (optional)"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], default=ActionStatus.PLANNED.value)
    evidence = TextAreaField(
        _l("Evidence (optional)"),
        description=_l("What shows that it happened: a paper, a decision, a figure."),
        validators=[Optional(), Length(max=5000)],
    )


class ActionUpdateForm(CopForm):
    status = SelectField(_l("Status now"), choices=[])
    note = TextAreaField(
        _l("What happened"),
        validators=[DataRequired(_l("Say what happened")), Length(max=5000)],
    )
    evidence = TextAreaField(_l("Evidence (optional)"), validators=[Optional(), Length(max=5000)])


class DeleteAllForm(CopForm):
    confirm = BooleanField(
        _l("I understand that my reflections, and the codes researchers gave them, go for good"),
        validators=[DataRequired(_l("Tick the box to confirm"))],
    )

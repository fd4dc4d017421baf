from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cop.forms import CopForm


class TermForm(CopForm):
    language_a = SelectField(_l("Language of the term"), choices=[])
    term_a = StringField(
        _l("Term"), validators=[DataRequired(_l("Enter the term")), Length(max=200)]
    )
    language_b = SelectField(_l("Language of the rendering"), choices=[])
    term_b = StringField(
        _l("Rendering (optional)"),
        description=_l(
            "Leave empty when there is no equivalent: the term is then kept and explained."
        ),
        validators=[Optional(), Length(max=200)],
    )
    explanation = TextAreaField(
        _l("Explanation of the difference (optional)"),
        description=_l("Added as a note to translations that contain the term."),
        validators=[Optional(), Length(max=2000)],
    )
    do_not_translate = BooleanField(_l("Never translate this term"))
    domain = StringField(_l("Domain (optional)"), validators=[Optional(), Length(max=100)])
    applies_to = SelectField(
        _l("Where it holds"),
        description=_l(
            "Every visit, the visits of one programme, visits to one host city (for a city’s own "
            "institutions), or one visit."
        ),
        choices=[],
        default="all",
    )


class GlossaryImportForm(CopForm):
    terms = FileField(
        _l("CSV file"),
        description=_l(
            "Columns: language_a, term_a, language_b, term_b, and optionally explanation, "
            "do_not_translate (yes/no), domain, applies_to (all, programme:<number>, "
            "city:<country code>:<city> or visit:<number>, as the downloaded glossary writes it)."
        ),
        validators=[FileRequired(_l("Choose a CSV file to import"))],
    )


class CorrectionForm(CopForm):
    """A person's translation of a visit's content, replacing the machine's."""

    text = TextAreaField(
        _l("Translation"),
        validators=[DataRequired(_l("Write the translation")), Length(max=20_000)],
    )

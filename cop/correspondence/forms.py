from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cop.forms import CopForm, one_line


class ThreadForm(CopForm):
    subject = StringField(
        _l("Subject"), validators=[DataRequired(_l("Enter a subject")), Length(max=300)]
    )
    counterpart_organisation_id = SelectField(_l("With"), coerce=int, choices=[])


class ReceivedMessageForm(CopForm):
    author_name = StringField(_l("From"), validators=[Optional(), Length(max=200)])
    language = SelectField(_l("Language of the message"), choices=[])
    body = TextAreaField(
        _l("The message as received"),
        description=_l("Paste it as it is: it is kept exactly, and translated beside it."),
        validators=[DataRequired(_l("Paste the message")), Length(max=100_000)],
    )


class MessageLanguageForm(CopForm):
    language = SelectField(
        _l("Language of this message"),
        choices=[],
        validators=[DataRequired(_l("Choose the language the message is written in"))],
    )


class ReviewForm(CopForm):
    text = TextAreaField(
        _l("Translation"),
        description=_l("Your version replaces the machine's and is remembered for next time."),
        validators=[DataRequired(_l("Enter the translation")), Length(max=100_000)],
    )


class MailImportForm(CopForm):
    mail = FileField(
        _l("Mail file"),
        description=_l("A message saved from your mail program (.eml), or a mailbox (.mbox)."),
        validators=[FileRequired(_l("Choose a mail file to import"))],
    )


class ComposeForm(CopForm):
    recipient_id = SelectField(_l("To"), coerce=int, choices=[])
    language = SelectField(_l("You write in"), choices=[])
    body = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(_l("Write the message")), Length(max=100_000)],
    )
    subject_translation = StringField(
        _l("Subject the recipient will read"),
        validators=[Optional(), Length(max=300)],
        filters=[one_line],
    )
    translation = TextAreaField(
        _l("Translation the recipient will read"),
        description=_l("Check it against the translation back into your language, and correct it."),
        validators=[Optional(), Length(max=100_000)],
    )
    # What the machine gave, so that sending it unedited keeps it labelled a machine's.
    machine_translation = HiddenField()
    # The draft a worker translates (cop.correspondence.models.Draft).
    draft_id = HiddenField()
    checked = BooleanField(
        _l("I have checked the translation: it says what I mean"),
        description=_l("Left unticked, an unedited translation is sent as a machine translation."),
    )
    both_languages = BooleanField(_l("Also include your original text in the mail"))

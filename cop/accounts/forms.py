from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from cop.accounts.passwords import MINIMUM_PASSWORD_LENGTH
from cop.forms import (
    CheckboxListField,
    CopForm,
    LanguagesField,
    language_codes_are_known,
    options,
)

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français")]


class SignInForm(CopForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    new = PasswordField(
        _l("New password"),
        description=_l("At least %(count)d characters.", count=MINIMUM_PASSWORD_LENGTH),
        validators=[
            DataRequired(_l("Enter a new password")),
            Length(
                min=MINIMUM_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "The new password must be at least %(count)d characters long",
                    count=MINIMUM_PASSWORD_LENGTH,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Confirm the new password"),
        validators=[
            DataRequired(_l("Enter the new password again")),
            EqualTo("new_password", _l("The two passwords do not match")),
        ],
    )
    return new, confirm


class ChangePasswordForm(CopForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password"))]
    )
    new_password, confirm_password = _new_password_fields()


class ResetRequestForm(CopForm):
    email = EmailField(
        _l("Email address"),
        description=_l("We will send a link to reset your password to this address."),
        validators=[
            DataRequired(_l("Enter your email address")),
            Email(_l("Enter an email address in the correct format, like name@example.org")),
            Length(max=254),
        ],
    )


class ResetPasswordForm(CopForm):
    new_password, confirm_password = _new_password_fields()


class ProfileForm(CopForm):
    name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Enter your name")), Length(max=200)]
    )
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    languages = LanguagesField(
        _l("Languages you work in"), validators=[Optional(), language_codes_are_known]
    )
    locale = SelectField(
        _l("Language of the interface and of your emails"), choices=options(LANGUAGE_CHOICES)
    )
    signature = TextAreaField(
        _l("Signature of the mail you write"),
        description=_l(
            "Closes the messages you send to hosts. Left empty, it is your name, job title "
            "and organisation."
        ),
        validators=[Optional(), Length(max=1000)],
    )
    access_needs = TextAreaField(
        _l("Access needs"),
        description=_l(
            "Optional. Only you and the leads of your visits can see this. "
            "It helps hosts plan venues and travel."
        ),
        validators=[Optional(), Length(max=2000)],
    )
    dietary_needs = TextAreaField(
        _l("Dietary needs"),
        description=_l("Optional. Only you and the leads of your visits can see this."),
        validators=[Optional(), Length(max=2000)],
    )


class RoleFields(CopForm):
    """The roles an administrator gives, on the invitation and on the account's page."""

    organiser = BooleanField(_l("Organiser"), description=_l("May start programmes and visits."))
    researcher = BooleanField(
        _l("Researcher"),
        description=_l("Reads reflections, as each writer allows, of the programmes chosen below."),
    )
    programmes = CheckboxListField(_l("Programmes they research"), coerce=int, choices=[])
    admin = BooleanField(
        _l("Administrator"), description=_l("Manages accounts and everything in cop.")
    )


class InvitationForm(RoleFields):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the person’s name")), Length(max=200)]
    )
    email = EmailField(
        _l("Email address"),
        description=_l("The invitation goes to this address; it becomes their sign-in."),
        validators=[
            DataRequired(_l("Enter an email address")),
            Email(_l("Enter an email address in the correct format, like name@example.org")),
            Length(max=254),
        ],
    )
    language = SelectField(_l("Language of the invitation"), choices=LANGUAGE_CHOICES, default="en")


class RolesForm(RoleFields):
    active = BooleanField(
        _l("May sign in"), description=_l("Untick to close the account without deleting it.")
    )


class WelcomeForm(CopForm):
    new_password, confirm_password = _new_password_fields()

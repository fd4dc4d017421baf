from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import update
from werkzeug.wrappers import Response

from cop.accounts.forms import (
    ChangePasswordForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from cop.accounts.logic import is_safe_redirect
from cop.accounts.models import SESSION_KEY, SignInSession, User
from cop.accounts.passwords import normalise_email, spend_as_long_as_a_check
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db, limiter
from cop.links import LinkError, issue_link, revoke_links
from cop.mail import queue_mail, site_url
from cop.stored_pages import stored_page
from cop.viewhelpers import form_status, link_problem_page, object_behind_link

blueprint = Blueprint("accounts", __name__)

RESET_PURPOSE = "password-reset"


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_rate_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _account_tried() -> str:
    """The account a sign-in or reset is for, as the key its attempts are counted under."""
    return "account:" + normalise_email(request.form.get("email", ""))


def limited_per_account_and_address(view: Any) -> Any:
    """Attempts count per account (a guesser is stopped whatever address they come from) and,
    more generously, per address (one office's shared address does not lock everyone out)."""
    view = limiter.limit(_login_rate_limit, key_func=_account_tried, methods=["POST"])(view)
    return limiter.limit(_address_rate_limit, methods=["POST"])(view)


def begin_session(user: User) -> None:
    """Sign this browser in under a session the server holds, so signing out can end it."""
    key = secrets.token_urlsafe(32)
    db.session.add(SignInSession(key=key, user_id=user.id))
    login_user(user)
    session[SESSION_KEY] = key
    # The form token its pages will carry, made now: the first page read after signing in then
    # leaves the session as it found it and can be kept (cop.stored_pages).
    generate_csrf()


def end_sessions(user: User) -> None:
    """End every session of a user (after their password changed)."""
    db.session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limited_per_account_and_address
def sign_in() -> str | Response:
    target = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(target if is_safe_redirect(target) else url_for("visits.home"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).filter_by(email=normalise_email(form.email.data)))
        if user is None:
            spend_as_long_as_a_check(form.password.data)
        elif user.check_password(form.password.data) and user.active:
            session.clear()
            begin_session(user)
            user.last_sign_in_at = utcnow()
            db.session.commit()
            return redirect(target if is_safe_redirect(target) else url_for("visits.home"))
        failed = True
        form.email.errors = [*form.email.errors, _("Enter a correct email address and password")]
    status = 401 if failed else 400 if form.errors else 200
    return render_template("accounts/sign_in.html", form=form, failed=failed), status


@blueprint.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    locale = session.get("locale")
    key = session.get(SESSION_KEY)
    if key:
        # The cookie may have been copied: the server forgets the session, so no copy works.
        db.session.execute(
            update(SignInSession)
            .where(SignInSession.key == key, SignInSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.session.commit()
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have signed out."), "success")
    return redirect(url_for("accounts.sign_in"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors = [_("Your current password is not correct")]
        else:
            user = current_user._get_current_object()
            user.set_password(form.new_password.data)
            revoke_links(RESET_PURPOSE, user.id)
            end_sessions(user)
            # The session version changed, so sign this browser in again under the new one.
            begin_session(user)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    status = form_status(form)
    return render_template("accounts/change_password.html", form=form), status


@blueprint.route("/account/reset", methods=["GET", "POST"])
@limited_per_account_and_address
def request_reset() -> str | Response:
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).filter_by(email=normalise_email(form.email.data)))
        if user is not None and user.active:
            revoke_links(RESET_PURPOSE, user.id)
            issued = issue_link(
                current_app.config["SECRET_KEY"],
                RESET_PURPOSE,
                user.id,
                valid_for=timedelta(seconds=current_app.config["PASSWORD_RESET_MAX_AGE"]),
            )
            queue_mail(
                user.email,
                "password_reset",
                user.locale or "en",
                user=user,
                link=site_url("accounts.reset_password", token=issued.token),
                minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
            )
            db.session.commit()
        # The same answer whether or not the address has an account, so it reveals nothing.
        return render_template("accounts/reset_sent.html", email=form.email.data)
    status = form_status(form)
    return render_template("accounts/request_reset.html", form=form), status


@blueprint.route("/account/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    try:
        user = object_behind_link(RESET_PURPOSE, token, User)
        if not user.active:
            raise LinkError("invalid")
    except LinkError as error:
        return link_problem_page(error)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.new_password.data)
        revoke_links(RESET_PURPOSE, user.id)
        end_sessions(user)
        db.session.commit()
        flash(_("Your password has been reset. You can now sign in."), "success")
        return redirect(url_for("accounts.sign_in"))
    db.session.commit()
    status = form_status(form)
    return render_template("accounts/reset_password.html", form=form, token=token), status


@blueprint.route("/account", methods=["GET", "POST"])
@stored_page
@login_required
def profile() -> str | Response | tuple[str, int]:
    person = current_user.person
    form = ProfileForm(obj=person)
    if request.method == "GET":
        form.locale.data = current_user.locale or str(session.get("locale") or "en")
    if form.validate_on_submit():
        if person is None:
            person = Person(email=current_user.email)
            db.session.add(person)
            current_user.person = person
        person.name = form.name.data
        person.job_title = form.job_title.data or ""
        person.languages = form.languages.joined
        person.access_needs = form.access_needs.data or ""
        person.dietary_needs = form.dietary_needs.data or ""
        person.signature = form.signature.data or ""
        person.preferred_language = form.locale.data
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("accounts.profile"))
    status = form_status(form)
    return render_template("accounts/profile.html", form=form), status


@blueprint.route("/language", methods=["POST"])
def switch_language() -> Response:
    """The language switcher: a plain form, so it works without JavaScript."""
    chosen = request.form.get("language", "")
    target = request.form.get("next")
    if chosen in current_app.config["LANGUAGES"]:
        session["locale"] = chosen
        if current_user.is_authenticated:
            current_user.locale = chosen
            if current_user.person is not None:
                current_user.person.preferred_language = chosen
            db.session.commit()
    return redirect(target if is_safe_redirect(target) else url_for("visits.home"))

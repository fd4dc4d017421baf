"""Accounts from the web: administrators invite people and give or take roles; a visit's lead
invites its members who have no account; an invited person chooses a password through their
own link. Nobody needs the command line after `cop start`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from cop import access
from cop.accounts import invitations
from cop.accounts.forms import InvitationForm, RoleFields, RolesForm, WelcomeForm
from cop.accounts.models import User
from cop.accounts.views import begin_session, end_sessions
from cop.database import utcnow
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.links import LinkError, lifetime_of
from cop.mail import mail_person
from cop.stored_pages import stored_page
from cop.viewhelpers import (
    child_of_visit,
    form_status,
    link_problem_page,
    mailed_link,
    object_behind_link,
    paginate,
)
from cop.visits.models import Membership, Programme, Visit

blueprint = Blueprint("admin_accounts", __name__)


def _programme_choices(form: RoleFields) -> None:
    form.programmes.choices = options(
        (p.id, p.name) for p in db.session.scalars(select(Programme).order_by(Programme.name))
    )


def _roles(form: RoleFields) -> invitations.Roles:
    return invitations.Roles(
        admin=form.admin.data,
        organiser=form.organiser.data,
        researcher=form.researcher.data,
        programme_ids=frozenset(form.programmes.data or []),
    )


def send_invitation(user: User, visit: Visit | None = None) -> None:
    """Mail the person their own invitation link (the same link when sent again)."""
    mail_person(
        user.person,
        "invitation",
        link=mailed_link(invitations.PURPOSE, user.id, user.person_id, "admin_accounts.welcome"),
        inviter=current_user.display_name,
        visit=visit,
        days=lifetime_of(invitations.PURPOSE).days,
    )


@blueprint.route("/admin/accounts")
@stored_page
@access.admin_required
def accounts() -> str:
    page = paginate(select(User).order_by(User.email))
    return render_template(
        "admin/accounts.html",
        page=page,
        pending=invitations.pending_among([user.id for user in page.items]),
        role_names=_role_names,
    )


def _role_names(user: User) -> list[str]:
    held = ((user.is_admin, _("Administrator")), (user.is_organiser, _("Organiser")))
    return [name for has, name in (*held, (user.is_researcher, _("Researcher"))) if has]


@blueprint.route("/admin/accounts/invite", methods=["GET", "POST"])
@access.admin_required
def invite() -> Any:
    form = InvitationForm()
    _programme_choices(form)
    if form.validate_on_submit():
        try:
            user = invitations.invite(
                db.session, form.email.data, form.name.data, form.language.data, _roles(form)
            )
        except invitations.InvitationProblem:
            form.email.errors = [_("This address already has an account.")]
        else:
            send_invitation(user)
            db.session.commit()
            flash(_("An invitation has been sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("admin_accounts.accounts"))
    return render_template("admin/invite.html", form=form), form_status(form)


@blueprint.route("/admin/accounts/<int:user_id>", methods=["GET", "POST"])
@stored_page
@access.admin_required
def account(user_id: int) -> Any:
    user = db.get_or_404(User, user_id)
    held = invitations.roles_of(db.session, user)
    form = (
        RolesForm()
        if request.method == "POST"
        else RolesForm(
            formdata=None,
            admin=held.admin,
            organiser=held.organiser,
            researcher=held.researcher,
            programmes=sorted(held.programme_ids),
            active=user.active,
        )
    )
    _programme_choices(form)
    if form.validate_on_submit():
        if user.id == current_user.id and not (form.admin.data and form.active.data):
            # An installation must keep someone who can manage accounts.
            form.admin.errors = [_("You cannot take away your own administration or access.")]
        else:
            invitations.set_roles(db.session, user, _roles(form))
            if user.active and not form.active.data:
                end_sessions(user)
            user.active = form.active.data
            db.session.commit()
            flash(_("The account of %(email)s is saved.", email=user.email), "success")
            return redirect(url_for("admin_accounts.accounts"))
    return render_template(
        "admin/account.html",
        user=user,
        form=form,
        pending=invitations.is_pending(user),
        empty_form=EmptyForm(),
    ), form_status(form)


@blueprint.route("/admin/accounts/<int:user_id>/resend", methods=["POST"])
@access.admin_required
def resend(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit() or not invitations.is_pending(user):
        abort(400)
    send_invitation(user)
    db.session.commit()
    flash(_("The invitation has been sent again to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin_accounts.account", user_id=user.id))


@blueprint.route("/admin/accounts/<int:user_id>/withdraw", methods=["GET", "POST"])
@access.admin_required
def withdraw(user_id: int) -> Any:
    """A confirmation page first: withdrawing removes the account (the person stays)."""
    user = db.get_or_404(User, user_id)
    if not invitations.is_pending(user):
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        email = user.email
        invitations.withdraw(db.session, user)
        db.session.commit()
        flash(_("The invitation to %(email)s is withdrawn.", email=email), "success")
        return redirect(url_for("admin_accounts.accounts"))
    return render_template("admin/withdraw.html", user=user, form=form)


@blueprint.route("/visits/<int:visit_id>/members/<int:membership_id>/invite", methods=["POST"])
@login_required
def invite_member(visit_id: int, membership_id: int) -> Response:
    """A lead invites a member who has no account (hosts and interpreters may also keep working
    through their links)."""
    visit = access.visit_for(visit_id, manage=True)
    membership = child_of_visit(visit, Membership, membership_id)
    person = membership.person
    if not EmptyForm().validate_on_submit():
        abort(400)
    if person.user is not None or not person.email:
        flash(
            _("%(name)s cannot be invited: they have an account or no address.", name=person.name),
            "error",
        )
        return redirect(url_for("visits.members", visit_id=visit.id))
    user = invitations.invite(
        db.session, person.email, person.name, person.preferred_language or "en"
    )
    send_invitation(user, visit)
    db.session.commit()
    flash(_("An invitation has been sent to %(name)s.", name=person.name), "success")
    return redirect(url_for("visits.members", visit_id=visit.id))


@blueprint.route("/account/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str) -> Any:
    """The invited person chooses their password, and is signed in."""
    try:
        user = object_behind_link(invitations.PURPOSE, token, User)
        if not user.active:
            raise LinkError("invalid")
    except LinkError as error:
        return link_problem_page(error)
    form = WelcomeForm()
    if form.validate_on_submit():
        invitations.accept(db.session, user, form.new_password.data)
        begin_session(user)
        user.last_sign_in_at = utcnow()
        db.session.commit()
        flash(_("Welcome to cop. Your password is saved and you are signed in."), "success")
        return redirect(url_for("visits.home"))
    return render_template("accounts/welcome.html", form=form, user=user), form_status(form)

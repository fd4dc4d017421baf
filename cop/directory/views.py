from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from cop import access
from cop.accounts.logic import is_safe_redirect
from cop.directory import handover
from cop.directory.forms import HandOverForm, OrganisationForm, PersonForm
from cop.directory.models import Organisation, OrganisationKind, Person
from cop.directory.queries import organisation_choices, search_organisations, search_people
from cop.extensions import db
from cop.formatting import format_moment
from cop.forms import options
from cop.stored_pages import stored_page
from cop.viewhelpers import commit_written, form_status, paginate, search_text, with_chosen
from cop.visits.models import Membership

blueprint = Blueprint("directory", __name__)

NO_ORGANISATION = 0


@blueprint.route("/organisations")
@stored_page
@login_required
def organisations() -> str:
    text = search_text()
    page = paginate(search_organisations(text))
    return render_template(
        "directory/organisations.html",
        page=page,
        q=text,
        can_organise=access.can_organise(current_user),
    )


@blueprint.route("/organisations/<int:organisation_id>")
@stored_page
@login_required
def organisation(organisation_id: int) -> str:
    found = db.get_or_404(Organisation, organisation_id)
    people = paginate(search_people(organisation_id=found.id))
    return render_template(
        "directory/organisation.html",
        organisation=found,
        people=people,
        can_organise=access.can_organise(current_user),
    )


def _save_organisation(form: OrganisationForm, organisation: Organisation) -> bool:
    duplicate = db.session.scalar(
        select(Organisation.id).where(
            Organisation.name == form.name.data, Organisation.id != organisation.id
        )
    )
    if duplicate is not None:
        form.name.errors = [*form.name.errors, _("An organisation with this name already exists")]
        return False
    organisation.name = form.name.data
    organisation.kind = OrganisationKind(form.kind.data)
    organisation.city = form.city.data or ""
    organisation.description = form.description.data or ""
    organisation.country = form.country.data
    organisation.subdivision = (form.subdivision.data or "").upper() or None
    organisation.language = form.language.data
    organisation.time_zone = form.time_zone.data
    return True


@blueprint.route("/organisations/new", methods=["GET", "POST"])
@access.organiser_required
def new_organisation() -> str | Response | tuple[str, int]:
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = Organisation()
        if _save_organisation(form, organisation):
            db.session.add(organisation)
            commit_written(organisation)
            flash(_("The organisation has been added."), "success")
            return redirect(url_for("directory.organisation", organisation_id=organisation.id))
    status = form_status(form)
    return render_template("directory/organisation_form.html", form=form, organisation=None), status


@blueprint.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@access.organiser_required
def edit_organisation(organisation_id: int) -> str | Response | tuple[str, int]:
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.kind.data = organisation.kind.value
    if form.validate_on_submit() and _save_organisation(form, organisation):
        commit_written(organisation)
        flash(_("The organisation has been saved."), "success")
        return redirect(url_for("directory.organisation", organisation_id=organisation.id))
    if request.method == "POST":
        db.session.rollback()
    status = form_status(form)
    return render_template(
        "directory/organisation_form.html", form=form, organisation=organisation
    ), status


@blueprint.route("/people")
@stored_page
@login_required
def people() -> str:
    text = search_text()
    page = paginate(search_people(text))
    return render_template(
        "directory/people.html",
        page=page,
        q=text,
        can_organise=access.can_organise(current_user),
    )


@blueprint.route("/people/<int:person_id>")
@stored_page
@login_required
def person(person_id: int) -> str:
    found = db.session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .options(selectinload(Person.memberships).joinedload(Membership.visit))
    )
    if found is None:
        abort(404)
    visible = access.visible_visit_ids(current_user)
    memberships = [
        membership
        for membership in found.memberships
        if visible is None or membership.visit_id in visible
    ]
    return render_template(
        "directory/person.html",
        person=found,
        memberships=memberships,
        show_special_category=access.can_see_special_category(current_user, found),
        can_edit=access.can_edit_person(current_user, found),
        can_record_consent=access.can_record_consent_for(current_user, found),
        can_hand_over=access.can_hand_over(current_user, found),
        hand_overs=handover.hand_overs_of(db.session, found.id),
    )


@blueprint.route("/people/<int:person_id>/hand-over", methods=["GET", "POST"])
@login_required
def hand_over(person_id: int) -> Any:
    """Someone leaves their post: a lead gives their open actions, contacts to keep up and the
    correspondence they answered to a successor, and both people's pages keep the record."""
    leaver = db.get_or_404(Person, person_id)
    if not access.can_hand_over(current_user, leaver):
        abort(403)
    leaving = handover.what_they_leave(db.session, leaver.id, access.visits_led_by(current_user))
    form = HandOverForm()
    colleagues = db.session.scalars(
        select(Person)
        .where(
            Person.id != leaver.id,
            Person.organisation_id == leaver.organisation_id
            if leaver.organisation_id is not None
            else Person.id.in_(select(Membership.person_id)),
        )
        .order_by(Person.name)
        .limit(500)
    ).all()
    form.successor_id.choices = options((p.id, p.name) for p in colleagues)
    form.action_ids.choices = options((a.id, a.title) for a in leaving.actions)
    form.contact_ids.choices = options((p.id, p.name) for p in leaving.contacts)
    form.thread_ids.choices = options((t.id, t.subject) for t in leaving.threads)
    if request.method == "GET":
        form.action_ids.data = [a.id for a in leaving.actions]
        form.contact_ids.data = [p.id for p in leaving.contacts]
        form.thread_ids.data = [t.id for t in leaving.threads]
    if form.validate_on_submit():
        successor = db.session.get(Person, form.successor_id.data)
        record = handover.hand_over(
            db.session,
            leaver,
            successor,
            by_user_id=current_user.id,
            by_person_id=current_user.person_id,
            leaving=leaving,
            action_ids=form.action_ids.data or [],
            contact_ids=form.contact_ids.data or [],
            thread_ids=form.thread_ids.data or [],
            note=form.note.data or "",
            timeline_note=_(
                "Handed over from %(leaver)s to %(successor)s.",
                leaver=leaver.name,
                successor=successor.name,
            ),
        )
        db.session.commit()
        flash(
            _(
                "The work of %(leaver)s is handed over to %(name)s (%(when)s).",
                leaver=leaver.name,
                name=successor.name,
                when=format_moment(record.created_at),
            ),
            "success",
        )
        return redirect(url_for("directory.person", person_id=successor.id))
    return render_template(
        "directory/hand_over.html", form=form, leaver=leaver, leaving=leaving
    ), form_status(form)


def _person_form(person: Person | None) -> PersonForm:
    form = PersonForm(obj=person)
    form.organisation_id.choices = options(
        [(NO_ORGANISATION, _("No organisation")), *organisation_choices(db.session)]
    )
    if request.method == "GET" and person is not None:
        form.organisation_id.data = person.organisation_id or NO_ORGANISATION
    return form


def _save_person(form: PersonForm, person: Person) -> bool:
    email = (form.email.data or "").lower() or None
    if email is not None:
        duplicate = db.session.scalar(
            select(Person.id).where(Person.email == email, Person.id != person.id)
        )
        if duplicate is not None:
            form.email.errors = [
                *form.email.errors,
                _("Someone with this email address is already in the directory"),
            ]
            return False
    person.name = form.name.data
    person.email = email
    person.organisation_id = form.organisation_id.data or None
    person.job_title = form.job_title.data or ""
    person.languages = form.languages.joined
    person.preferred_language = form.preferred_language.data
    return True


@blueprint.route("/people/new", methods=["GET", "POST"])
@access.organiser_required
def new_person() -> str | Response | tuple[str, int]:
    form = _person_form(None)
    if form.validate_on_submit():
        person = Person()
        if _save_person(form, person):
            db.session.add(person)
            db.session.commit()
            flash(_("%(name)s has been added to the directory.", name=person.name), "success")
            back = request.args.get("next")
            if is_safe_redirect(back):
                # Back where the person was being chosen, with them chosen.
                return redirect(with_chosen(back, person.id))
            return redirect(url_for("directory.person", person_id=person.id))
    status = form_status(form)
    return render_template("directory/person_form.html", form=form, person=None), status


@blueprint.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit_person(person_id: int) -> str | Response | tuple[str, int]:
    person = db.get_or_404(Person, person_id)
    if not access.can_edit_person(current_user, person):
        abort(403)
    form = _person_form(person)
    if form.validate_on_submit() and _save_person(form, person):
        db.session.commit()
        flash(_("The person has been saved."), "success")
        return redirect(url_for("directory.person", person_id=person.id))
    if request.method == "POST":
        db.session.rollback()
    status = form_status(form)
    return render_template("directory/person_form.html", form=form, person=person), status

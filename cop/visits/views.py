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
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from cop import access
from cop.database import utcnow
from cop.directory.models import Organisation, Person
from cop.directory.queries import organisations_with_places
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.links import revoke_visit_links
from cop.polls.queries import polls_of_visit
from cop.stored_pages import stored_page
from cop.viewhelpers import (
    child_of_visit,
    commit_written,
    form_status,
    offer_people,
    paginate,
    search_text,
)
from cop.visits import logic, task_rows
from cop.visits.forms import MemberForm, ProgrammeForm, StatusForm, VisitForm
from cop.visits.models import Membership, MembershipRole, Programme, Visit, VisitStatus
from cop.visits.queries import (
    members_of_visit,
    search_programmes,
    search_visits,
    visit_counts,
    visits_of_person,
)
from cop.visits.tasks import (
    State,
    member_tasks,
    members_tasks,
    today_at,
    visit_tasks,
)

blueprint = Blueprint("visits", __name__)

NOTHING_CHOSEN = 0


@blueprint.route("/")
@stored_page
@login_required
def home() -> str:
    memberships = []
    tasks: dict[int, list] = {}
    if current_user.person_id is not None:
        memberships = db.session.scalars(visits_of_person(current_user.person_id)).unique().all()
        current = [m for m in memberships if m.visit.status is not VisitStatus.EVALUATED]
        lists = members_tasks(
            db.session,
            current_user.person_id,
            {m.visit_id: m.role for m in current},
            [m.visit for m in current],
            utcnow(),
        )
        for membership in current:
            rows = task_rows.rows(membership.visit, lists[membership.visit_id])
            tasks[membership.visit_id] = [row for row in rows if row.state is not State.DONE]
    return render_template(
        "visits/home.html",
        memberships=memberships,
        tasks=tasks,
        can_organise=access.can_organise(current_user),
    )


@blueprint.route("/visits")
@stored_page
@login_required
def visits() -> str:
    text = search_text()
    status = request.args.get("status", "")
    page = paginate(search_visits(access.visible_visits_filter(current_user), text, status))
    return render_template(
        "visits/visits.html",
        page=page,
        q=text,
        status=status,
        statuses=list(VisitStatus),
        can_organise=access.can_organise(current_user),
    )


def _visit_form(visit: Visit | None) -> VisitForm:
    form = VisitForm(obj=visit)
    programmes = db.session.execute(select(Programme.id, Programme.name).order_by(Programme.name))
    form.programme_id.choices = options(
        [(NOTHING_CHOSEN, _("No programme")), *((row.id, row.name) for row in programmes)]
    )
    form.host_organisation_id.choices = [
        SelectChoice(NOTHING_CHOSEN, _("Not yet known")),
        *(
            SelectChoice(
                organisation.id,
                organisation.name,
                {
                    "data-city": organisation.city,
                    "data-country": organisation.country,
                    "data-time-zone": organisation.time_zone,
                    "data-language": organisation.language,
                },
            )
            for organisation in organisations_with_places(db.session)
        ),
    ]
    if request.method == "GET" and visit is not None:
        form.programme_id.data = visit.programme_id or NOTHING_CHOSEN
        form.host_organisation_id.data = visit.host_organisation_id or NOTHING_CHOSEN
    return form


def _fill_visit(form: VisitForm, visit: Visit) -> bool:
    """The visit as the form says; True when dates were given to a visit that had none, which
    agrees them and moves the visit on (see logic.agree_dates)."""
    had_dates = visit.start_date is not None
    visit.title = form.title.data
    visit.objective = form.objective.data or ""
    visit.programme_id = form.programme_id.data or None
    visit.host_organisation_id = form.host_organisation_id.data or None
    visit.host_city = form.host_city.data or ""
    visit.host_country = form.host_country.data or ""
    visit.time_zone = form.time_zone.data or ""
    visit.languages = form.languages.joined
    host = db.session.get(Organisation, visit.host_organisation_id or NOTHING_CHOSEN)
    logic.take_from_host(visit, host)
    first, last = form.start_date.data, form.end_date.data
    if first is not None and not had_dates:
        return logic.agree_dates(visit, first, last)
    visit.start_date, visit.end_date = first, last
    return False


@blueprint.route("/visits/new", methods=["GET", "POST"])
@access.organiser_required
def new_visit() -> str | Response | tuple[str, int]:
    form = _visit_form(None)
    if request.method == "GET":
        form.languages.data = ["en"]
        # "Plan a visit in this programme" arrives with the programme chosen.
        form.programme_id.data = request.args.get("programme_id", NOTHING_CHOSEN, type=int)
    if form.validate_on_submit():
        visit = Visit(status=VisitStatus.IDEA)
        _fill_visit(form, visit)
        logic.start_visit(db.session, visit, current_user.person_id, _("Created the visit"))
        commit_written(visit)
        flash(_("The visit has been created."), "success")
        return redirect(url_for("visits.visit", visit_id=visit.id))
    status = form_status(form)
    return render_template("visits/visit_form.html", form=form, visit=None), status


@blueprint.route("/visits/<int:visit_id>")
@stored_page
@login_required
def visit(visit_id: int) -> str:
    found = access.visit_for(visit_id)
    members = db.session.scalars(members_of_visit(found.id)).unique().all()
    can_manage = access.can_manage_visit(current_user, found)
    status_form = StatusForm()
    status_form.status.choices = options(
        (status.value, status.label) for status in logic.neighbouring_statuses(found.status)
    )
    polls = db.session.scalars(polls_of_visit(found.id)).all()
    today = today_at(found, utcnow())
    sections = (
        task_rows.sections(found, visit_tasks(db.session, found, today)) if can_manage else []
    )
    mine = []
    if current_user.person_id is not None:
        mine = task_rows.rows(
            found, member_tasks(db.session, found, current_user.person_id, utcnow())
        )
    return render_template(
        "visits/visit.html",
        visit=found,
        polls=polls,
        task_sections=sections,
        my_tasks=mine,
        members=members,
        can_manage=can_manage,
        can_read_report=access.can_read_evaluation(current_user, found),
        can_see_planning=access.can_see_planning(current_user, found),
        # From the members already read: a host records their side of the visit.
        is_host=any(
            m.person_id == current_user.person_id and m.role is MembershipRole.HOST for m in members
        ),
        can_read_records=access.belongs_to_visit(current_user, found),
        can_correct_translations=access.can_correct_translations(current_user, found),
        status_form=status_form,
        remove_form=EmptyForm(),
    )


@blueprint.route("/visits/<int:visit_id>/edit", methods=["GET", "POST"])
@login_required
def edit_visit(visit_id: int) -> str | Response | tuple[str, int]:
    found = access.visit_for(visit_id, manage=True)
    form = _visit_form(found)
    if form.validate_on_submit():
        moved_on = _fill_visit(form, found)
        commit_written(found)
        flash(_("The visit has been saved."), "success")
        if moved_on:
            flash(_("The visit is now: %(status)s.", status=found.status.label), "success")
        return redirect(url_for("visits.visit", visit_id=found.id))
    status = form_status(form)
    return render_template("visits/visit_form.html", form=form, visit=found), status


@blueprint.route("/visits/<int:visit_id>/status", methods=["POST"])
@login_required
def change_status(visit_id: int) -> Response:
    found = access.visit_for(visit_id, manage=True)
    form = StatusForm()
    form.status.choices = options(VisitStatus.choices())
    if not form.validate_on_submit() or not logic.can_move(
        found.status, VisitStatus(form.status.data)
    ):
        abort(400)
    found.status = VisitStatus(form.status.data)
    db.session.commit()
    flash(_("The visit is now: %(status)s.", status=found.status.label), "success")
    return redirect(url_for("visits.visit", visit_id=found.id))


@blueprint.route("/visits/<int:visit_id>/members", methods=["GET", "POST"])
@stored_page
@login_required
def members(visit_id: int) -> str | Response | tuple[str, int]:
    found = access.visit_for(visit_id, manage=True)
    form = MemberForm()
    form.role.choices = options(MembershipRole.choices())
    if request.method == "GET":
        form.role.data = MembershipRole.PARTICIPANT.value
    not_members = select(Person).where(
        Person.id.not_in(select(Membership.person_id).where(Membership.visit_id == found.id))
    )
    picker = offer_people(form.person_ids, not_members)
    if form.validate_on_submit():
        role = MembershipRole(form.role.data)
        added = logic.add_members(
            db.session, found, form.person_ids.data, role, form.selection_reason.data or ""
        )
        db.session.commit()
        names = ", ".join(membership.person.name for membership in added)
        flash(
            ngettext(
                "%(names)s has been added as %(role)s.",
                "%(num)s people have been added as %(role)s: %(names)s.",
                len(added),
                names=names,
                role=role.label,
            ),
            "success",
        )
        return redirect(url_for("visits.members", visit_id=found.id))
    rows = db.session.scalars(members_of_visit(found.id)).unique().all()
    status = form_status(form)
    return render_template(
        "visits/members.html",
        visit=found,
        members=rows,
        form=form,
        picker=picker,
        remove_form=EmptyForm(),
        # Special-category data: the leads of this visit, not administrators managing it.
        show_needs=access.visit_role(current_user, found) == MembershipRole.LEAD,
    ), status


@blueprint.route(
    "/visits/<int:visit_id>/members/<int:membership_id>/remove", methods=["GET", "POST"]
)
@login_required
def remove_member(visit_id: int, membership_id: int) -> Any:
    """A confirmation page first, saying what removing does; the removal on its button."""
    found = access.visit_for(visit_id, manage=True)
    membership = child_of_visit(found, Membership, membership_id)
    if request.method == "GET":
        return render_template(
            "visits/remove_member.html", visit=found, membership=membership, form=EmptyForm()
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    roles = list(db.session.scalars(select(Membership.role).where(Membership.visit_id == found.id)))
    if logic.would_leave_no_lead(roles, membership.role):
        flash(_("A visit needs at least one lead. Add another lead first."), "error")
        return redirect(url_for("visits.members", visit_id=found.id))
    name = membership.person.name
    # Links given because they were in the visit (the protocol's, say) stop working now.
    revoke_visit_links(found.id, membership.person_id)
    logic.remove_member(db.session, membership)
    db.session.commit()
    flash(_("%(name)s has been removed from the visit.", name=name), "success")
    return redirect(url_for("visits.members", visit_id=found.id))


@blueprint.route("/programmes")
@stored_page
@login_required
def programmes() -> str:
    text = search_text()
    page = paginate(search_programmes(text))
    return render_template(
        "visits/programmes.html",
        page=page,
        q=text,
        visit_counts=visit_counts(db.session, [programme.id for programme in page.items]),
        can_organise=access.can_organise(current_user),
    )


@blueprint.route("/programmes/new", methods=["GET", "POST"])
@access.organiser_required
def new_programme() -> str | Response | tuple[str, int]:
    form = ProgrammeForm()
    if request.method == "GET":
        form.reporting_currency.data = "GBP"
    if form.validate_on_submit():
        name = form.name.data
        if db.session.scalar(select(Programme.id).where(Programme.name == name)):
            form.name.errors = [_("A programme with this name already exists")]
        else:
            programme = Programme(
                name=name,
                description=form.description.data or "",
                reporting_currency=form.reporting_currency.data.upper(),
            )
            logic.start_programme(db.session, programme)
            db.session.commit()
            flash(_("The programme has been created."), "success")
            return redirect(url_for("visits.programme", programme_id=programme.id))
    status = form_status(form)
    return render_template("visits/programme_form.html", form=form), status


@blueprint.route("/programmes/<int:programme_id>")
@stored_page
@login_required
def programme(programme_id: int) -> str:
    found = db.get_or_404(Programme, programme_id)
    page = paginate(
        search_visits(access.visible_visits_filter(current_user)).where(
            Visit.programme_id == found.id
        )
    )
    return render_template(
        "visits/programme.html",
        programme=found,
        page=page,
        can_analyse=access.can_analyse_programme(current_user, found.id),
        can_research=access.researches_programme(current_user, found.id),
        can_organise=access.can_organise(current_user),
    )

"""Actions at home: from a learning point to a change in Glasgow or Fife, followed over time."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cop import access
from cop.actions.models import Action, ActionStatus, ActionUpdate
from cop.directory.models import Organisation, Person
from cop.extensions import db
from cop.forms import options
from cop.reflections import logic
from cop.reflections.forms import ActionForm, ActionUpdateForm
from cop.reflections.models import Passage, Reflection
from cop.reflections.reminders import REFLECTING_ROLES
from cop.stored_pages import stored_page
from cop.viewhelpers import child_of_visit, form_status, paginate
from cop.visits.models import Membership, Visit

blueprint = Blueprint("actions", __name__)

NO_THEME = 0
GROUPINGS = ("organisation", "theme", "status")


def may_change(action: Action, visit: Visit) -> bool:
    return action.owner_id == current_user.person_id or access.can_manage_visit(current_user, visit)


def _action_of(visit: Visit, action_id: int) -> Action:
    return child_of_visit(visit, Action, action_id)


def _grouped(actions: list[Action], by: str) -> list[tuple[str, list[Action]]]:
    groups: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        if by == "theme":
            key = logic.code_name(action.theme) if action.theme else _("No theme given")
        elif by == "status":
            key = action.status.label
        else:
            key = action.organisation.name if action.organisation else _("No organisation")
        groups[key].append(action)
    if by == "status":
        order = [status.label for status in ActionStatus]
        return sorted(groups.items(), key=lambda item: order.index(item[0]))
    return sorted(groups.items())


def _action_list(where: Any, **context: Any) -> str:
    by = request.args.get("by", "organisation")
    if by not in GROUPINGS:
        by = "organisation"
    # Ordered by the grouping first, so that a group is not scattered over the pages.
    first = {
        "organisation": Organisation.name,
        "theme": Action.theme_id,
        "status": Action.status,
    }[by]
    page = paginate(
        select(Action)
        .outerjoin(Organisation, Organisation.id == Action.organisation_id)
        .where(where)
        .options(
            selectinload(Action.owner),
            selectinload(Action.organisation),
            selectinload(Action.theme),
            selectinload(Action.visit),
        )
        .order_by(first.nulls_last(), Action.target_date.nulls_last(), Action.id)
    )
    by_status = dict(
        db.session.execute(
            select(Action.status, func.count(Action.id)).where(where).group_by(Action.status)
        ).all()
    )
    counts = {status: by_status.get(status, 0) for status in ActionStatus}
    return render_template(
        "reflections/actions.html",
        groups=_grouped(list(page.items), by),
        page=page,
        by=by,
        counts=counts,
        total=sum(counts.values()),
        **context,
    )


@blueprint.route("/visits/<int:visit_id>/actions")
@stored_page
@login_required
def visit_actions(visit_id: int) -> str:
    visit = access.visit_for(visit_id)
    return _action_list(
        Action.visit_id == visit.id,
        visit=visit,
        programme=None,
        can_add=access.reflects_on_visit(current_user, visit)
        or access.can_manage_visit(current_user, visit),
    )


@blueprint.route("/programmes/<int:programme_id>/actions")
@stored_page
@login_required
def programme_actions(programme_id: int) -> str:
    programme = access.programme_for(programme_id)
    return _action_list(
        Action.visit_id.in_(select(Visit.id).where(Visit.programme_id == programme.id)),
        visit=None,
        programme=programme,
        can_add=False,
    )


def _prepare(form: ActionForm, visit: Visit, manager: bool) -> None:
    if manager:
        owners = db.session.execute(
            select(Person.id, Person.name)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.visit_id == visit.id, Membership.role.in_(REFLECTING_ROLES))
            .order_by(Person.name)
        ).all()
        form.owner_id.choices = options((o.id, o.name) for o in owners)
    else:
        form.owner_id.choices = options([(current_user.person_id, current_user.person.name)])
    themes = []
    if visit.programme_id is not None:
        themes = logic.learning_themes(db.session, visit.programme_id)
    form.theme_id.choices = options(
        [(NO_THEME, _("None")), *((t.id, logic.code_name(t)) for t in themes)]
    )
    form.status.choices = options(ActionStatus.choices())


def _fill(action: Action, form: ActionForm) -> None:
    owner_changed = action.owner_id != form.owner_id.data
    action.title = form.title.data
    action.owner_id = form.owner_id.data
    if owner_changed or action.organisation_id is None:
        owner = db.session.get(Person, form.owner_id.data)
        action.organisation_id = owner.organisation_id if owner else None
    action.learning_point = form.learning_point.data or ""
    action.theme_id = form.theme_id.data or None
    action.adaptation = form.adaptation.data or ""
    action.target_date = form.target_date.data
    action.evidence = form.evidence.data or ""


@blueprint.route("/visits/<int:visit_id>/actions/new", methods=["GET", "POST"])
@login_required
def new_action(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    manager = access.can_manage_visit(current_user, visit)
    if not (manager or access.reflects_on_visit(current_user, visit)):
        abort(403)
    if current_user.person_id is None and not manager:
        abort(403)
    form = ActionForm()
    _prepare(form, visit, manager)
    passage = _learning_point(visit, request.args.get("passage", type=int))
    if request.method == "GET":
        form.owner_id.data = current_user.person_id
        if passage is not None:
            form.learning_point.data = passage.text
    if form.validate_on_submit():
        action = Action(visit_id=visit.id, passage_id=passage.id if passage else None)
        _fill(action, form)
        action.status = ActionStatus(form.status.data)
        action.updates = [
            ActionUpdate(author_id=current_user.person_id, status=action.status, note="")
        ]
        db.session.add(action)
        db.session.commit()
        flash(_("The action has been recorded."), "success")
        return redirect(url_for("actions.action", visit_id=visit.id, action_id=action.id))
    return render_template(
        "reflections/action_form.html", visit=visit, form=form, action=None, passage=passage
    ), form_status(form)


def _learning_point(visit: Visit, passage_id: int | None) -> Passage | None:
    """A passage of the current user's own reflection on this visit, to start an action from."""
    if not passage_id:
        return None
    passage = db.session.get(Passage, passage_id)
    if passage is None:
        return None
    reflection = db.session.get(Reflection, passage.reflection_id)
    if reflection.visit_id != visit.id or reflection.person_id != current_user.person_id:
        return None
    return passage


@blueprint.route("/visits/<int:visit_id>/actions/<int:action_id>", methods=["GET", "POST"])
@stored_page
@login_required
def action(visit_id: int, action_id: int) -> Any:
    visit = access.visit_for(visit_id)
    found = _action_of(visit, action_id)
    can_change = may_change(found, visit)
    form = ActionUpdateForm(status=found.status.value)
    form.status.choices = options(ActionStatus.choices())
    if request.method == "POST":
        if not can_change:
            abort(403)
        if form.validate_on_submit():
            new_status = ActionStatus(form.status.data)
            found.updates.append(
                ActionUpdate(
                    author_id=current_user.person_id,
                    status=new_status if new_status is not found.status else None,
                    note=form.note.data,
                )
            )
            found.status = new_status
            if form.evidence.data:
                found.evidence = "\n\n".join(
                    part for part in (found.evidence, form.evidence.data) if part
                )
            db.session.commit()
            flash(_("The update has been added to the action’s timeline."), "success")
            return redirect(url_for("actions.action", visit_id=visit.id, action_id=found.id))
    updates = db.session.scalars(
        select(ActionUpdate)
        .where(ActionUpdate.action_id == found.id)
        .options(selectinload(ActionUpdate.author))
        .order_by(ActionUpdate.created_at, ActionUpdate.id)
    ).all()
    return render_template(
        "reflections/action.html",
        visit=visit,
        action=found,
        updates=updates,
        form=form,
        can_change=can_change,
        theme_name=logic.code_name(found.theme) if found.theme else "",
    ), form_status(form)


@blueprint.route("/visits/<int:visit_id>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(visit_id: int, action_id: int) -> Any:
    visit = access.visit_for(visit_id)
    found = _action_of(visit, action_id)
    if not may_change(found, visit):
        abort(403)
    manager = access.can_manage_visit(current_user, visit)
    form = ActionForm(obj=found if request.method == "GET" else None)
    _prepare(form, visit, manager)
    if request.method == "GET":
        form.theme_id.data = found.theme_id or NO_THEME
        form.status.data = found.status.value
    if form.validate_on_submit():
        _fill(found, form)
        new_status = ActionStatus(form.status.data)
        if new_status is not found.status:
            found.updates.append(
                ActionUpdate(author_id=current_user.person_id, status=new_status, note="")
            )
            found.status = new_status
        db.session.commit()
        flash(_("The action has been saved."), "success")
        return redirect(url_for("actions.action", visit_id=visit.id, action_id=found.id))
    return render_template(
        "reflections/action_form.html", visit=visit, form=form, action=found, passage=None
    ), form_status(form)

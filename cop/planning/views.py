from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.database import utcnow
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.planning import logic, rates
from cop.planning.forms import CostForm, CostRateForm, EffortForm, HostForm, TaskForm
from cop.planning.models import (
    Cost,
    CostCategory,
    EffortCategory,
    EffortEntry,
    HostContribution,
    PlanningTask,
    TaskStatus,
)
from cop.planning.queries import cost_rows, effort_rows
from cop.planning.rates import reporting_currency
from cop.stored_pages import stored_page
from cop.viewhelpers import child_of_visit, csv_download, form_status
from cop.visits.models import MembershipRole, Visit
from cop.visits.queries import members_of_visit
from cop.visits.tasks import ticked_checks

blueprint = Blueprint("planning", __name__)

CHECKLIST_TITLES = {
    "objective": _l("Objective agreed and the problem at home it serves written down"),
    "coordinator": _l("A named coordinator on each side"),
    "dates": _l("Dates agreed with the host (public holidays checked)"),
    "agenda": _l("Formal agenda with names, titles and short bios"),
    "invitations": _l("Invitations sent"),
    "travel": _l("Travel booked (passports valid for Schengen, insurance)"),
    "accommodation": _l("Accommodation booked"),
    "budget": _l("Budget agreed and who pays"),
    "access_needs": _l("Access and dietary needs asked for, with explicit consent"),
    "interpreter_booked": _l("Interpreter booked"),
    "interpreter_briefed": _l("Interpreter briefed (agenda, glossary, documents, names)"),
    "social_media": _l("Social-media protocol agreed with the host"),
    "consents": _l("Photo, video and interview consents collected"),
    "privacy_notice": _l("Privacy notice given; sharing the participant list abroad agreed"),
    "thank_you": _l("Thank-you letters sent"),
}
RECENT_ROWS = 50


def checklist_title(task: PlanningTask) -> str:
    """A standard check in the reader's language (cop's own words, from the catalogues); a
    check someone wrote, as written."""
    return str(CHECKLIST_TITLES[task.key]) if task.key in CHECKLIST_TITLES else task.title


NO_OWNER = 0


def _members(visit: Visit) -> list:
    return list(db.session.scalars(members_of_visit(visit.id)).unique())


def _effort_form(visit: Visit, members: list, can_manage: bool) -> EffortForm:
    form = EffortForm(prefix="effort")
    if can_manage:
        form.person_id.choices = options((m.person.id, m.person.name) for m in members)
    else:
        form.person_id.choices = options([(current_user.person_id, current_user.display_name)])
    form.category.choices = options(EffortCategory.choices())
    if request.method == "GET":
        form.person_id.data = current_user.person_id
        form.day.data = utcnow().date()
    return form


def _cost_form(visit: Visit) -> CostForm:
    form = CostForm(prefix="cost")
    form.category.choices = options(CostCategory.choices())
    if request.method == "GET":
        form.day.data = utcnow().date()
        form.currency.data = reporting_currency(visit)
    return form


def _render(
    visit: Visit,
    effort_form: EffortForm,
    cost_form: CostForm,
    status: int = 200,
    rate_form: CostRateForm | None = None,
    rate_cost_id: int | None = None,
):
    """The planning log; a refused rate shows its form again beside its own cost."""
    members = _members(visit)
    efforts = effort_rows(visit)
    costs = cost_rows(visit)
    tasks = db.session.scalars(
        select(PlanningTask)
        .where(PlanningTask.visit_id == visit.id)
        .options(joinedload(PlanningTask.owner))
        .order_by(PlanningTask.position, PlanningTask.id)
    ).all()
    recent = db.session.scalars(
        select(EffortEntry)
        .where(EffortEntry.visit_id == visit.id)
        .options(joinedload(EffortEntry.person))
        .order_by(EffortEntry.day.desc(), EffortEntry.id.desc())
        .limit(RECENT_ROWS)
    ).all()
    return render_template(
        "planning/planning.html",
        visit=visit,
        members=members,
        tasks=tasks,
        ticked=ticked_checks(db.session, visit),
        checklist_title=checklist_title,
        effort_form=effort_form,
        cost_form=cost_form,
        can_manage=access.can_manage_visit(current_user, visit),
        minutes_by_phase=logic.sum_by(efforts, "phase", "minutes"),
        minutes_by_category=logic.sum_by(efforts, "category", "minutes"),
        minutes_by_person=logic.sum_by(efforts, "person", "minutes"),
        total_minutes=sum(row.minutes for row in efforts),
        costs=costs,
        cost_by_category=logic.sum_by(costs, "category", "reported"),
        cost_by_phase=logic.sum_by(costs, "phase", "reported"),
        total_cost=sum((row.reported for row in costs if row.reported is not None), Decimal(0)),
        costs_without_rate=sum(1 for row in costs if row.rate is None),
        rate_forms=_rate_forms(visit, costs, rate_form, rate_cost_id),
        refused_rate=rate_form,
        reporting_currency=reporting_currency(visit),
        recent_effort=recent,
        correspondence=correspondence_counts(visit.id),
        effort_labels=dict(EffortCategory.choices()),
        cost_labels=dict(CostCategory.choices()),
        button_form=EmptyForm(),
    ), status


def _rate_forms(
    visit: Visit,
    costs: list[logic.CostRow],
    refused: CostRateForm | None,
    refused_cost_id: int | None,
) -> dict[int, CostRateForm]:
    """A rate form for each cost that has none, each with its own field id."""
    forms = {}
    for row in costs:
        if row.rate is not None:
            continue
        form = refused if row.id == refused_cost_id else None
        form = form or CostRateForm(prefix=f"rate-{row.id}", formdata=None)
        form.rate.label.text = _(
            "Rate from %(currency)s into %(reporting)s",
            currency=row.currency,
            reporting=reporting_currency(visit),
        )
        forms[row.id] = form
    return forms


@blueprint.route("/visits/<int:visit_id>/planning")
@stored_page
@login_required
def planning(visit_id: int):
    visit = access.visit_for(visit_id, planning=True)
    can_manage = access.can_manage_visit(current_user, visit)
    return _render(visit, _effort_form(visit, _members(visit), can_manage), _cost_form(visit))


@blueprint.route("/visits/<int:visit_id>/planning/effort", methods=["POST"])
@login_required
def log_effort(visit_id: int):
    visit = access.visit_for(visit_id, planning=True)
    can_manage = access.can_manage_visit(current_user, visit)
    if current_user.person_id is None and not can_manage:
        abort(403)
    members = _members(visit)
    if not can_manage and current_user.person_id not in {m.person_id for m in members}:
        abort(403)
    form = _effort_form(visit, members, can_manage)
    if form.validate_on_submit():
        db.session.add(
            EffortEntry(
                visit_id=visit.id,
                person_id=form.person_id.data,
                day=form.day.data,
                minutes=form.minutes.data,
                category=EffortCategory(form.category.data),
                note=form.note.data or "",
            )
        )
        db.session.commit()
        flash(_("The time has been logged."), "success")
        return redirect(url_for("planning.planning", visit_id=visit.id))
    return _render(visit, form, _cost_form(visit), 400)


@blueprint.route("/visits/<int:visit_id>/planning/costs", methods=["POST"])
@login_required
def add_cost(visit_id: int):
    visit = access.visit_for(visit_id, manage=True)
    form = _cost_form(visit)
    if form.validate_on_submit():
        currency = form.currency.data.upper()
        rate = form.rate.data
        if rate is None:
            rate = rates.rate_for(db.session, visit, currency, form.day.data)
        db.session.add(
            Cost(
                visit_id=visit.id,
                day=form.day.data,
                category=CostCategory(form.category.data),
                description=form.description.data or "",
                amount=form.amount.data,
                currency=currency,
                rate=rate,
                paid_by=form.paid_by.data or "",
            )
        )
        db.session.commit()
        if rate is None:
            flash(
                _(
                    "The cost has been added. No rate from %(currency)s is known yet, so it is in "
                    "no total until you give one.",
                    currency=currency,
                ),
                "warning",
            )
        else:
            flash(_("The cost has been added."), "success")
        return redirect(url_for("planning.planning", visit_id=visit.id))
    return _render(visit, _effort_form(visit, _members(visit), can_manage=True), form, 400)


@blueprint.route("/visits/<int:visit_id>/planning/costs/<int:cost_id>/rate", methods=["POST"])
@login_required
def give_rate(visit_id: int, cost_id: int):
    """A lead gives the rate of a cost that had none; from then on it counts in the totals."""
    visit = access.visit_for(visit_id, manage=True)
    cost = child_of_visit(visit, Cost, cost_id)
    form = CostRateForm(prefix=f"rate-{cost.id}")
    if form.validate_on_submit():
        cost.rate = form.rate.data
        db.session.commit()
        flash(_("The rate has been saved; the cost now counts in the totals."), "success")
        return redirect(url_for("planning.planning", visit_id=visit.id) + "#costs")
    effort_form = _effort_form(visit, _members(visit), can_manage=True)
    return _render(visit, effort_form, _cost_form(visit), 400, form, cost.id)


@blueprint.route("/visits/<int:visit_id>/planning/sharing", methods=["POST"])
@login_required
def share(visit_id: int) -> WerkzeugResponse:
    """A lead decides whether hosts and interpreters see the visitors' effort and costs."""
    visit = access.visit_for(visit_id, manage=True)
    if not EmptyForm().validate_on_submit() or request.form.get("shared") not in {"0", "1"}:
        abort(400)
    visit.planning_shared = request.form["shared"] == "1"
    db.session.commit()
    if visit.planning_shared:
        flash(_("Hosts and interpreters now see the effort and costs."), "success")
    else:
        flash(_("Hosts and interpreters no longer see the effort and costs."), "success")
    return redirect(url_for("planning.planning", visit_id=visit.id) + "#sharing")


@blueprint.route("/visits/<int:visit_id>/planning/checklist", methods=["POST"])
@login_required
def make_checklist(visit_id: int) -> WerkzeugResponse:
    """Create the checklist from the template; tasks already there are kept, none doubled."""
    visit = access.visit_for(visit_id, manage=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    existing = set(
        db.session.scalars(select(PlanningTask.key).where(PlanningTask.visit_id == visit.id))
    )
    added = 0
    for position, key in enumerate(logic.CHECKLIST_KEYS):
        if key not in existing:
            title = str(CHECKLIST_TITLES[key])
            db.session.add(PlanningTask(visit_id=visit.id, key=key, title=title, position=position))
            added += 1
    db.session.commit()
    flash(
        ngettext(
            "%(num)s check added to the checklist.", "%(num)s checks added to the checklist.", added
        ),
        "success",
    )
    return redirect(url_for("planning.planning", visit_id=visit.id))


@blueprint.route("/visits/<int:visit_id>/planning/tasks/<int:task_id>", methods=["GET", "POST"])
@login_required
def edit_task(visit_id: int, task_id: int):
    visit = access.visit_for(visit_id, manage=True)
    task = child_of_visit(visit, PlanningTask, task_id)
    form = TaskForm(obj=task)
    form.owner_id.choices = options(
        [(NO_OWNER, _("No one yet"))] + [(m.person.id, m.person.name) for m in _members(visit)]
    )
    form.status.choices = options(TaskStatus.choices())
    if request.method == "GET":
        form.owner_id.data = task.owner_id or NO_OWNER
        form.status.data = task.status.value
    if form.validate_on_submit():
        task.owner_id = form.owner_id.data or None
        task.due_date = form.due_date.data
        task.status = TaskStatus(form.status.data)
        db.session.commit()
        flash(_("The check has been saved."), "success")
        return redirect(url_for("planning.planning", visit_id=visit.id))
    status = 400 if form.errors else 200
    return render_template(
        "planning/task_form.html", form=form, visit=visit, task=task, title=checklist_title(task)
    ), status


@blueprint.route("/visits/<int:visit_id>/planning/effort.csv")
@login_required
def effort_export(visit_id: int) -> Response:
    visit = access.visit_for(visit_id, planning=True)
    return csv_download(logic.effort_csv(effort_rows(visit)), f"visit-{visit.id}-effort.csv")


@blueprint.route("/visits/<int:visit_id>/planning/costs.csv")
@login_required
def costs_export(visit_id: int) -> Response:
    visit = access.visit_for(visit_id, planning=True)
    return csv_download(
        logic.costs_csv(cost_rows(visit), reporting_currency(visit)),
        f"visit-{visit.id}-costs.csv",
    )


def correspondence_counts(visit_id: int) -> dict[str, int]:
    """Messages and translations of the visit, which are planning work too."""
    from sqlalchemy import func

    from cop.correspondence.models import Message, MessageTranslation, Thread

    by_direction = dict(
        db.session.execute(
            select(Message.direction, func.count(Message.id))
            .join(Thread, Thread.id == Message.thread_id)
            .where(Thread.visit_id == visit_id)
            .group_by(Message.direction)
        ).all()
    )
    by_status = dict(
        db.session.execute(
            select(MessageTranslation.status, func.count(MessageTranslation.id))
            .join(Message, Message.id == MessageTranslation.message_id)
            .join(Thread, Thread.id == Message.thread_id)
            .where(Thread.visit_id == visit_id)
            .group_by(MessageTranslation.status)
        ).all()
    )
    return {
        "received": sum(n for d, n in by_direction.items() if d.value == "inbound"),
        "sent": sum(n for d, n in by_direction.items() if d.value == "outbound"),
        "machine": sum(n for s, n in by_status.items() if s.value == "machine"),
        "reviewed": sum(n for s, n in by_status.items() if s.value == "reviewed"),
        "pending": sum(n for s, n in by_status.items() if s.value == "pending"),
    }


@blueprint.route("/visits/<int:visit_id>/hosting", methods=["GET", "POST"])
@stored_page
@login_required
def hosting(visit_id: int) -> Any:
    """The host's side: each host records the staff time their side gave the visit and what it
    gained, and reads the other hosts' accounts."""
    visit = access.visit_for(visit_id)
    if access.visit_role(current_user, visit) is not MembershipRole.HOST:
        abort(403)
    mine = db.session.scalar(
        select(HostContribution).where(
            HostContribution.visit_id == visit.id,
            HostContribution.person_id == current_user.person_id,
        )
    )
    form = HostForm(obj=mine)
    if request.method == "GET" and mine is not None:
        form.hours.data = Decimal(mine.minutes) / 60
    if form.validate_on_submit():
        if mine is None:
            mine = HostContribution(visit_id=visit.id, person_id=current_user.person_id)
            db.session.add(mine)
        mine.minutes = int(round(form.hours.data * 60))
        mine.staff = form.staff.data or ""
        mine.gained = form.gained.data or ""
        locale = get_locale()
        mine.language = locale.language if locale else "en"
        db.session.commit()
        flash(_("Thank you: your side of the visit is recorded."), "success")
        return redirect(url_for("planning.hosting", visit_id=visit.id))
    accounts = db.session.scalars(
        select(HostContribution)
        .where(HostContribution.visit_id == visit.id)
        .options(selectinload(HostContribution.person))
        .order_by(HostContribution.id)
    ).all()
    return render_template(
        "planning/hosting.html", visit=visit, form=form, accounts=accounts
    ), form_status(form)

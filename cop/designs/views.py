"""A visit's design: what it holds, the file to take elsewhere, a programme's library of designs
(from its visits or from files of other installations), and a new visit started from one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop import access
from cop.database import utcnow
from cop.designs import logic
from cop.designs.forms import SaveDesignForm, StartFromDesignForm, UploadDesignForm
from cop.designs.models import VisitDesign
from cop.extensions import db
from cop.forms import EmptyForm
from cop.itinerary.logic import NonexistentLocalTime
from cop.stored_pages import stored_page
from cop.viewhelpers import commit_written, form_status, paginate
from cop.visits.models import Programme

blueprint = Blueprint("designs", __name__)


def problem_text(error: logic.DesignError) -> str:
    if error.reason == "unreadable":
        return _("The file cannot be read: a design is a JSON file in UTF-8.")
    if error.reason == "not_a_design":
        return _("This file is not a visit design exported from cop.")
    if error.reason == "newer":
        return _(
            "This design was written by a newer version of cop (format %(version)s): update "
            "this installation to read it.",
            version=error.where,
        )
    if error.reason == "too_large":
        return _("The file is too large for a design.")
    return _(
        "The design cannot be used: “%(where)s” is missing or cannot be read. Nothing was kept.",
        where=error.where,
    )


def _attachment(content: dict[str, Any], name: str) -> Response:
    return Response(
        logic.design_file(content),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blueprint.route("/visits/<int:visit_id>/design", methods=["GET", "POST"])
@stored_page
@login_required
def visit_design(visit_id: int) -> Any:
    """What the visit's design holds, its file, and keeping it in the programme's library."""
    visit = access.visit_for(visit_id, manage=True)
    content = logic.design_of(db.session, visit, utcnow())
    form = SaveDesignForm()
    if visit.programme_id is not None and form.validate_on_submit():
        db.session.add(
            VisitDesign(
                programme_id=visit.programme_id,
                title=form.title.data,
                description=form.description.data or "",
                content=content,
                source_visit_id=visit.id,
                added_by_id=current_user.person_id,
            )
        )
        db.session.commit()
        flash(_("The design is in the programme’s library."), "success")
        return redirect(url_for("designs.library", programme_id=visit.programme_id))
    if not form.is_submitted():
        form.title.data = visit.title
    elif visit.programme_id is None:
        abort(400)
    return render_template(
        "designs/visit_design.html",
        visit=visit,
        form=form,
        counts=logic.summary(logic.read_design(content)),
    ), form_status(form)


@blueprint.route("/visits/<int:visit_id>/design.json")
@login_required
def visit_design_file(visit_id: int) -> Response:
    visit = access.visit_for(visit_id, manage=True)
    content = logic.design_of(db.session, visit, utcnow())
    return _attachment(content, f"visit-design-{visit.id}.json")


def _library_programme(programme_id: int) -> Programme:
    """The programme whose library this is: organisers use and fill it."""
    programme = db.get_or_404(Programme, programme_id)
    if not access.can_organise(current_user):
        abort(403)
    return programme


def _design_of(programme: Programme, design_id: int) -> VisitDesign:
    design = db.session.get(VisitDesign, design_id)
    if design is None or design.programme_id != programme.id:
        abort(404)
    return design


@blueprint.route("/programmes/<int:programme_id>/designs", methods=["GET", "POST"])
@stored_page
@login_required
def library(programme_id: int) -> Any:
    """The programme's designs, and a design file (from here or elsewhere) added to them."""
    programme = _library_programme(programme_id)
    form = UploadDesignForm()
    problem = ""
    if form.validate_on_submit():
        # The upload is no larger than MAX_CONTENT_LENGTH (a larger one is answered 413).
        data = form.file.data.read(logic.MAX_BYTES + 1)
        try:
            content = logic.load_file(data)
            design = logic.read_design(content)
        except logic.DesignError as error:
            problem = problem_text(error)
        else:
            db.session.add(
                VisitDesign(
                    programme_id=programme.id,
                    title=design.title,
                    description=form.description.data or "",
                    content=content,
                    added_by_id=current_user.person_id,
                )
            )
            db.session.commit()
            flash(_("“%(title)s” is in the library.", title=design.title), "success")
            return redirect(url_for("designs.library", programme_id=programme.id))
    page = paginate(
        select(VisitDesign)
        .where(VisitDesign.programme_id == programme.id)
        .options(selectinload(VisitDesign.source_visit), selectinload(VisitDesign.added_by))
        .order_by(VisitDesign.created_at.desc(), VisitDesign.id.desc())
    )
    return render_template(
        "designs/library.html",
        programme=programme,
        page=page,
        designs=[(design, logic.summary(logic.read_design(design.content))) for design in page],
        form=form,
        problem=problem,
        remove_form=EmptyForm(),
    ), (400 if problem or form.errors else 200)


@blueprint.route("/programmes/<int:programme_id>/designs/<int:design_id>.json")
@login_required
def design_file(programme_id: int, design_id: int) -> Response:
    design = _design_of(_library_programme(programme_id), design_id)
    return _attachment(design.content, f"visit-design-{design.id}.json")


@blueprint.route(
    "/programmes/<int:programme_id>/designs/<int:design_id>/start", methods=["GET", "POST"]
)
@login_required
def start(programme_id: int, design_id: int) -> Any:
    """A new visit of the programme, laid out as the design says, led by whoever starts it."""
    programme = _library_programme(programme_id)
    kept = _design_of(programme, design_id)
    design = logic.read_design(kept.content)
    form = StartFromDesignForm()
    if not form.is_submitted():
        form.title.data = design.title
        form.time_zone.data = design.time_zone
        form.host_city.data = design.host_city
        form.host_country.data = design.host_country
    if form.validate_on_submit():
        try:
            started = logic.start_from_design(
                db.session,
                design,
                title=form.title.data,
                first_day=form.start_date.data,
                time_zone=form.time_zone.data,
                host_city=form.host_city.data or "",
                host_country=form.host_country.data or "",
                programme_id=programme.id,
                lead_person_id=current_user.person_id,
                reason=_("Started the visit from a design"),
            )
        except NonexistentLocalTime:
            db.session.rollback()
            form.start_date.errors = [
                _(
                    "An item of the design falls in an hour the clocks skip on its day: choose "
                    "another first day, or move the item afterwards."
                )
            ]
        else:
            # The visit's title and objective get their translations as any new visit's.
            commit_written(started.visit)
            flash(
                _(
                    "The visit is laid out from the design: %(items)s itinerary items, "
                    "%(questions)s guide questions, %(checks)s checks, %(terms)s glossary terms "
                    "and %(codes)s new codes.",
                    items=started.items,
                    questions=started.questions,
                    checks=started.checks,
                    terms=started.terms_added,
                    codes=started.codes_added,
                ),
                "success",
            )
            return redirect(url_for("visits.visit", visit_id=started.visit.id))
    return render_template(
        "designs/start.html",
        programme=programme,
        kept=kept,
        design=design,
        counts=logic.summary(design),
        form=form,
    ), form_status(form)


@blueprint.route("/programmes/<int:programme_id>/designs/<int:design_id>/remove", methods=["POST"])
@login_required
def remove(programme_id: int, design_id: int) -> Any:
    programme = _library_programme(programme_id)
    design = _design_of(programme, design_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(design)
    db.session.commit()
    flash(_("“%(title)s” has left the library.", title=design.title), "success")
    return redirect(url_for("designs.library", programme_id=programme.id))

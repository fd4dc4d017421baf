"""A visit's reflection guide: the questions asked before, during and after the visit and at the
follow-ups, which leads and researchers reword, add, reorder and remove."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from cop import access
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.reflections import logic
from cop.reflections.forms import (
    QuestionEditForm,
    QuestionForm,
)
from cop.reflections.models import (
    GuideQuestion,
    Phase,
    QuestionKind,
)
from cop.stored_pages import stored_page
from cop.viewhelpers import child_of_visit, form_status
from cop.visits.models import Visit

blueprint = Blueprint("guide", __name__)


@blueprint.route("/visits/<int:visit_id>/guide", methods=["GET", "POST"])
@stored_page
@login_required
def guide(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not access.can_edit_guide(current_user, visit):
        abort(403)
    form = QuestionForm()
    form.phase.choices = options(Phase.choices())
    form.kind.choices = options(QuestionKind.choices())
    if form.validate_on_submit():
        phase = Phase(form.phase.data)
        last = db.session.scalar(
            select(func.max(GuideQuestion.position)).where(
                GuideQuestion.visit_id == visit.id, GuideQuestion.phase == phase
            )
        )
        db.session.add(
            GuideQuestion(
                visit_id=visit.id,
                phase=phase,
                kind=QuestionKind(form.kind.data),
                text=form.text.data,
                position=(last or 0) + 1,
            )
        )
        db.session.commit()
        flash(_("The question has been added."), "success")
        return redirect(url_for("guide.guide", visit_id=visit.id) + f"#{phase.value}")
    return _guide_page(visit, form, form_status(form))


def _guide_page(visit: Visit, form: QuestionForm, status: int) -> tuple[str, int]:
    questions = db.session.scalars(
        select(GuideQuestion)
        .where(GuideQuestion.visit_id == visit.id)
        .order_by(GuideQuestion.position, GuideQuestion.id)
    ).all()
    by_phase = {phase: [q for q in questions if q.phase is phase] for phase in Phase}
    return render_template(
        "reflections/guide.html",
        visit=visit,
        form=form,
        by_phase=by_phase,
        question_text=logic.question_text,
        edit_form=QuestionEditForm,
    ), status


@blueprint.route("/visits/<int:visit_id>/guide/<int:question_id>", methods=["POST"])
@login_required
def edit_question(visit_id: int, question_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not access.can_edit_guide(current_user, visit):
        abort(403)
    question = child_of_visit(visit, GuideQuestion, question_id)
    form = QuestionEditForm()
    anchor = f"#{question.phase.value}"
    csrf_ok = EmptyForm().validate_on_submit()
    if form.remove.data and csrf_ok:
        db.session.delete(question)
        db.session.commit()
        flash(_("The question has been removed; answers already given keep it."), "success")
    elif form.move_up.data and csrf_ok:
        siblings = logic.guide_questions(db.session, visit.id, question.phase)
        index = siblings.index(question)
        if index > 0:
            siblings[index - 1], siblings[index] = siblings[index], siblings[index - 1]
            for position, sibling in enumerate(siblings):
                sibling.position = position
            db.session.commit()
    elif form.validate_on_submit():
        text = form.text.data
        if text != logic.question_text(question):
            question.text = text
            question.default_key = None
            db.session.commit()
            flash(_("The question has been saved."), "success")
    else:
        message = form.text.errors[0] if form.text.errors else _("The form had expired.")
        flash(str(message), "error")
        new_question = QuestionForm(formdata=None)
        new_question.phase.choices = options(Phase.choices())
        new_question.kind.choices = options(QuestionKind.choices())
        return _guide_page(visit, new_question, 400)
    return redirect(url_for("guide.guide", visit_id=visit.id) + anchor)

"""Writing reflections, transcribing interviews, the interview guide, and one's own reflections."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.database import utcnow
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.itinerary.queries import item_titles
from cop.reflections import logic, mine
from cop.reflections.forms import (
    ConsentForm,
    DeleteAllForm,
    reflection_form,
)
from cop.reflections.models import (
    Consent,
    GuideQuestion,
    Passage,
    Phase,
    QuestionKind,
    Reflection,
    ReflectionSource,
    SelfRating,
)
from cop.reflections.timing import timing_question
from cop.research.models import CodedSegment
from cop.research.views import own_reflection, reader_for, reflection_of, reflection_page
from cop.stored_pages import stored_page
from cop.viewhelpers import confirmation_page, form_status
from cop.visits.models import Visit
from cop.visits.tasks import today_at

blueprint = Blueprint("reflections", __name__)

NO_SESSION = 0
TRANSCRIPT_MAX_BYTES = 2 * 1024 * 1024


def consent_choices() -> list:
    return options(Consent.choices())


@blueprint.route("/visits/<int:visit_id>/reflections")
@stored_page
@login_required
def visit_reflections(visit_id: int) -> str:
    visit = access.visit_for(visit_id)
    reader = reader_for(visit)
    mine = []
    if current_user.person_id is not None:
        mine = list(
            db.session.scalars(
                select(Reflection)
                .where(
                    Reflection.visit_id == visit.id,
                    Reflection.person_id == current_user.person_id,
                )
                .order_by(Reflection.created_at)
            )
        )
    readable = []
    coded: dict[int, int] = {}
    if reader.researcher:
        readable = list(
            db.session.scalars(
                select(Reflection)
                .where(
                    Reflection.visit_id == visit.id,
                    logic.readable_by_researchers(),
                )
                .options(selectinload(Reflection.person))
                .order_by(Reflection.phase, Reflection.submitted_at)
            )
        )
        coded = dict(
            db.session.execute(
                select(Passage.reflection_id, func.count(CodedSegment.id))
                .join(CodedSegment, CodedSegment.passage_id == Passage.id)
                .where(Passage.reflection_id.in_([r.id for r in readable]))
                .group_by(Passage.reflection_id)
            ).all()
        )
    secret = current_app.config["SECRET_KEY"]
    return render_template(
        "reflections/visit.html",
        visit=visit,
        mine=mine,
        readable=[(r, logic.writer_label(reader, r, secret), coded.get(r.id, 0)) for r in readable],
        phases=list(Phase),
        can_write=access.reflects_on_visit(current_user, visit),
        is_researcher=reader.researcher,
        can_edit_guide=access.can_edit_guide(current_user, visit),
    )


def _themes_for(visit: Visit) -> list:
    if visit.programme_id is None:
        return []
    return logic.learning_themes(db.session, visit.programme_id)


def _write(visit: Visit, phase: Phase, reflection: Reflection | None) -> Any:
    questions = logic.guide_questions(db.session, visit.id, phase)
    themes = (
        _themes_for(visit) if any(q.kind is QuestionKind.THEME_RATINGS for q in questions) else []
    )
    text_questions = [q for q in questions if q.kind is QuestionKind.TEXT]
    asks_satisfaction = any(q.kind is QuestionKind.SATISFACTION for q in questions)
    form = reflection_form(
        [q.id for q in text_questions], [t.id for t in themes], asks_satisfaction
    )
    form.consent.choices = consent_choices()
    sessions = db.session.execute(item_titles(visit.id, with_cancelled=False)).all()
    form.itinerary_item_id.choices = options(
        [(NO_SESSION, _("No particular session")), *((s.id, s.title) for s in sessions)]
    )
    if request.method == "GET" and reflection is not None:
        form.consent.data = reflection.consent.value
        form.itinerary_item_id.data = reflection.itinerary_item_id or NO_SESSION
        answers = {p.question_id: p.text for p in reflection.passages}
        for question in text_questions:
            form[f"answer_{question.id}"].data = answers.get(question.id, "")
        for rating in reflection.ratings:
            if f"rating_{rating.code_id}" in form:
                form[f"rating_{rating.code_id}"].data = str(rating.score)
        if asks_satisfaction and reflection.satisfaction:
            form.satisfaction.data = str(reflection.satisfaction)
    timing = timing_question(phase, visit.start_date, visit.end_date, today_at(visit, utcnow()))
    valid = form.validate_on_submit()
    if valid and form.submit_reflection.data and timing and not form.confirm_timing.data:
        # The phase does not fit the day and the writer has not confirmed: ask, keeping every
        # answer on the page (a draft may always be saved).
        form.confirm_timing.errors = [_("Confirm that you are submitting it now, or save a draft.")]
        valid = False
    if valid:
        if reflection is None:
            reflection = Reflection(
                visit_id=visit.id,
                person_id=current_user.person_id,
                phase=phase,
                source=ReflectionSource.WRITTEN,
                created_by_id=current_user.id,
            )
            db.session.add(reflection)
        reflection.consent = Consent(form.consent.data)
        reflection.itinerary_item_id = (
            form.itinerary_item_id.data or None if phase is Phase.DURING else None
        )
        reflection.satisfaction = (
            int(form.satisfaction.data) if asks_satisfaction and form.satisfaction.data else None
        )
        _store_answers(reflection, text_questions, form)
        _store_ratings(reflection, themes, form)
        submitting = bool(form.submit_reflection.data)
        if submitting:
            if not any(p.text for p in reflection.passages) and not reflection.ratings:
                db.session.rollback()
                form.consent.errors = []
                flash(_("Answer at least one question before you submit."), "error")
                return render_template(
                    "reflections/write.html",
                    timing=timing,
                    **_write_context(visit, phase, form, text_questions, themes, questions),
                ), 400
            reflection.submitted_at = utcnow()
        db.session.commit()
        if submitting:
            flash(_("Your reflection is submitted. Thank you."), "success")
            return redirect(
                url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id)
            )
        flash(_("Your draft is saved. Only you can read it until you submit it."), "success")
        return redirect(
            url_for("reflections.edit_reflection", visit_id=visit.id, reflection_id=reflection.id)
        )
    context = _write_context(visit, phase, form, text_questions, themes, questions)
    return render_template(
        "reflections/write.html", reflection=reflection, timing=timing, **context
    ), form_status(form)


def _write_context(visit, phase, form, text_questions, themes, questions) -> dict:
    baseline = {}
    if current_user.person_id is not None and themes:
        baseline = logic.baseline_ratings(db.session, visit.id, current_user.person_id)
    return {
        "visit": visit,
        "phase": phase,
        "form": form,
        "questions": questions,
        "question_text": logic.question_text,
        "themes": [(theme, logic.code_name(theme)) for theme in themes],
        "baseline": baseline if phase is not Phase.BEFORE else {},
    }


def _store_ratings(reflection: Reflection, themes: list, form: Any) -> None:
    """Change scores in place: replacing the rows would insert a theme's new rating before the
    old one is deleted, which the one-rating-per-theme constraint refuses."""
    existing = {rating.code_id: rating for rating in reflection.ratings}
    kept = []
    for theme in themes:
        answer = form[f"rating_{theme.id}"].data
        if not answer:
            continue
        rating = existing.get(theme.id) or SelfRating(code_id=theme.id)
        rating.score = int(answer)
        kept.append(rating)
    reflection.ratings = kept


def _store_answers(reflection: Reflection, questions: list[GuideQuestion], form: Any) -> None:
    """One passage per answered question, in the guide's order; unchanged answers keep their
    passage (and so any codes on it)."""
    existing = {p.question_id: p for p in reflection.passages}
    passages = []
    for position, question in enumerate(questions):
        text = form[f"answer_{question.id}"].data or ""
        if not text:
            continue
        passage = existing.get(question.id) or Passage(question_id=question.id)
        if passage.text != text:
            passage.segments = []
        passage.text = text
        passage.position = position
        passage.question_text = logic.question_text(question)
        passages.append(passage)
    reflection.passages = passages


@blueprint.route("/visits/<int:visit_id>/reflections/new", methods=["GET", "POST"])
@login_required
def new_reflection(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not access.reflects_on_visit(current_user, visit):
        abort(403)
    try:
        phase = Phase(request.args.get("phase", Phase.BEFORE.value))
    except ValueError:
        abort(404)
    if phase in logic.ONE_PER_PERSON:
        existing = db.session.scalar(
            select(Reflection).where(
                Reflection.visit_id == visit.id,
                Reflection.person_id == current_user.person_id,
                Reflection.phase == phase,
            )
        )
        if existing is not None:
            endpoint = "edit_reflection" if existing.is_draft else "reflection"
            return redirect(
                url_for(f"reflections.{endpoint}", visit_id=visit.id, reflection_id=existing.id)
            )
    return _write(visit, phase, None)


@blueprint.route(
    "/visits/<int:visit_id>/reflections/<int:reflection_id>/edit", methods=["GET", "POST"]
)
@login_required
def edit_reflection(visit_id: int, reflection_id: int) -> Any:
    visit = access.visit_for(visit_id)
    reflection = own_reflection(visit, reflection_id)
    if not reflection.is_draft:
        flash(_("This reflection is submitted; it can no longer be changed."), "error")
        return redirect(
            url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id)
        )
    return _write(visit, reflection.phase, reflection)


@blueprint.route("/visits/<int:visit_id>/reflections/<int:reflection_id>")
@stored_page
@login_required
def reflection(visit_id: int, reflection_id: int) -> str:
    visit = access.visit_for(visit_id)
    return reflection_page(visit, reflection_of(visit, reflection_id), reader_for(visit))


@blueprint.route("/visits/<int:visit_id>/reflections/<int:reflection_id>/consent", methods=["POST"])
@login_required
def change_consent(visit_id: int, reflection_id: int) -> WerkzeugResponse:
    visit = access.visit_for(visit_id)
    reflection = own_reflection(visit, reflection_id)
    form = ConsentForm()
    form.consent.choices = consent_choices()
    if not form.validate_on_submit():
        abort(400)
    reflection.consent = Consent(form.consent.data)
    db.session.commit()
    flash(_("Who may read this reflection has been changed."), "success")
    return redirect(
        url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id)
    )


@blueprint.route(
    "/visits/<int:visit_id>/reflections/<int:reflection_id>/delete", methods=["GET", "POST"]
)
@login_required
def delete_reflection(visit_id: int, reflection_id: int) -> Any:
    visit = access.visit_for(visit_id)
    reflection = own_reflection(visit, reflection_id)
    if request.method == "GET":
        return confirmation_page(
            _("Delete your reflection %(phase)s?", phase=reflection.phase.label.lower()),
            [
                _(
                    "It is deleted with everything researchers coded in it and their memos "
                    "on it. It cannot be brought back."
                )
            ],
            _("Delete the reflection"),
            (
                _("Keep it"),
                url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id),
            ),
            caption=(visit.title, url_for("visits.visit", visit_id=visit.id)),
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(reflection)
    db.session.commit()
    flash(_("The reflection and every code given to it have been deleted."), "success")
    return redirect(url_for("reflections.visit_reflections", visit_id=visit.id))


@blueprint.route("/reflections")
@stored_page
@login_required
def my_reflections() -> str:
    return _my_reflections_page(DeleteAllForm())


def _my_reflections_page(delete_form: DeleteAllForm) -> str:
    reflections = mine.reflections_of(db.session, current_user.person_id, newest_first=True)
    return render_template(
        "reflections/mine.html", reflections=reflections, delete_form=delete_form
    )


@blueprint.route("/reflections/mine.json")
@login_required
def download_mine() -> Response:
    """Everything the person has reflected, and what researchers coded in it."""
    data = mine.personal_export(
        db.session,
        current_user.person_id,
        current_user.person.name if current_user.person else current_user.email,
        utcnow(),
    )
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-reflections.json"'},
    )


@blueprint.route("/reflections/delete", methods=["POST"])
@login_required
def delete_mine() -> Any:
    form = DeleteAllForm()
    if not form.validate_on_submit():
        return _my_reflections_page(form), 400
    count = mine.delete_all(db.session, current_user.person_id)
    db.session.commit()
    flash(
        ngettext(
            "%(num)s reflection has been deleted.", "%(num)s reflections have been deleted.", count
        ),
        "success",
    )
    return redirect(url_for("reflections.my_reflections"))

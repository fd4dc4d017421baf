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
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.itinerary.models import ItineraryItem
from cop.privacy.models import Erasure
from cop.reflections import logic
from cop.reflections.coding import own_reflection, reader_for, reflection_of, reflection_page
from cop.reflections.forms import (
    ConsentForm,
    DeleteAllForm,
    InterviewForm,
    QuestionEditForm,
    QuestionForm,
    reflection_form,
)
from cop.reflections.models import (
    Code,
    CodedSegment,
    Consent,
    GuideQuestion,
    Passage,
    Phase,
    QuestionKind,
    Reflection,
    ReflectionSource,
    SelfRating,
)
from cop.reflections.transcripts import TranscriptError, parse_transcript
from cop.viewhelpers import child_of_visit, form_status
from cop.visits.models import Membership, MembershipRole, Visit

blueprint = Blueprint("reflections", __name__)

NO_SESSION = 0
TRANSCRIPT_MAX_BYTES = 2 * 1024 * 1024


def consent_choices() -> list:
    return options(Consent.choices())


@blueprint.route("/visits/<int:visit_id>/reflections")
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
        can_edit_guide=_can_edit_guide(visit),
    )


def _can_edit_guide(visit: Visit) -> bool:
    return access.can_manage_visit(current_user, visit) or access.researches_visit(
        current_user, visit
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
    sessions = db.session.execute(
        select(ItineraryItem.id, ItineraryItem.title)
        .where(ItineraryItem.visit_id == visit.id, ItineraryItem.cancelled.is_(False))
        .order_by(ItineraryItem.starts_at)
    ).all()
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
    if form.validate_on_submit():
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
    return render_template("reflections/write.html", reflection=reflection, **context), (
        form_status(form)
    )


def _write_context(visit, phase, form, text_questions, themes, questions) -> dict:
    baseline = {}
    if current_user.person_id is not None and themes:
        baseline = dict(
            db.session.execute(
                select(SelfRating.code_id, SelfRating.score)
                .join(Reflection, Reflection.id == SelfRating.reflection_id)
                .where(
                    Reflection.visit_id == visit.id,
                    Reflection.person_id == current_user.person_id,
                    Reflection.phase == Phase.BEFORE,
                )
            ).all()
        )
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
        text = (form[f"answer_{question.id}"].data or "").strip()
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


@blueprint.route("/visits/<int:visit_id>/reflections/<int:reflection_id>/delete", methods=["POST"])
@login_required
def delete_reflection(visit_id: int, reflection_id: int) -> WerkzeugResponse:
    visit = access.visit_for(visit_id)
    reflection = own_reflection(visit, reflection_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(reflection)
    db.session.commit()
    flash(_("The reflection and every code given to it have been deleted."), "success")
    return redirect(url_for("reflections.visit_reflections", visit_id=visit.id))


@blueprint.route("/visits/<int:visit_id>/interviews/new", methods=["GET", "POST"])
@login_required
def new_interview(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not access.researches_visit(current_user, visit):
        abort(403)
    form = InterviewForm()
    members = db.session.execute(
        select(Person.id, Person.name)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.visit_id == visit.id,
            Membership.role.in_((MembershipRole.PARTICIPANT, MembershipRole.LEAD)),
            # Someone erased is not interviewed again under their pseudonym.
            Person.id.not_in(select(Erasure.person_id)),
        )
        .order_by(Person.name)
    ).all()
    form.person_id.choices = options((m.id, m.name) for m in members)
    form.phase.choices = options(Phase.choices())
    form.consent.choices = options(
        (consent.value, consent.label) for consent in logic.readable_consents()
    )
    problem = ""
    if form.validate_on_submit():
        turns, problem = _transcript_turns(form)
        if not problem:
            names = {m.id: m.name for m in members}
            candidates = [(form.person_id.data, names[form.person_id.data])]
            if current_user.person is not None:
                candidates.append((current_user.person_id, current_user.person.name))
            extra = [x.strip() for x in (form.interviewee_labels.data or "").split(",")]
            speakers = logic.map_speakers(
                [turn.speaker for turn in turns],
                candidates,
                {form.person_id.data: [x for x in extra if x]},
            )
            reflection = Reflection(
                visit_id=visit.id,
                person_id=form.person_id.data,
                phase=Phase(form.phase.data),
                source=ReflectionSource.INTERVIEW,
                consent=Consent(form.consent.data),
                video_reference=(form.video_reference.data or "").strip(),
                interviewed_on=form.interviewed_on.data,
                created_by_id=current_user.id,
                submitted_at=utcnow(),
                passages=[
                    Passage(
                        position=position,
                        speaker=turn.speaker,
                        speaker_person_id=speakers.get(turn.speaker),
                        starts_ms=turn.starts_ms,
                        ends_ms=turn.ends_ms,
                        text=turn.text,
                    )
                    for position, turn in enumerate(turns)
                ],
            )
            db.session.add(reflection)
            db.session.commit()
            flash(_("The interview is saved with %(count)s passages.", count=len(turns)), "success")
            return redirect(
                url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id)
            )
        form.transcript.errors = [problem]
    status = 400 if (form.errors or problem) else 200
    return render_template("reflections/interview.html", visit=visit, form=form), status


TRANSCRIPT_PROBLEMS = {
    "empty": lambda: _("The transcript holds no text we can read."),
    "malformed": lambda: _(
        "The file is not a WebVTT or SubRip transcript we can read: check that each cue has a "
        "time line like 00:01:05.000 --> 00:01:09.000."
    ),
    "too_long": lambda: _("The transcript has too many passages; split it into parts."),
    "too_big": lambda: _("The file is larger than %(mb)s MB.", mb=2),
    "not_text": lambda: _("The file is not text in UTF-8; save it as UTF-8 and try again."),
    "missing": lambda: _("Choose a transcript file or paste the transcript."),
}


def _transcript_turns(form: InterviewForm) -> tuple[list, str]:
    upload = form.transcript.data
    filename = ""
    if upload and getattr(upload, "filename", ""):
        raw = upload.stream.read(TRANSCRIPT_MAX_BYTES + 1)
        if len(raw) > TRANSCRIPT_MAX_BYTES:
            return [], TRANSCRIPT_PROBLEMS["too_big"]()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], TRANSCRIPT_PROBLEMS["not_text"]()
        filename = upload.filename
    else:
        text = form.transcript_text.data or ""
    if not text.strip():
        return [], TRANSCRIPT_PROBLEMS["missing"]()
    try:
        return parse_transcript(text, filename), ""
    except TranscriptError as error:
        return [], TRANSCRIPT_PROBLEMS[error.reason]()


@blueprint.route("/visits/<int:visit_id>/guide", methods=["GET", "POST"])
@login_required
def guide(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not _can_edit_guide(visit):
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
                text=form.text.data.strip(),
                position=(last or 0) + 1,
            )
        )
        db.session.commit()
        flash(_("The question has been added."), "success")
        return redirect(url_for("reflections.guide", visit_id=visit.id) + f"#{phase.value}")
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
    if not _can_edit_guide(visit):
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
        text = form.text.data.strip()
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
    return redirect(url_for("reflections.guide", visit_id=visit.id) + anchor)


@blueprint.route("/reflections")
@login_required
def my_reflections() -> str:
    return _my_reflections_page(DeleteAllForm())


def _my_reflections_page(delete_form: DeleteAllForm) -> str:
    reflections = []
    if current_user.person_id is not None:
        reflections = db.session.scalars(
            select(Reflection)
            .where(Reflection.person_id == current_user.person_id)
            .options(selectinload(Reflection.visit))
            .order_by(Reflection.created_at.desc())
        ).all()
    return render_template(
        "reflections/mine.html", reflections=reflections, delete_form=delete_form
    )


@blueprint.route("/reflections/mine.json")
@login_required
def download_mine() -> Response:
    """Everything the person has reflected, and what researchers coded in it."""
    reflections = []
    if current_user.person_id is not None:
        reflections = db.session.scalars(
            select(Reflection)
            .where(Reflection.person_id == current_user.person_id)
            .options(
                selectinload(Reflection.visit),
                selectinload(Reflection.ratings),
                selectinload(Reflection.passages)
                .selectinload(Passage.segments)
                .selectinload(CodedSegment.code),
            )
            .order_by(Reflection.created_at)
        ).all()
    theme_names = {
        code.id: logic.code_name(code)
        for code in db.session.scalars(
            select(Code).where(
                Code.id.in_({r.code_id for reflection in reflections for r in reflection.ratings})
            )
        )
    }
    data = {
        "person": current_user.person.name if current_user.person else current_user.email,
        "downloaded_at": utcnow().isoformat(),
        "reflections": [
            {
                "visit": reflection.visit.title,
                "phase": reflection.phase.value,
                "source": reflection.source.value,
                "consent": reflection.consent.value,
                "submitted_at": (
                    reflection.submitted_at.isoformat() if reflection.submitted_at else None
                ),
                "video_reference": reflection.video_reference,
                "satisfaction": reflection.satisfaction,
                "self_ratings": {
                    theme_names.get(rating.code_id, str(rating.code_id)): rating.score
                    for rating in reflection.ratings
                },
                "passages": [
                    {
                        "question": passage.question_text,
                        "speaker": passage.speaker,
                        "starts_ms": passage.starts_ms,
                        "ends_ms": passage.ends_ms,
                        "text": passage.text,
                        "codes": [
                            {"code": logic.code_name(segment.code), "quote": segment.quote}
                            for segment in passage.segments
                        ],
                    }
                    for passage in reflection.passages
                ],
            }
            for reflection in reflections
        ],
    }
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
    count = 0
    if current_user.person_id is not None:
        for reflection in db.session.scalars(
            select(Reflection).where(Reflection.person_id == current_user.person_id)
        ):
            db.session.delete(reflection)
            count += 1
    db.session.commit()
    flash(_("%(count)s reflections have been deleted.", count=count), "success")
    return redirect(url_for("reflections.my_reflections"))

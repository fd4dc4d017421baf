"""Coding reflections: the codebook, applying codes to passages, memos, agreement between coders,
exports, and reading the coded material by theme and by person."""

from __future__ import annotations

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
from cop.accounts.logic import is_safe_redirect
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.itinerary.models import ItineraryItem
from cop.reflections import logic
from cop.reflections.forms import (
    BlindCodingForm,
    CodeForm,
    CodingForm,
    ConsentForm,
    MemoForm,
    QdaImportForm,
)
from cop.reflections.models import Consent, Passage, Phase, Reflection
from cop.reflections.transcripts import format_timestamp
from cop.research import blinding, projects, qdpx
from cop.research import codebook as codebook_logic
from cop.research.models import Code, CodedSegment, Memo
from cop.stored_pages import stored_page
from cop.viewhelpers import child_of_visit, confirmation_page, form_status
from cop.visits.models import Programme, Visit

blueprint = Blueprint("coding", __name__)

TOP_LEVEL = 0


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _programme_for_research(programme_id: int) -> Programme:
    return access.programme_for(programme_id, research=True)


def reader_for(visit: Visit) -> logic.Reader:
    return logic.Reader(current_user.person_id, access.researches_visit(current_user, visit))


def reflection_of(visit: Visit, reflection_id: int) -> Reflection:
    """A reflection of this visit the current user may read, else 404 or 403."""
    reflection = child_of_visit(visit, Reflection, reflection_id)
    if not logic.may_read(reader_for(visit), reflection):
        abort(403)
    return reflection


def own_reflection(visit: Visit, reflection_id: int) -> Reflection:
    reflection = reflection_of(visit, reflection_id)
    if reflection.person_id != current_user.person_id:
        abort(403)
    return reflection


def _parent_choices(lines: list[logic.CodeLine], excluded: set[int]) -> list:
    """Where a code may go: the top, or under any code that is not itself or below it."""
    return options(
        [
            (TOP_LEVEL, _("The top of the codebook")),
            *(
                (line.code.id, " › ".join(line.path))
                for line in lines
                if line.code.id not in excluded
            ),
        ]
    )


def _code_choices(lines: list[logic.CodeLine]) -> list:
    return options((line.code.id, " › ".join(line.path)) for line in lines)


def reflection_page(visit: Visit, reflection: Reflection, reader: logic.Reader) -> str:
    """A reflection as its reader may see it; researchers also get the coding forms."""
    lines: list[logic.CodeLine] = []
    if reader.researcher and visit.programme_id is not None:
        lines = logic.programme_codes(db.session, visit.programme_id)
    passages = db.session.scalars(
        select(Passage)
        .where(Passage.reflection_id == reflection.id)
        .options(
            selectinload(Passage.segments).selectinload(CodedSegment.coder),
            selectinload(Passage.segments).selectinload(CodedSegment.code),
        )
        .order_by(Passage.position)
    ).all()
    paths = {line.code.id: " › ".join(line.path) for line in lines}
    blind = visit.programme is not None and access.codes_blind(current_user, visit.programme)
    coding_form = CodingForm()
    coding_form.code_id.choices = _code_choices(lines)
    consent_form = ConsentForm(consent=reflection.consent.value)
    consent_form.consent.choices = options(Consent.choices())
    ratings = _ratings_against_baseline(reflection)

    def segments_of(passage: Passage) -> list[CodedSegment]:
        # Coding blind, a researcher sees only their own codes until they have finished.
        return [s for s in passage.segments if not blind or s.coder_id == current_user.id]

    last_coding = None
    if reader.researcher and visit.programme_id is not None:
        last_coding = codebook_logic.last_coding(db.session, visit.programme_id, current_user.id)
    return render_template(
        "reflections/reflection.html",
        visit=visit,
        reflection=reflection,
        passages=passages,
        writer=logic.writer_label(reader, reflection, _secret()),
        is_writer=reader.person_id == reflection.person_id,
        is_researcher=reader.researcher,
        coding_form=coding_form,
        memo_form=MemoForm(),
        consent_form=consent_form,
        empty_form=EmptyForm(),
        code_path=lambda code: paths.get(code.id) or logic.code_name(code),
        ratings=ratings,
        format_timestamp=format_timestamp,
        session_title=_session_title(reflection),
        speaker=lambda passage: _speaker_for(reader, reflection, passage),
        blind=blind,
        segments_of=segments_of,
        # The coded words marked in the text, in their codes' colours, for researchers.
        runs_of=lambda passage: codebook_logic.marked_runs(
            passage.text, [(s.char_start, s.char_end, s.code_id) for s in segments_of(passage)]
        ),
        last_coding=last_coding,
        last_coding_name=logic.code_name(last_coding.code) if last_coding else "",
    )


def _speaker_for(reader: logic.Reader, reflection: Reflection, passage: Passage) -> str:
    """The speaker of a turn; the interviewee gives way to their pseudonym where they did not
    agree to be named."""
    named = reader.person_id == reflection.person_id or reflection.consent.researchers_see_name
    return logic.speaker_label(
        reflection, passage.speaker, passage.speaker_person_id, named, _secret()
    )


def _session_title(reflection: Reflection) -> str:
    if reflection.itinerary_item_id is None:
        return ""
    item = db.session.get(ItineraryItem, reflection.itinerary_item_id)
    return item.title if item else ""


def _ratings_against_baseline(reflection: Reflection) -> list[tuple[str, int | None, int]]:
    """(theme, baseline score or None, score) for each theme rated in this reflection."""
    if not reflection.ratings:
        return []
    baseline: dict[int, int] = {}
    if reflection.phase is not Phase.BEFORE:
        baseline = logic.baseline_ratings(db.session, reflection.visit_id, reflection.person_id)
    codes = {
        code.id: code
        for code in db.session.scalars(
            select(Code).where(Code.id.in_([r.code_id for r in reflection.ratings]))
        )
    }
    return [
        (logic.code_name(codes[rating.code_id]), baseline.get(rating.code_id), rating.score)
        for rating in sorted(reflection.ratings, key=lambda r: (codes[r.code_id].position, r.id))
    ]


def _researched_passage(visit_id: int, reflection_id: int, passage_id: int) -> tuple:
    visit = access.visit_for(visit_id)
    if not access.researches_visit(current_user, visit) or visit.programme_id is None:
        abort(403)
    reflection = reflection_of(visit, reflection_id)
    passage = db.session.get(Passage, passage_id)
    if passage is None or passage.reflection_id != reflection.id:
        abort(404)
    return visit, reflection, passage


@blueprint.route(
    "/visits/<int:visit_id>/reflections/<int:reflection_id>/passages/<int:passage_id>/code",
    methods=["POST"],
)
@login_required
def apply_code(visit_id: int, reflection_id: int, passage_id: int) -> Any:
    visit, reflection, passage = _researched_passage(visit_id, reflection_id, passage_id)
    lines = logic.programme_codes(db.session, visit.programme_id)
    form = CodingForm()
    form.code_id.choices = _code_choices(lines)
    span = None
    if form.validate_on_submit():
        quote = form.quote.data or ""
        span = logic.find_quote(passage.text, quote) if quote.strip() else (0, len(passage.text))
        if span is None:
            form.quote.errors = [
                _("These words are not in the passage; copy them from it exactly.")
            ]
    if span is None or form.errors:
        for message in (error for errors in form.errors.values() for error in errors):
            flash(str(message), "error")
        return reflection_page(visit, reflection, reader_for(visit)), 400
    already = db.session.scalar(
        select(CodedSegment.id).where(
            CodedSegment.passage_id == passage.id,
            CodedSegment.code_id == form.code_id.data,
            CodedSegment.coder_id == current_user.id,
            CodedSegment.char_start == span[0],
            CodedSegment.char_end == span[1],
        )
    )
    if already is None:
        db.session.add(
            CodedSegment(
                passage_id=passage.id,
                code_id=form.code_id.data,
                coder_id=current_user.id,
                char_start=span[0],
                char_end=span[1],
            )
        )
        db.session.commit()
        flash(_("The code has been applied."), "success")
    else:
        flash(_("You had already applied this code to these words."), "success")
    return _back_to_passage(visit, reflection, passage)


@blueprint.route(
    "/visits/<int:visit_id>/reflections/<int:reflection_id>/segments/<int:segment_id>/delete",
    methods=["POST"],
)
@login_required
def remove_code(visit_id: int, reflection_id: int, segment_id: int) -> WerkzeugResponse:
    segment = db.session.get(CodedSegment, segment_id)
    if segment is None:
        abort(404)
    visit, reflection, passage = _researched_passage(visit_id, reflection_id, segment.passage_id)
    if segment.coder_id != current_user.id:
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(segment)
    db.session.commit()
    flash(_("Your code has been removed."), "success")
    return _back_to_passage(visit, reflection, passage)


def _back_to_passage(visit: Visit, reflection: Reflection, passage: Passage) -> WerkzeugResponse:
    """Back where the coder coded: the page of disagreements when settling one there (its
    address in ``next``), else the passage on the reflection's page."""
    back = request.form.get("next")
    if is_safe_redirect(back):
        return redirect(back)
    return redirect(
        url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id)
        + f"#passage-{passage.id}"
    )


@blueprint.route("/visits/<int:visit_id>/reflections/<int:reflection_id>/memos", methods=["POST"])
@login_required
def add_memo(visit_id: int, reflection_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not access.researches_visit(current_user, visit):
        abort(403)
    reflection = reflection_of(visit, reflection_id)
    form = MemoForm()
    if not form.validate_on_submit():
        for message in (error for errors in form.errors.values() for error in errors):
            flash(str(message), "error")
        return reflection_page(visit, reflection, reader_for(visit)), 400
    db.session.add(Memo(reflection=reflection, author_id=current_user.id, text=form.text.data))
    db.session.commit()
    flash(_("The memo has been saved."), "success")
    return redirect(
        url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id) + "#memos"
    )


@blueprint.route("/programmes/<int:programme_id>/codebook", methods=["GET", "POST"])
@stored_page
@login_required
def codebook(programme_id: int) -> Any:
    programme = _programme_for_research(programme_id)
    lines = logic.programme_codes(db.session, programme.id)
    form = CodeForm()
    form.parent_id.choices = _parent_choices(lines, excluded=set())
    if form.validate_on_submit():
        parent_id = form.parent_id.data or None
        last = db.session.scalar(
            select(func.max(Code.position)).where(
                Code.programme_id == programme.id,
                Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id,
            )
        )
        db.session.add(
            Code(
                programme_id=programme.id,
                parent_id=parent_id,
                name=form.name.data,
                definition=form.definition.data or "",
                position=(last if last is not None else -1) + 1,
            )
        )
        db.session.commit()
        flash(_("The code has been added."), "success")
        return redirect(url_for("coding.codebook", programme_id=programme.id))
    # The code list searched: a code matches by its name or definition, shown with its path.
    q = request.args.get("q", "").strip()
    if q:
        wanted = q.casefold()
        lines = [
            line
            for line in lines
            if wanted in " ".join(line.path).casefold()
            or wanted in logic.code_definition(line.code).casefold()
        ]
    blind = access.codes_blind(current_user, programme)
    counted = (
        select(CodedSegment.code_id, func.count(CodedSegment.id))
        .join(Code, Code.id == CodedSegment.code_id)
        .where(Code.programme_id == programme.id)
        .group_by(CodedSegment.code_id)
    )
    if blind:
        counted = counted.where(CodedSegment.coder_id == current_user.id)
    usage = dict(db.session.execute(counted).all())
    return render_template(
        "reflections/codebook.html",
        programme=programme,
        lines=lines,
        usage=usage,
        definition=logic.code_definition,
        form=form,
        blind=blind,
        blind_form=BlindCodingForm(blind=programme.blind_coding),
        finished=blinding.finished_coders(db.session, programme.id),
        empty_form=EmptyForm(),
        q=q,
    ), form_status(form)


@blueprint.route("/programmes/<int:programme_id>/coding/blind", methods=["POST"])
@login_required
def set_blind_coding(programme_id: int) -> WerkzeugResponse:
    programme = _programme_for_research(programme_id)
    form = BlindCodingForm()
    if not form.validate_on_submit():
        abort(400)
    programme.blind_coding = bool(form.blind.data)
    db.session.commit()
    if programme.blind_coding:
        flash(
            _("Coding is blind: each researcher sees the others’ codes once they have finished."),
            "success",
        )
    else:
        flash(_("Coding is open: every researcher sees every code."), "success")
    return redirect(url_for("coding.codebook", programme_id=programme.id))


@blueprint.route("/programmes/<int:programme_id>/coding/finished", methods=["POST"])
@login_required
def finish_coding(programme_id: int) -> WerkzeugResponse:
    programme = _programme_for_research(programme_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if blinding.finish(db.session, programme.id, current_user.id):
        db.session.commit()
        flash(_("You have finished coding: the others’ codes are shown to you now."), "success")
    return redirect(url_for("reading.agreement", programme_id=programme.id))


@blueprint.route("/programmes/<int:programme_id>/codebook/<int:code_id>", methods=["GET", "POST"])
@login_required
def edit_code(programme_id: int, code_id: int) -> Any:
    programme = _programme_for_research(programme_id)
    code = db.session.get(Code, code_id)
    if code is None or code.programme_id != programme.id:
        abort(404)
    lines = logic.programme_codes(db.session, programme.id)
    below = set(logic.descendants(db.session, code))
    # The code as it reads now; what is posted takes precedence.
    form = CodeForm(
        name=logic.code_name(code),
        definition=logic.code_definition(code),
        parent_id=code.parent_id or TOP_LEVEL,
        colour=codebook_logic.code_colour(code),
    )
    form.parent_id.choices = _parent_choices(lines, excluded=below)
    if form.validate_on_submit():
        name, definition = form.name.data, form.definition.data or ""
        if name != logic.code_name(code) or definition != logic.code_definition(code):
            # A reworded default code no longer follows the reader's language.
            code.name, code.definition, code.default_key = name, definition, None
        code.parent_id = form.parent_id.data or None
        colour = (form.colour.data or "").lower()
        if colour and colour != codebook_logic.code_colour(code).lower():
            code.colour = colour
        db.session.commit()
        flash(_("The code has been saved."), "success")
        return redirect(url_for("coding.codebook", programme_id=programme.id))
    return render_template(
        "reflections/code_form.html",
        programme=programme,
        code=code,
        form=form,
        in_use=logic.is_in_use(db.session, code),
        merge_choices=[
            (line.code.id, " › ".join(line.path)) for line in lines if line.code.id not in below
        ],
    ), form_status(form)


@blueprint.route(
    "/programmes/<int:programme_id>/codebook/<int:code_id>/merge", methods=["GET", "POST"]
)
@login_required
def merge_code(programme_id: int, code_id: int) -> Any:
    """Merge a code into another (asked on a confirmation page): its codings, ratings, actions'
    themes and sub-codes go to the other, and it goes."""
    programme = _programme_for_research(programme_id)
    source = db.session.get(Code, code_id)
    target = db.session.get(Code, request.values.get("into", type=int) or 0)
    if source is None or source.programme_id != programme.id:
        abort(404)
    back = url_for("coding.edit_code", programme_id=programme.id, code_id=source.id)
    if target is None or target.programme_id != programme.id or target.id == source.id:
        flash(_("Choose the code to merge it into."), "error")
        return redirect(back)
    names = {
        line.code.id: " › ".join(line.path)
        for line in logic.programme_codes(db.session, programme.id)
    }
    if request.method == "GET":
        return confirmation_page(
            _(
                "Merge “%(source)s” into “%(target)s”?",
                source=names.get(source.id),
                target=names.get(target.id),
            ),
            [
                _(
                    "Its codings, self-ratings, actions’ themes and the codes under it go to "
                    "“%(target)s”, and “%(source)s” is deleted. This cannot be undone.",
                    source=names.get(source.id),
                    target=names.get(target.id),
                )
            ],
            _("Merge the codes"),
            (_("Keep them apart"), back),
            caption=(programme.name, url_for("coding.codebook", programme_id=programme.id)),
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        merged = codebook_logic.merge_codes(db.session, source, target)
    except codebook_logic.MergeRefused:
        db.session.rollback()
        flash(_("A code cannot be merged into a code below it."), "error")
        return redirect(back)
    db.session.commit()
    flash(
        ngettext(
            "Merged: %(num)d coding moved.", "Merged: %(num)d codings moved.", merged.codings_moved
        ),
        "success",
    )
    return redirect(url_for("coding.edit_code", programme_id=programme.id, code_id=target.id))


@blueprint.route("/programmes/<int:programme_id>/coding/undo", methods=["POST"])
@login_required
def undo_coding(programme_id: int) -> WerkzeugResponse:
    """Take back one's own last coding in the programme."""
    programme = _programme_for_research(programme_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    last = codebook_logic.last_coding(db.session, programme.id, current_user.id)
    if last is None:
        flash(_("You have no coding to undo."), "error")
        return redirect(url_for("coding.codebook", programme_id=programme.id))
    passage = last.passage
    reflection = passage.reflection
    visit = reflection.visit
    name = logic.code_name(last.code)
    quote = last.quote
    db.session.delete(last)
    db.session.commit()
    flash(_("Undone: “%(code)s” on “%(quote)s”.", code=name, quote=quote[:80]), "success")
    return _back_to_passage(visit, reflection, passage)


@blueprint.route("/programmes/<int:programme_id>/codes.css")
@login_required
def code_colours(programme_id: int) -> Response:
    """Each code's colour as a class, for the marks on coded words (the pages' policy lets
    styles come only from cop's own addresses, not from inline style attributes)."""
    programme = _programme_for_research(programme_id)
    rules = []
    for code in db.session.scalars(select(Code).where(Code.programme_id == programme.id)):
        colour = codebook_logic.code_colour(code)
        rules.append(
            f".coded--{code.id}{{background-color:{codebook_logic.tint(colour)};"
            f"border-bottom:3px solid {colour}}}"
            f".swatch--{code.id}{{background-color:{colour}}}"
        )
    return Response("\n".join(rules) + "\n", mimetype="text/css")


@blueprint.route(
    "/programmes/<int:programme_id>/codebook/<int:code_id>/delete", methods=["GET", "POST"]
)
@login_required
def delete_code(programme_id: int, code_id: int) -> Any:
    programme = _programme_for_research(programme_id)
    code = db.session.get(Code, code_id)
    if code is None or code.programme_id != programme.id:
        abort(404)
    if request.method == "GET" and not logic.is_in_use(db.session, code):
        return confirmation_page(
            _("Delete the code “%(name)s”?", name=logic.code_name(code)),
            [_("No passage has this code, nor any code under it; those codes go with it.")],
            _("Delete the code"),
            (
                _("Keep it"),
                url_for("coding.edit_code", programme_id=programme.id, code_id=code.id),
            ),
            caption=(programme.name, url_for("coding.codebook", programme_id=programme.id)),
        )
    if request.method == "POST" and not EmptyForm().validate_on_submit():
        abort(400)
    if logic.is_in_use(db.session, code):
        flash(
            _(
                "This code, or a code under it, has been applied or rated; it cannot be "
                "deleted, but it can be renamed or moved."
            ),
            "error",
        )
        return redirect(url_for("coding.edit_code", programme_id=programme.id, code_id=code.id))
    db.session.delete(code)
    db.session.commit()
    flash(_("The code has been deleted."), "success")
    return redirect(url_for("coding.codebook", programme_id=programme.id))


def _qda_problem(error: qdpx.QdaFileError) -> str:
    """What is wrong with an uploaded REFI-QDA file, in the reader's language."""
    messages = {
        "not-zip": _("This file is neither a REFI-QDA project (.qdpx, a zip file) nor a codebook."),
        "no-project": _("This .qdpx file holds no project.qde."),
        "not-xml": _("The file’s XML cannot be read (%(detail)s).", detail=error.detail),
        "not-project": _("This is not a REFI-QDA project or codebook."),
        "not-codebook": _("This is not a REFI-QDA project or codebook."),
        "external-source": _(
            "The text of “%(name)s” is kept outside the project; export the project with its "
            "sources inside it.",
            name=error.detail,
        ),
        "missing-source": _(
            "The text of “%(name)s” is missing from the project file.", name=error.detail
        ),
        "too-large": _("This file unpacks to more than 200 MB."),
        "no-visit": _(
            "The project has text sources, and each becomes a reflection of a visit: plan a "
            "visit in this programme first, then choose it here."
        ),
    }
    return messages.get(error.reason, _("This file cannot be read."))


@blueprint.route("/programmes/<int:programme_id>/import", methods=["GET", "POST"])
@login_required
def import_qda(programme_id: int) -> Any:
    """Bring a REFI-QDA codebook or project into the programme."""
    programme = _programme_for_research(programme_id)
    form = QdaImportForm()
    visits = db.session.execute(
        select(Visit.id, Visit.title).where(Visit.programme_id == programme.id).order_by(Visit.id)
    ).all()
    form.visit_id.choices = options((visit.id, visit.title) for visit in visits)
    form.phase.choices = options(Phase.choices())
    form.consent.choices = options(
        (consent.value, consent.label) for consent in logic.readable_consents()
    )
    if request.method == "GET":
        form.phase.data = Phase.AFTER.value
        form.consent.data = Consent.PSEUDONYMISED.value
    summary, problem = None, ""
    # A codebook needs no visit (a programme without one may still import codes); a project's
    # visit is checked against the programme when its sources are brought in.
    form.visit_id.validate_choice = False
    if form.validate_on_submit():
        # The upload is no larger than MAX_CONTENT_LENGTH (a larger one is answered 413).
        data = form.file.data.read()
        try:
            visit = db.session.get(Visit, form.visit_id.data) if form.visit_id.data else None
            summary = projects.bring_in(
                db.session,
                programme,
                data,
                visit=visit,
                phase=Phase(form.phase.data),
                consent=Consent(form.consent.data),
                importer=current_user,
            )
        except qdpx.QdaFileError as error:
            db.session.rollback()
            problem = _qda_problem(error)
        if summary is not None:
            db.session.commit()
    status = 400 if problem or form.errors else 200
    return render_template(
        "reflections/import_qda.html",
        programme=programme,
        form=form,
        problem=problem,
        summary=summary,
        has_visits=bool(visits),
    ), status

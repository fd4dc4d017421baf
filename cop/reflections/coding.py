"""Coding reflections: the codebook, applying codes to passages, memos, agreement between coders,
exports, and reading the coded material by theme and by person."""

from __future__ import annotations

from collections import defaultdict
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
from cop.accounts.models import User
from cop.directory.models import Person
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.itinerary.models import ItineraryItem
from cop.pseudonyms import pseudonym
from cop.reflections import exporting, logic
from cop.reflections.agreement import agreement_by_code
from cop.reflections.defaults import CYCLES_ROOT
from cop.reflections.forms import CodeForm, CodingForm, ConsentForm, MemoForm
from cop.reflections.models import (
    Action,
    Code,
    CodedSegment,
    Consent,
    Memo,
    Passage,
    Phase,
    Reflection,
    SelfRating,
)
from cop.reflections.transcripts import format_timestamp
from cop.viewhelpers import child_of_visit, csv_download, form_status
from cop.visits.models import Membership, Programme, Visit

blueprint = Blueprint("coding", __name__)

TOP_LEVEL = 0
QUOTES_PER_PAGE = 200


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
    coding_form = CodingForm()
    coding_form.code_id.choices = _code_choices(lines)
    consent_form = ConsentForm(consent=reflection.consent.value)
    consent_form.consent.choices = options(Consent.choices())
    ratings = _ratings_against_baseline(reflection)
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
        baseline = dict(
            db.session.execute(
                select(SelfRating.code_id, SelfRating.score)
                .join(Reflection, Reflection.id == SelfRating.reflection_id)
                .where(
                    Reflection.visit_id == reflection.visit_id,
                    Reflection.person_id == reflection.person_id,
                    Reflection.phase == Phase.BEFORE,
                )
            ).all()
        )
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
    return redirect(
        url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id)
        + f"#passage-{passage.id}"
    )


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
                name=form.name.data.strip(),
                definition=(form.definition.data or "").strip(),
                position=(last if last is not None else -1) + 1,
            )
        )
        db.session.commit()
        flash(_("The code has been added."), "success")
        return redirect(url_for("coding.codebook", programme_id=programme.id))
    usage = dict(
        db.session.execute(
            select(CodedSegment.code_id, func.count(CodedSegment.id))
            .join(Code, Code.id == CodedSegment.code_id)
            .where(Code.programme_id == programme.id)
            .group_by(CodedSegment.code_id)
        ).all()
    )
    return render_template(
        "reflections/codebook.html",
        programme=programme,
        lines=lines,
        usage=usage,
        definition=logic.code_definition,
        form=form,
    ), form_status(form)


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
    )
    form.parent_id.choices = _parent_choices(lines, excluded=below)
    if form.validate_on_submit():
        name, definition = form.name.data.strip(), (form.definition.data or "").strip()
        if name != logic.code_name(code) or definition != logic.code_definition(code):
            # A reworded default code no longer follows the reader's language.
            code.name, code.definition, code.default_key = name, definition, None
        code.parent_id = form.parent_id.data or None
        db.session.commit()
        flash(_("The code has been saved."), "success")
        return redirect(url_for("coding.codebook", programme_id=programme.id))
    return render_template(
        "reflections/code_form.html",
        programme=programme,
        code=code,
        form=form,
        in_use=logic.is_in_use(db.session, code),
        delete_form=EmptyForm(),
    ), form_status(form)


@blueprint.route("/programmes/<int:programme_id>/codebook/<int:code_id>/delete", methods=["POST"])
@login_required
def delete_code(programme_id: int, code_id: int) -> Any:
    programme = _programme_for_research(programme_id)
    code = db.session.get(Code, code_id)
    if code is None or code.programme_id != programme.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
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


@blueprint.route("/programmes/<int:programme_id>/codebook.qdc")
@login_required
def codebook_export(programme_id: int) -> Response:
    programme = _programme_for_research(programme_id)
    lines = logic.programme_codes(db.session, programme.id)
    body = exporting.codebook_qdc(
        lines,
        {line.code.id: logic.code_definition(line.code) for line in lines},
        scope=f"{current_app.config['BASE_URL']}/programmes/{programme.id}",
    )
    return Response(
        body,
        mimetype="application/xml",
        headers={
            "Content-Disposition": f'attachment; filename="codebook-programme-{programme.id}.qdc"'
        },
    )


def _readable_segments(programme_id: int):
    """Coded segments of submitted reflections whose writers let researchers read them."""
    return (
        select(CodedSegment)
        .join(Passage, Passage.id == CodedSegment.passage_id)
        .join(Reflection, Reflection.id == Passage.reflection_id)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(
            Visit.programme_id == programme_id,
            logic.readable_by_researchers(),
        )
        .options(
            selectinload(CodedSegment.passage)
            .selectinload(Passage.reflection)
            .selectinload(Reflection.person)
            .selectinload(Person.organisation),
            selectinload(CodedSegment.passage)
            .selectinload(Passage.reflection)
            .selectinload(Reflection.visit),
            selectinload(CodedSegment.coder),
            selectinload(CodedSegment.code),
        )
        .order_by(Reflection.id, Passage.position, CodedSegment.char_start, CodedSegment.id)
    )


def _participant(reflection: Reflection, with_names: bool) -> str:
    if with_names and reflection.consent.researchers_see_name:
        return reflection.person.name
    return pseudonym(_secret(), reflection.person_id)


def _speaker(passage: Passage, reflection: Reflection, with_names: bool) -> str:
    """The speaker as written, unless it is the interviewee and names are hidden."""
    named = with_names and reflection.consent.researchers_see_name
    return logic.speaker_label(
        reflection, passage.speaker, passage.speaker_person_id, named, _secret()
    )


@blueprint.route("/programmes/<int:programme_id>/coded-segments.csv")
@login_required
def segments_export(programme_id: int) -> Response:
    programme = _programme_for_research(programme_id)
    # Pseudonymised unless asked; names only where the writer agreed to be named.
    with_names = request.args.get("names") == "1"
    paths = {line.code.id: line.path for line in logic.programme_codes(db.session, programme.id)}
    rows = []
    for segment in db.session.scalars(_readable_segments(programme.id)):
        passage = segment.passage
        reflection = passage.reflection
        organisation = reflection.person.organisation
        rows.append(
            exporting.SegmentRow(
                segment_id=segment.id,
                reflection_id=reflection.id,
                visit=reflection.visit.title,
                phase=reflection.phase.value,
                participant=_participant(reflection, with_names),
                organisation=organisation.name if organisation else "",
                consent=reflection.consent.value,
                question=passage.question_text,
                speaker=_speaker(passage, reflection, with_names),
                starts_ms=passage.starts_ms,
                ends_ms=passage.ends_ms,
                code_path=paths.get(segment.code_id, ("?",)),
                coder=segment.coder.display_name,
                quote=segment.quote,
                char_start=segment.char_start,
                char_end=segment.char_end,
            )
        )
    return csv_download(
        exporting.segments_csv(rows), f"coded-segments-programme-{programme.id}.csv"
    )


@blueprint.route("/programmes/<int:programme_id>/agreement")
@login_required
def agreement(programme_id: int) -> str:
    programme = _programme_for_research(programme_id)
    lines = logic.programme_codes(db.session, programme.id)
    coded = db.session.execute(
        select(CodedSegment.coder_id, CodedSegment.code_id, Passage.id, Passage.reflection_id)
        .join(Passage, Passage.id == CodedSegment.passage_id)
        .join(Reflection, Reflection.id == Passage.reflection_id)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(
            Visit.programme_id == programme.id,
            logic.readable_by_researchers(),
        )
    ).all()
    coder_ids = sorted({row.coder_id for row in coded})
    coders = {
        user.id: user.display_name
        for user in db.session.scalars(select(User).where(User.id.in_(coder_ids)))
    }
    first = request.args.get("first", type=int)
    second = request.args.get("second", type=int)
    if first not in coders and len(coder_ids) >= 2:
        first = coder_ids[0]
    if second not in coders and len(coder_ids) >= 2:
        second = next(c for c in coder_ids if c != first)
    results, units, problem = [], 0, ""
    if first in coders and second in coders and first != second:
        by_first = {(r.id, r.code_id) for r in coded if r.coder_id == first}
        by_second = {(r.id, r.code_id) for r in coded if r.coder_id == second}
        shared_reflections = {r.reflection_id for r in coded if r.coder_id == first} & {
            r.reflection_id for r in coded if r.coder_id == second
        }
        passage_ids = db.session.scalars(
            select(Passage.id).where(Passage.reflection_id.in_(shared_reflections))
        ).all()
        units = len(passage_ids)
        used = {code_id for _, code_id in by_first | by_second}
        names = {line.code.id: " › ".join(line.path) for line in lines}
        results = [
            (names.get(result.code_id, "?"), result)
            for result in agreement_by_code(
                passage_ids,
                by_first,
                by_second,
                [line.code.id for line in lines if line.code.id in used],
            )
        ]
    elif len(coder_ids) < 2:
        problem = _("Agreement needs two coders who have coded the same reflections.")
    else:
        problem = _("Choose two different coders.")
    return render_template(
        "reflections/agreement.html",
        programme=programme,
        coders=coders,
        first=first,
        second=second,
        results=results,
        units=units,
        problem=problem,
    )


@blueprint.route("/programmes/<int:programme_id>/themes")
@login_required
def themes(programme_id: int) -> str:
    programme = _programme_for_research(programme_id)
    lines = logic.programme_codes(db.session, programme.id)
    readable = (
        select(CodedSegment.code_id, Reflection.person_id)
        .join(Passage, Passage.id == CodedSegment.passage_id)
        .join(Reflection, Reflection.id == Passage.reflection_id)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(
            Visit.programme_id == programme.id,
            logic.readable_by_researchers(),
        )
    )
    segments: dict[int, int] = defaultdict(int)
    people: dict[int, set[int]] = defaultdict(set)
    for code_id, person_id in db.session.execute(readable):
        segments[code_id] += 1
        people[code_id].add(person_id)
    return render_template(
        "reflections/themes.html",
        programme=programme,
        lines=lines,
        segments=segments,
        people={code_id: len(found) for code_id, found in people.items()},
    )


@blueprint.route("/programmes/<int:programme_id>/themes/<int:code_id>")
@login_required
def theme(programme_id: int, code_id: int) -> str:
    programme = _programme_for_research(programme_id)
    code = db.session.get(Code, code_id)
    if code is None or code.programme_id != programme.id:
        abort(404)
    below = logic.descendants(db.session, code)
    found = db.session.scalars(
        _readable_segments(programme.id)
        .where(CodedSegment.code_id.in_(below))
        .limit(QUOTES_PER_PAGE + 1)
    ).all()
    reader = logic.Reader(current_user.person_id, researcher=True)
    quotes = [
        (segment, logic.writer_label(reader, segment.passage.reflection, _secret()))
        for segment in found[:QUOTES_PER_PAGE]
    ]
    return render_template(
        "reflections/theme.html",
        programme=programme,
        code=code,
        name=logic.code_name(code),
        definition=logic.code_definition(code),
        quotes=quotes,
        more=len(found) > QUOTES_PER_PAGE,
        people=len({segment.passage.reflection.person_id for segment, _label in quotes}),
        format_timestamp=format_timestamp,
        story_key=lambda reflection: pseudonym(_secret(), reflection.person_id),
        code_name=logic.code_name,
    )


@blueprint.route("/programmes/<int:programme_id>/stories/<key>")
@login_required
def story(programme_id: int, key: str) -> str:
    """One person's value-creation story: their coded passages in the order of the value cycles,
    their ratings before and after, and their actions. Researchers see it as consent allows; the
    person sees their own."""
    programme = db.get_or_404(Programme, programme_id)
    researcher = access.researches_programme(current_user, programme.id)
    person = _person_behind(programme.id, key)
    is_self = person is not None and person.id == current_user.person_id
    if person is None or not (researcher or is_self):
        abort(404 if person is None else 403)
    reader = logic.Reader(current_user.person_id, researcher)
    reflections = [
        reflection
        for reflection in db.session.scalars(
            select(Reflection)
            .join(Visit, Visit.id == Reflection.visit_id)
            .where(Visit.programme_id == programme.id, Reflection.person_id == person.id)
            .options(selectinload(Reflection.person), selectinload(Reflection.visit))
            .order_by(Reflection.created_at)
        )
        if logic.may_read(reader, reflection)
    ]
    cycles = logic.children_of(db.session, programme.id, CYCLES_ROOT)
    by_cycle = []
    for cycle in cycles:
        found = db.session.scalars(
            select(CodedSegment)
            .join(Passage, Passage.id == CodedSegment.passage_id)
            .where(
                Passage.reflection_id.in_([r.id for r in reflections]),
                CodedSegment.code_id.in_(logic.descendants(db.session, cycle)),
            )
            .options(selectinload(CodedSegment.passage).selectinload(Passage.reflection))
            .order_by(CodedSegment.created_at)
        ).all()
        by_cycle.append((logic.code_name(cycle), logic.code_definition(cycle), found))
    label = (
        logic.writer_label(reader, reflections[0], _secret())
        if reflections
        else (person.name if is_self else key)
    )
    actions = db.session.scalars(
        select(Action)
        .join(Visit, Visit.id == Action.visit_id)
        .where(Visit.programme_id == programme.id, Action.owner_id == person.id)
        .order_by(Action.created_at)
    ).all()
    return render_template(
        "reflections/story.html",
        programme=programme,
        label=label,
        by_cycle=by_cycle,
        reflections=reflections,
        actions=actions
        if (is_self or any(r.consent.researchers_see_name for r in reflections))
        else [],
        format_timestamp=format_timestamp,
    )


def _person_behind(programme_id: int, key: str) -> Person | None:
    """The person of the programme whose pseudonym is ``key``."""
    person_ids = db.session.scalars(
        select(Membership.person_id)
        .join(Visit, Visit.id == Membership.visit_id)
        .where(Visit.programme_id == programme_id)
        .distinct()
    ).all()
    secret = _secret()
    for person_id in person_ids:
        if pseudonym(secret, person_id) == key:
            return db.session.get(Person, person_id)
    return None

"""Reading what was coded, for researchers: agreement between coders, passages by theme,
each person's value-creation story, and the exports (coded segments as CSV, the codebook as
REFI-QDA)."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import selectinload

from cop import access
from cop.accounts.models import User
from cop.directory.models import Person
from cop.extensions import db
from cop.forms import EmptyForm
from cop.pseudonyms import pseudonym
from cop.reflections import logic
from cop.reflections.defaults import CYCLES_ROOT
from cop.reflections.models import Passage, Reflection
from cop.reflections.transcripts import format_timestamp
from cop.research import exporting, matrix, projects, qdpx, queries, stories, value
from cop.research.agreement import (
    Unit,
    agreement_by_code,
    alpha_by_code,
    programme_codings,
)
from cop.research.agreement import disagreements as agreement_disagreements
from cop.research.models import Code, CodedSegment
from cop.research.quotes import quotes_of
from cop.spreadsheets import csv_text
from cop.stored_pages import stored_page
from cop.viewhelpers import csv_download
from cop.visits.models import Programme, Visit

blueprint = Blueprint("reading", __name__)

QUOTES_PER_PAGE = 200
# Coders' segments read for a page of quotes; several coders may code each quote.
SEGMENTS_READ = QUOTES_PER_PAGE * 4


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _qda_scope(programme: Programme) -> str:
    """What exported GUIDs are derived from: this installation (its address and a digest of
    its secret key, as two installations may share an address such as 127.0.0.1) and the
    programme, so that two installations never give one GUID to different codes."""
    installation = hmac.new(_secret().encode(), b"refi-qda", hashlib.sha256).hexdigest()[:16]
    return f"{current_app.config['BASE_URL']}/{installation}/programmes/{programme.id}"


def _programme_for_research(programme_id: int) -> Programme:
    return access.programme_for(programme_id, research=True)


def _withhold_while_blind(programme: Programme) -> None:
    """Pages that show every coder's codes: while this researcher codes blind
    (access.codes_blind), answered by a page that says so and lets them finish."""
    if access.codes_blind(current_user, programme):
        page = render_template("reflections/blind.html", programme=programme, form=EmptyForm())
        abort(make_response(page, 403))


def _coded_by_others(programme_id: int) -> Programme:
    programme = _programme_for_research(programme_id)
    _withhold_while_blind(programme)
    return programme


@blueprint.route("/programmes/<int:programme_id>/codebook.qdc")
@login_required
def codebook_export(programme_id: int) -> Response:
    programme = _programme_for_research(programme_id)
    lines = logic.programme_codes(db.session, programme.id)
    body = exporting.codebook_qdc(
        lines,
        {line.code.id: logic.code_definition(line.code) for line in lines},
        scope=_qda_scope(programme),
    )
    return Response(
        body,
        mimetype="application/xml",
        headers={
            "Content-Disposition": f'attachment; filename="codebook-programme-{programme.id}.qdc"'
        },
    )


@blueprint.route("/programmes/<int:programme_id>/project.qdpx")
@login_required
def project_export(programme_id: int) -> Response:
    """The programme as a REFI-QDA project: pseudonymised unless names are asked for, and then
    named only where the writer agreed."""
    programme = _coded_by_others(programme_id)
    with_names = request.args.get("names") == "1"
    project = projects.programme_project(
        db.session,
        programme,
        secret=_secret(),
        scope=_qda_scope(programme),
        with_names=with_names,
    )
    name = f"programme-{programme.id}{'-named' if with_names else ''}.qdpx"
    return Response(
        qdpx.write_qdpx(project),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
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
    programme = _coded_by_others(programme_id)
    # Pseudonymised unless asked; names only where the writer agreed to be named.
    with_names = request.args.get("names") == "1"
    paths = {line.code.id: line.path for line in logic.programme_codes(db.session, programme.id)}
    rows = []
    for segment in db.session.scalars(queries.readable_segments(programme.id)):
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
@stored_page
@login_required
def agreement(programme_id: int) -> str:
    programme = _coded_by_others(programme_id)
    lines = logic.programme_codes(db.session, programme.id)
    codings = programme_codings(db.session, programme.id)
    coder_ids = codings.coder_ids
    coders = {
        user.id: user.display_name
        for user in db.session.scalars(select(User).where(User.id.in_(coder_ids)))
    }
    unit = _chosen_unit()
    first = request.args.get("first", type=int)
    second = request.args.get("second", type=int)
    if first not in coders and len(coder_ids) >= 2:
        first = coder_ids[0]
    if second not in coders and len(coder_ids) >= 2:
        second = next(c for c in coder_ids if c != first)
    used = {coding.code_id for coding in codings.applied}
    names = {line.code.id: " › ".join(line.path) for line in lines}
    code_ids = [line.code.id for line in lines if line.code.id in used]
    alphas, overall = alpha_by_code(codings.passages, codings.applied, code_ids, unit)
    results, units, problem = [], 0, ""
    if first in coders and second in coders and first != second:
        shared = codings.shared_by(first, second)
        units = len(shared)
        results = [
            (names.get(result.code_id, "?"), result)
            for result in agreement_by_code(
                [passage.passage_id for passage in shared],
                codings.pairs(first),
                codings.pairs(second),
                code_ids,
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
        unit=unit,
        alphas=[(names.get(result.code_id, "?"), result) for result in alphas],
        overall=overall,
    )


DISAGREEMENTS_SHOWN = 100


def _chosen_unit() -> Unit:
    try:
        return Unit(request.args.get("unit", Unit.PASSAGE.value))
    except ValueError:
        return Unit.PASSAGE


@blueprint.route("/programmes/<int:programme_id>/agreement/disagreements")
@stored_page
@login_required
def disagreements(programme_id: int) -> str:
    """Where two coders decided differently, side by side, so that they can settle it: each
    of them can apply the code as the other did, or remove their own."""
    programme = _coded_by_others(programme_id)
    codings = programme_codings(db.session, programme.id)
    coder_ids = codings.coder_ids
    first = request.args.get("first", type=int)
    second = request.args.get("second", type=int)
    if first not in coder_ids or second not in coder_ids or first == second:
        abort(404)
    unit = _chosen_unit()
    found = agreement_disagreements(codings, first, second, unit)
    shown = found[:DISAGREEMENTS_SHOWN]
    passages = {
        passage.id: passage
        for passage in db.session.scalars(
            select(Passage)
            .where(Passage.id.in_({d.passage_id for d in shown}))
            .options(
                selectinload(Passage.reflection).selectinload(Reflection.visit),
                selectinload(Passage.reflection).selectinload(Reflection.person),
            )
        )
    }
    names = {
        line.code.id: " › ".join(line.path)
        for line in logic.programme_codes(db.session, programme.id)
    }
    coders = {
        user.id: user.display_name
        for user in db.session.scalars(select(User).where(User.id.in_([first, second])))
    }
    rows = [
        {
            "disagreement": disagreement,
            "passage": passages[disagreement.passage_id],
            "participant": _participant(passages[disagreement.passage_id].reflection, True),
            "code": names.get(disagreement.code_id, "?"),
        }
        for disagreement in shown
    ]
    return render_template(
        "reflections/disagreements.html",
        programme=programme,
        first=first,
        second=second,
        coders=coders,
        unit=unit,
        rows=rows,
        total=len(found),
        here=request.full_path,
    )


@blueprint.route("/programmes/<int:programme_id>/themes")
@stored_page
@login_required
def themes(programme_id: int) -> str:
    programme = _coded_by_others(programme_id)
    lines = logic.programme_codes(db.session, programme.id)
    readable = (
        select(CodedSegment.code_id, CodedSegment.passage_id, Reflection.person_id)
        .join(Passage, Passage.id == CodedSegment.passage_id)
        .join(Reflection, Reflection.id == Passage.reflection_id)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(
            Visit.programme_id == programme.id,
            logic.readable_by_researchers(),
        )
    )
    # A passage two coders coded with the same code is one coded passage.
    passages: dict[int, set[int]] = defaultdict(set)
    people: dict[int, set[int]] = defaultdict(set)
    for code_id, passage_id, person_id in db.session.execute(readable):
        passages[code_id].add(passage_id)
        people[code_id].add(person_id)
    return render_template(
        "reflections/themes.html",
        programme=programme,
        lines=lines,
        passages={code_id: len(found) for code_id, found in passages.items()},
        people={code_id: len(found) for code_id, found in people.items()},
    )


@blueprint.route("/programmes/<int:programme_id>/themes/<int:code_id>")
@stored_page
@login_required
def theme(programme_id: int, code_id: int) -> str:
    programme = _coded_by_others(programme_id)
    code = db.session.get(Code, code_id)
    if code is None or code.programme_id != programme.id:
        abort(404)
    # From the case-by-code matrix: this code alone, of one person or one organisation.
    below = [code.id] if request.args.get("exact") == "1" else logic.descendants(db.session, code)
    chosen = queries.readable_segments(programme.id).where(CodedSegment.code_id.in_(below))
    case = _case_asked_for(programme)
    if case is not None:
        chosen = chosen.where(case)
    # Two coders' segments of the same words are one quote; a page of quotes may take more
    # segments than quotes, so more are read than shown.
    found = db.session.scalars(chosen.limit(SEGMENTS_READ)).all()
    merged = quotes_of(found)
    reader = logic.Reader(current_user.person_id, researcher=True)
    quotes = [
        (quote, logic.writer_label(reader, quote.passage.reflection, _secret()))
        for quote in merged[:QUOTES_PER_PAGE]
    ]
    return render_template(
        "reflections/theme.html",
        programme=programme,
        code=code,
        name=logic.code_name(code),
        definition=logic.code_definition(code),
        quotes=quotes,
        more=len(merged) > QUOTES_PER_PAGE or len(found) == SEGMENTS_READ,
        people=len({quote.passage.reflection.person_id for quote, _label in quotes}),
        format_timestamp=format_timestamp,
        story_key=lambda reflection: pseudonym(_secret(), reflection.person_id),
        code_name=logic.code_name,
        one_case=case is not None,
    )


def _case_asked_for(programme: Programme) -> ColumnElement[bool] | None:
    """The condition for one case of the matrix (``?person=<pseudonym>`` or
    ``?organisation=<id>``, 0 for people of no organisation); 404 for one that is not there."""
    if "person" in request.args:
        person = _person_behind(programme.id, request.args["person"])
        if person is None:
            abort(404)
        return Reflection.person_id == person.id
    if "organisation" in request.args:
        organisation = request.args.get("organisation", type=int)
        if organisation is None:
            abort(404)
        writers = select(Person.id).where(
            Person.organisation_id.is_(None)
            if organisation == matrix.NO_ORGANISATION
            else Person.organisation_id == organisation
        )
        return Reflection.person_id.in_(writers)
    return None


@blueprint.route("/programmes/<int:programme_id>/matrix")
@stored_page
@login_required
def case_matrix(programme_id: int) -> str:
    """People, or their organisations, by codes: how many coded passages each has."""
    programme = _coded_by_others(programme_id)
    try:
        kind = matrix.CaseKind(request.args.get("by", matrix.CaseKind.PERSON.value))
    except ValueError:
        kind = matrix.CaseKind.PERSON
    reader = logic.Reader(current_user.person_id, researcher=True)

    def person_label(person_id: int, name: str, named: bool) -> str:
        if named or reader.person_id == person_id:
            return name
        return pseudonym(_secret(), person_id)

    rows = matrix.coded_rows(db.session, programme.id)
    cases = matrix.tally(
        rows, kind, person_label=person_label, no_organisation=_("No organisation")
    )
    used = {row.code_id for row in rows}
    lines = [
        line for line in logic.programme_codes(db.session, programme.id) if line.code.id in used
    ]
    return render_template(
        "reflections/matrix.html",
        programme=programme,
        kind=kind,
        cases=cases,
        lines=lines,
        story_key=lambda case: pseudonym(_secret(), case.person_id),
    )


def _value_of_new_ties(programme: Programme) -> tuple[list, tuple | None, int]:
    ties, after = value.new_ties(db.session, programme.id, request.args.get("visit", type=int))

    def label(person: Person, named: bool) -> str:
        return person.name if named else pseudonym(_secret(), person.id)

    return value.value_of_ties(db.session, programme.id, ties, label), after, len(ties)


@blueprint.route("/programmes/<int:programme_id>/value-creation")
@stored_page
@login_required
def value_creation(programme_id: int) -> str:
    """Each tie first made after the visit, with what both people wrote about each other and
    the actions it fed, in the value-creation cycles."""
    programme = _coded_by_others(programme_id)
    values, after, made = _value_of_new_ties(programme)
    return render_template(
        "reflections/value_creation.html",
        programme=programme,
        values=values,
        after=after,
        made=made,
        cycles=[
            logic.code_name(code)
            for code in logic.children_of(db.session, programme.id, CYCLES_ROOT)
        ],
    )


@blueprint.route("/programmes/<int:programme_id>/value-creation.csv")
@login_required
def value_creation_export(programme_id: int) -> Response:
    programme = _coded_by_others(programme_id)
    values, _after, _made = _value_of_new_ties(programme)
    return csv_download(
        csv_text(value.VALUE_COLUMNS, value.value_rows(values)),
        f"value-creation-programme-{programme.id}.csv",
    )


@blueprint.route("/programmes/<int:programme_id>/stories/<key>")
@stored_page
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
    if not is_self:
        _withhold_while_blind(programme)
    reader = logic.Reader(current_user.person_id, researcher)
    found = stories.story_of(db.session, programme.id, person.id, reader)
    label = (
        logic.writer_label(reader, found.reflections[0], _secret())
        if found.reflections
        else (person.name if is_self else key)
    )
    return render_template(
        "reflections/story.html",
        programme=programme,
        label=label,
        by_cycle=[
            (logic.code_name(cycle), logic.code_definition(cycle), quotes)
            for cycle, quotes in found.by_cycle
        ],
        reflections=found.reflections,
        actions=found.actions if (is_self or found.named) else [],
        format_timestamp=format_timestamp,
    )


def _person_behind(programme_id: int, key: str) -> Person | None:
    return stories.person_behind(db.session, programme_id, key, _secret())

"""A programme's research data as a REFI-QDA project, and REFI-QDA projects and codebooks
brought into a programme (no Flask here; the XML and the zip are cop.research.qdpx's).

Out: every reflection and transcript researchers may read (never a private one or a draft)
is a text source; its writer is a case, under their pseudonym unless the export asks for names
and the writer agreed to be named (an interviewee's turns likewise); the codebook with its
nesting; each coded segment a selection with its coder. GUIDs are stable from one export to
the next: an imported row keeps the GUID it came with, others are derived from the
installation and the row's id.

In: codes (nested, accented names, GUIDs and colours kept; a code already in the programme
with the same GUID is the same code), and each text source as a reflection of a chosen visit,
written by a person named after its case (made in the directory), with the consent the
importer states, holding its text as one passage and its coded selections as coded segments.
A coding is the coder's whose name matches a researcher of the programme, else the importer's.
What cannot be brought in is listed, and nothing else is lost."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cop.accounts.models import User
from cop.database import utcnow
from cop.directory.models import Person
from cop.pseudonyms import pseudonym
from cop.reflections import logic
from cop.reflections.models import Consent, Passage, Phase, Reflection, ReflectionSource
from cop.research import qdpx
from cop.research.exporting import code_guid, stable_guid
from cop.research.models import Code, CodedSegment
from cop.visits.models import Programme, ProgrammeResearcher, Visit

PASSAGE_BREAK = "\n\n"
TURN_BREAK = "\n"


@dataclass(frozen=True)
class SourceText:
    """A reflection laid out as one text: where each passage's own words start in it."""

    text: str
    starts: dict[int, int]


def source_text(
    reflection: Reflection, passages: list[Passage], speaker_of: Callable[[Passage], str]
) -> SourceText:
    """Written answers as question, new line, answer, a blank line between them; an
    interview as "Speaker: words", one turn a line. An imported source is its one passage."""
    parts: list[str] = []
    starts: dict[int, int] = {}
    length = 0
    interview = reflection.source is ReflectionSource.INTERVIEW
    for passage in passages:
        if parts:
            separator = TURN_BREAK if interview else PASSAGE_BREAK
            parts.append(separator)
            length += len(separator)
        if interview and passage.speaker:
            lead = f"{speaker_of(passage)}: "
        elif passage.question_text:
            lead = f"{passage.question_text}\n"
        else:
            lead = ""
        parts.append(lead)
        length += len(lead)
        starts[passage.id] = length
        parts.append(passage.text)
        length += len(passage.text)
    return SourceText("".join(parts), starts)


def programme_project(
    session: Session, programme: Programme, *, secret: str, scope: str, with_names: bool
) -> qdpx.QdaProject:
    """The programme's codebook, readable reflections and codings as a REFI-QDA project."""
    lines = logic.programme_codes(session, programme.id)
    by_id = {line.code.id: line.code for line in lines}
    tree: dict[int | None, list[Code]] = defaultdict(list)
    for line in lines:
        tree[line.code.parent_id if line.code.parent_id in by_id else None].append(line.code)

    def as_qda(code: Code) -> qdpx.QdaCode:
        return qdpx.QdaCode(
            guid=code_guid(scope, code),
            name=logic.code_name(code),
            description=logic.code_definition(code),
            colour=code.colour,
            children=[as_qda(child) for child in tree.get(code.id, [])],
        )

    reflections = session.scalars(
        select(Reflection)
        .join(Visit, Visit.id == Reflection.visit_id)
        .where(Visit.programme_id == programme.id, logic.readable_by_researchers())
        .options(
            selectinload(Reflection.person),
            selectinload(Reflection.visit),
            selectinload(Reflection.passages).selectinload(Passage.segments),
        )
        .order_by(Reflection.id)
    ).all()
    coders = {
        user.id: user
        for user in session.scalars(
            select(User).where(
                User.id.in_(
                    {s.coder_id for r in reflections for p in r.passages for s in p.segments}
                )
            )
        )
    }
    users = {
        user_id: qdpx.QdaUser(stable_guid(scope, "user", user_id), user.display_name)
        for user_id, user in coders.items()
    }
    sources, cases = [], {}
    for reflection in reflections:
        named = with_names and reflection.consent.researchers_see_name
        writer = reflection.person.name if named else pseudonym(secret, reflection.person_id)
        laid_out = source_text(
            reflection,
            reflection.passages,
            lambda passage, r=reflection, n=named: logic.speaker_label(
                r, passage.speaker, passage.speaker_person_id, n, secret
            ),
        )
        guid = reflection.qda_guid or stable_guid(scope, "reflection", reflection.id)
        source = qdpx.QdaSource(
            guid=guid,
            name=reflection.qda_name
            or f"{reflection.visit.title} – {reflection.phase.value} – {writer}",
            text=laid_out.text,
            description=(
                f"{reflection.visit.title}; {reflection.phase.value}; "
                f"{reflection.source.value}; consent: {reflection.consent.value}"
            ),
            created=reflection.submitted_at or reflection.created_at,
        )
        for passage in reflection.passages:
            offset = laid_out.starts[passage.id]
            for segment in passage.segments:
                if segment.code_id not in by_id:
                    continue
                source.selections.append(
                    qdpx.QdaSelection(
                        guid=segment.qda_guid or stable_guid(scope, "segment", segment.id),
                        start=offset + segment.char_start,
                        end=offset + segment.char_end,
                        code_guids=[code_guid(scope, by_id[segment.code_id])],
                        coding_guids=[stable_guid(scope, "coding", segment.id)],
                        creator_guid=users[segment.coder_id].guid,
                        created=segment.created_at,
                    )
                )
        sources.append(source)
        case_guid = stable_guid(
            scope, f"case:{'named' if named else 'pseudonym'}", reflection.person_id
        )
        case = cases.setdefault(case_guid, (writer, []))
        case[1].append(guid)
    return qdpx.QdaProject(
        name=programme.name,
        users=list(users.values()),
        codes=[as_qda(code) for code in tree.get(None, [])],
        sources=sources,
        cases=[
            qdpx.QdaCase(guid, name, tuple(source_guids))
            for guid, (name, source_guids) in cases.items()
        ],
        created=utcnow(),
    )


# --- Bringing a project in ------------------------------------------------------------------


@dataclass
class ImportSummary:
    codes_added: int = 0
    codes_known: int = 0
    sources_added: int = 0
    sources_known: int = 0
    codings_added: int = 0
    people_added: int = 0
    attributed_to_importer: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def import_codes(
    session: Session, programme: Programme, codes: list[qdpx.QdaCode], summary: ImportSummary
) -> dict[str, Code]:
    """The codes, nested as given, under the programme's codebook; a code whose GUID the
    programme already has is that code. Returns every code of the file by GUID."""
    known = {
        code.qda_guid: code
        for code in session.scalars(
            select(Code).where(Code.programme_id == programme.id, Code.qda_guid.is_not(None))
        )
    }
    found: dict[str, Code] = {}
    roots = session.scalars(
        select(Code.position).where(Code.programme_id == programme.id, Code.parent_id.is_(None))
    ).all()
    next_root = max(roots, default=-1) + 1

    def bring(code: qdpx.QdaCode, parent: Code | None, position: int) -> None:
        existing = known.get(code.guid)
        if existing is not None:
            summary.codes_known += 1
            row = existing
        else:
            row = Code(
                programme_id=programme.id,
                parent_id=parent.id if parent is not None else None,
                position=position,
                name=code.name[:200],
                definition=code.description,
                qda_guid=code.guid,
                colour=code.colour,
            )
            session.add(row)
            session.flush()  # its id, for the codes under it
            known[code.guid] = row
            summary.codes_added += 1
        found[code.guid] = row
        for child_position, child in enumerate(code.children):
            bring(child, row, child_position)

    for offset, code in enumerate(codes):
        bring(code, None, next_root + offset)
    session.flush()
    return found


def _coders_by_name(session: Session, programme: Programme) -> dict[str, int]:
    """The programme's researchers by display name, to give imported codings back to them."""
    users = session.scalars(
        select(User)
        .join(ProgrammeResearcher, ProgrammeResearcher.user_id == User.id)
        .where(ProgrammeResearcher.programme_id == programme.id)
    ).all()
    return {user.display_name.casefold(): user.id for user in users}


def import_project(
    session: Session,
    programme: Programme,
    project: qdpx.QdaProject,
    *,
    visit: Visit,
    phase: Phase,
    consent: Consent,
    importer: User,
) -> ImportSummary:
    """Bring a project's codes, text sources and codings into the programme (not committed)."""
    summary = ImportSummary()
    codes = import_codes(session, programme, project.codes, summary)
    known_sources = set(
        session.scalars(
            select(Reflection.qda_guid)
            .join(Visit, Visit.id == Reflection.visit_id)
            .where(Visit.programme_id == programme.id, Reflection.qda_guid.is_not(None))
        )
    )
    case_of = {guid: case.name for case in project.cases for guid in case.source_guids}
    users = {user.guid: user.name for user in project.users}
    coders = _coders_by_name(session, programme)
    people: dict[str, Person] = {}
    now = utcnow()
    for source in project.sources:
        if source.guid in known_sources:
            summary.sources_known += 1
            continue
        writer_name = (case_of.get(source.guid) or source.name or "?")[:200]
        person = people.get(writer_name)
        if person is None:
            person = Person(name=writer_name)
            session.add(person)
            people[writer_name] = person
            summary.people_added += 1
        passage = Passage(position=0, text=source.text)
        reflection = Reflection(
            visit_id=visit.id,
            person=person,
            phase=phase,
            source=ReflectionSource.WRITTEN,
            consent=consent,
            created_by_id=importer.id,
            submitted_at=source.created or now,
            qda_guid=source.guid,
            qda_name=source.name[:300],
            passages=[passage],
        )
        session.add(reflection)
        summary.sources_added += 1
        _bring_selections(source, passage, codes, users, coders, importer, summary)
    session.flush()
    return summary


def _bring_selections(
    source: qdpx.QdaSource,
    passage: Passage,
    codes: dict[str, Code],
    users: dict[str, str],
    coders: dict[str, int],
    importer: User,
    summary: ImportSummary,
) -> None:
    seen: set[tuple[int, int, int, int]] = set()
    for selection in source.selections:
        if not 0 <= selection.start < selection.end <= len(source.text):
            summary.problems.append(
                f"{source.name}: selection {selection.start}-{selection.end} lies outside "
                f"its text of {len(source.text)} characters"
            )
            continue
        name = users.get(selection.creator_guid, "")
        coder_id = coders.get(name.casefold()) if name else None
        if coder_id is None:
            coder_id = importer.id
            summary.attributed_to_importer.add(name or "?")
        for target in selection.code_guids:
            code = codes.get(target)
            if code is None:
                summary.problems.append(
                    f"{source.name}: a coding refers to the code {target}, not in the codebook"
                )
                continue
            key = (code.id or id(code), coder_id, selection.start, selection.end)
            if key in seen:
                continue
            seen.add(key)
            passage.segments.append(
                CodedSegment(
                    code=code,
                    coder_id=coder_id,
                    char_start=selection.start,
                    char_end=selection.end,
                    qda_guid=selection.guid,
                    created_at=selection.created or utcnow(),
                )
            )
            summary.codings_added += 1


def bring_in(
    session: Session,
    programme: Programme,
    data: bytes,
    *,
    visit: Visit | None,
    phase: Phase,
    consent: Consent,
    importer: User,
) -> ImportSummary:
    """An uploaded file into the programme, whichever it is: a codebook (.qdc, XML) brings its
    codes; a project (.qdpx, a zip) its codes and, into ``visit`` (of this programme), its text
    sources and codings. :class:`qdpx.QdaFileError` says why a file cannot come in."""
    if not data.startswith(b"PK"):
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise qdpx.QdaFileError("not-zip")
        codes, project = qdpx.read_qdc(data), None
    else:
        project = qdpx.read_qdpx(data)
        codes = project.codes
    if project is None or not project.sources:
        summary = ImportSummary()
        import_codes(session, programme, codes, summary)
        return summary
    if visit is None or visit.programme_id != programme.id:
        raise qdpx.QdaFileError("no-visit")
    return import_project(
        session, programme, project, visit=visit, phase=phase, consent=consent, importer=importer
    )

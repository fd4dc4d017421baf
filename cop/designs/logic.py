"""A visit's design as a file, and a new visit started from one (no Flask here).

What one council learned about organising a study visit, without the visit's people or
particulars: the itinerary's skeleton by relative day (day 1 is the first day; times on the
host's clock), the interview guide, the programme's codebook, the social-media protocol's
rules, the checklist with due dates counted from the first day, and the glossary terms of the
visit, its programme and its host city. The file is JSON (``FORMAT``, ``VERSION``), readable by
another installation and by people; reading one checks every field, so that a file written by
hand or by another program is refused with the reason and never half taken in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cop.itinerary.logic import to_utc
from cop.itinerary.models import ItineraryItem
from cop.itinerary.queries import live_items_of_visit
from cop.planning.logic import CHECKLIST_KEYS
from cop.planning.models import PlanningTask
from cop.reflections.defaults import DEFAULT_CODEBOOK, DEFAULT_GUIDE
from cop.reflections.models import GuideQuestion, Phase, QuestionKind
from cop.research.models import Code
from cop.social.logic import protocol_of
from cop.social.models import Platform, SocialProtocol
from cop.translation.models import GlossaryTerm
from cop.translation.scopes import applying_to, everywhere
from cop.visits.logic import agree_dates, start_visit
from cop.visits.models import Visit, VisitStatus

FORMAT = "cop-visit-design"
VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# Days counted from day 1 that a design may name (ten years either way: anything a visit held).
MAX_DAYS = 3660
PROTOCOL_FIELDS = ("hashtags", "accounts", "forbidden_topics", "photo_rules", "video_rules")
GUIDE_KEYS = {key for questions in DEFAULT_GUIDE.values() for key, _kind in questions}
CODE_KEYS = {root for root, _children in DEFAULT_CODEBOOK} | {
    key for _root, children in DEFAULT_CODEBOOK for key in children
}


class DesignError(ValueError):
    """Why a file is not a design this installation can use: ``reason`` is a key the views
    word (``unreadable``, ``not_a_design``, ``newer``, ``too_large``, ``field``), ``where``
    names the part of the file."""

    def __init__(self, reason: str, where: str = "") -> None:
        super().__init__(f"{reason}: {where}" if where else reason)
        self.reason = reason
        self.where = where


# Writing


# Items as far as this before the first day or after the last still belong to the visit's
# own days (an arrival dinner, a follow-up call); an itinerary further away was left behind
# when the visit's dates moved, and its own first day is then day 1.
NEAR_THE_VISIT = timedelta(days=30)


def day_one(visit: Visit, items: list[ItineraryItem]) -> date | None:
    """The day the design counts from: the visit's first day, unless its itinerary lies far
    from the visit's dates (or it has none), when the itinerary's own first day."""
    zone = ZoneInfo(visit.time_zone or (items[0].time_zone if items else "UTC"))
    days = [item.starts_at.astimezone(zone).date() for item in items]
    if visit.start_date is None or visit.end_date is None:
        return min(days, default=None)
    if days and (
        min(days) < visit.start_date - NEAR_THE_VISIT or max(days) > visit.end_date + NEAR_THE_VISIT
    ):
        return min(days)
    return visit.start_date


def _itinerary(items: list[ItineraryItem], zone_name: str, first: date) -> list[dict[str, Any]]:
    zone = ZoneInfo(zone_name)
    rows = []
    for item in items:
        starts = item.starts_at.astimezone(zone)
        ends = item.ends_at.astimezone(zone)
        rows.append(
            {
                "day": (starts.date() - first).days + 1,
                "start": starts.strftime("%H:%M"),
                "end": ends.strftime("%H:%M"),
                # An item past midnight ends on a later day.
                "end_day": (ends.date() - first).days + 1,
                "title": item.title,
                "place": item.place,
                "language": item.language,
                "needs_interpreter": item.needs_interpreter,
                "travel_minutes": item.travel_minutes,
            }
        )
    return rows


def _codebook(session: Session, programme_id: int | None) -> list[dict[str, Any]]:
    if programme_id is None:
        return []
    codes = session.scalars(
        select(Code).where(Code.programme_id == programme_id).order_by(Code.position, Code.id)
    ).all()
    by_id = {code.id: code for code in codes}
    written: list[dict[str, Any]] = []
    done: set[int] = set()

    def write(code: Code) -> None:
        # Parents before their children, so that reading can resolve "parent" at once.
        if code.id in done:
            return
        parent = by_id.get(code.parent_id) if code.parent_id else None
        if parent is not None:
            write(parent)
        done.add(code.id)
        written.append(
            {
                "ref": f"c{code.id}",
                "parent": f"c{parent.id}" if parent is not None else None,
                "default_key": code.default_key,
                "name": code.name,
                "definition": code.definition,
                "colour": code.colour,
            }
        )

    for code in codes:
        write(code)
    return written


def design_of(session: Session, visit: Visit, now: datetime) -> dict[str, Any]:
    """The visit's design, as the file holds it."""
    guide = session.scalars(
        select(GuideQuestion)
        .where(GuideQuestion.visit_id == visit.id)
        .order_by(GuideQuestion.phase, GuideQuestion.position, GuideQuestion.id)
    ).all()
    # Read, not made: a page that only shows the design writes nothing.
    protocol = session.scalar(select(SocialProtocol).where(SocialProtocol.visit_id == visit.id))
    tasks = session.scalars(
        select(PlanningTask)
        .where(PlanningTask.visit_id == visit.id)
        .order_by(PlanningTask.position, PlanningTask.id)
    ).all()
    terms = session.scalars(
        select(GlossaryTerm)
        .where(applying_to(visit), ~everywhere())
        .order_by(GlossaryTerm.term_a, GlossaryTerm.id)
    ).all()
    items = list(session.scalars(live_items_of_visit(visit.id)))
    start = day_one(visit, items)
    zone = visit.time_zone or (items[0].time_zone if items else "UTC")
    if start is not None and start == visit.start_date and visit.end_date is not None:
        days = (visit.end_date - start).days + 1
    elif items and start is not None:
        days = max((i.ends_at.astimezone(ZoneInfo(zone)).date() - start).days + 1 for i in items)
    else:
        days = None
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(timespec="seconds"),
        "title": visit.title,
        "objective": visit.objective,
        "host_city": visit.host_city,
        "host_country": visit.host_country,
        "time_zone": visit.time_zone,
        "languages": visit.language_list,
        "days": days,
        "itinerary": _itinerary(items, zone, start) if start is not None else [],
        "interview_guide": [
            {
                "phase": q.phase.value,
                "kind": q.kind.value,
                "default_key": q.default_key,
                "text": q.text,
            }
            for q in guide
        ],
        "codebook": _codebook(session, visit.programme_id),
        "protocol": {
            "platforms": [p.value for p in protocol.platforms] if protocol else [],
            **{name: getattr(protocol, name) if protocol else "" for name in PROTOCOL_FIELDS},
        },
        "checklist": [
            {
                "key": task.key,
                "title": task.title,
                "due_day": (task.due_date - start).days + 1 if task.due_date and start else None,
            }
            for task in tasks
        ],
        "glossary": [
            {
                "language_a": t.language_a,
                "term_a": t.term_a,
                "language_b": t.language_b,
                "term_b": t.term_b,
                "explanation": t.explanation,
                "do_not_translate": t.do_not_translate,
                "domain": t.domain,
            }
            for t in terms
        ],
    }


def design_file(design: dict[str, Any]) -> bytes:
    return json.dumps(design, ensure_ascii=False, indent=2).encode("utf-8")


# Reading


def _text(row: dict[str, Any], name: str, where: str, limit: int, required: bool = False) -> str:
    value = row.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise DesignError("field", f"{where}: {name}")
    return value.strip()


def _number(row: dict[str, Any], name: str, where: str, low: int, high: int) -> int | None:
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DesignError("field", f"{where}: {name}")
    return value


def _rows(design: dict[str, Any], name: str) -> list[dict[str, Any]]:
    rows = design.get(name, [])
    if rows is None:
        return []
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise DesignError("field", name)
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise DesignError("field", f"{name} {position}")
    return rows


def _clock_of(value: Any, where: str) -> time:
    """A time of day written "HH:MM"."""
    if isinstance(value, str) and len(value) == 5:
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise DesignError("field", where)


def _read_itinerary(design: dict[str, Any]) -> list[dict[str, Any]]:
    read = []
    for position, row in enumerate(_rows(design, "itinerary"), start=1):
        where = f"itinerary {position}"
        day = _number(row, "day", where, -MAX_DAYS, MAX_DAYS)
        if day is None:
            raise DesignError("field", f"{where}: day")
        end_day = _number(row, "end_day", where, -MAX_DAYS, MAX_DAYS) or day
        start, end = _clock_of(row.get("start"), where), _clock_of(row.get("end"), where)
        if (end_day, end) <= (day, start):
            raise DesignError("field", f"{where}: end")
        language = _text(row, "language", where, 8) or "en"
        read.append(
            {
                "day": day,
                "end_day": end_day,
                "start": start,
                "end": end,
                "title": _text(row, "title", where, 200, required=True),
                "place": _text(row, "place", where, 200),
                "language": language.lower(),
                "needs_interpreter": bool(row.get("needs_interpreter", False)),
                "travel_minutes": _number(row, "travel_minutes", where, 0, 24 * 60) or 0,
            }
        )
    return read


def _read_guide(design: dict[str, Any]) -> list[dict[str, Any]]:
    read = []
    for position, row in enumerate(_rows(design, "interview_guide"), start=1):
        where = f"interview_guide {position}"
        try:
            phase, kind = Phase(row.get("phase")), QuestionKind(row.get("kind"))
        except ValueError as error:
            raise DesignError("field", where) from error
        key = row.get("default_key")
        text = _text(row, "text", where, 5000)
        if key not in GUIDE_KEYS:
            key = None
        if key is None and not text.strip():
            raise DesignError("field", f"{where}: text")
        read.append({"phase": phase, "kind": kind, "default_key": key, "text": text})
    return read


def _read_codebook(design: dict[str, Any]) -> list[dict[str, Any]]:
    read, refs = [], set()
    for position, row in enumerate(_rows(design, "codebook"), start=1):
        where = f"codebook {position}"
        ref, parent = row.get("ref"), row.get("parent")
        if not isinstance(ref, str) or ref in refs or (parent is not None and parent not in refs):
            raise DesignError("field", f"{where}: ref")
        refs.add(ref)
        key = row.get("default_key")
        key = key if key in CODE_KEYS else None
        name = _text(row, "name", where, 200)
        if key is None and not name:
            raise DesignError("field", f"{where}: name")
        colour = _text(row, "colour", where, 7)
        read.append(
            {
                "ref": ref,
                "parent": parent,
                "default_key": key,
                "name": name,
                "definition": _text(row, "definition", where, 5000),
                "colour": colour if len(colour) in (0, 7) and colour[:1] in ("", "#") else "",
            }
        )
    return read


def _read_protocol(design: dict[str, Any]) -> dict[str, Any]:
    protocol = design.get("protocol") or {}
    if not isinstance(protocol, dict):
        raise DesignError("field", "protocol")
    platforms = protocol.get("platforms") or []
    known = {p.value for p in Platform}
    if not isinstance(platforms, list) or any(p not in known for p in platforms):
        raise DesignError("field", "protocol: platforms")
    read: dict[str, Any] = {"platforms": [Platform(p) for p in platforms]}
    for name in PROTOCOL_FIELDS:
        limit = 300 if name in ("hashtags", "accounts") else 20000
        read[name] = _text(protocol, name, "protocol", limit)
    return read


def _read_checklist(design: dict[str, Any]) -> list[dict[str, Any]]:
    read = []
    for position, row in enumerate(_rows(design, "checklist"), start=1):
        where = f"checklist {position}"
        key = row.get("key")
        key = key if key in CHECKLIST_KEYS else None
        title = _text(row, "title", where, 300)
        if key is None and not title:
            raise DesignError("field", f"{where}: title")
        read.append(
            {
                "key": key,
                "title": title,
                "due_day": _number(row, "due_day", where, -MAX_DAYS, MAX_DAYS),
            }
        )
    return read


def _read_glossary(design: dict[str, Any]) -> list[dict[str, Any]]:
    read = []
    for position, row in enumerate(_rows(design, "glossary"), start=1):
        where = f"glossary {position}"
        read.append(
            {
                "language_a": _text(row, "language_a", where, 8, required=True).lower(),
                "term_a": _text(row, "term_a", where, 200, required=True),
                "language_b": _text(row, "language_b", where, 8, required=True).lower(),
                "term_b": _text(row, "term_b", where, 200),
                "explanation": _text(row, "explanation", where, 5000),
                "do_not_translate": bool(row.get("do_not_translate", False)),
                "domain": _text(row, "domain", where, 100),
            }
        )
    return read


@dataclass(frozen=True)
class Design:
    """A design read and checked: every part ready to be made into rows."""

    title: str
    objective: str
    host_city: str
    host_country: str
    time_zone: str
    languages: list[str]
    days: int | None
    itinerary: list[dict[str, Any]]
    interview_guide: list[dict[str, Any]]
    codebook: list[dict[str, Any]]
    protocol: dict[str, Any]
    checklist: list[dict[str, Any]]
    glossary: list[dict[str, Any]]

    @property
    def length(self) -> int:
        """Days from the first to the last, by the design's own count or its itinerary."""
        last_item = max((row["end_day"] for row in self.itinerary), default=1)
        return max(self.days or 1, last_item, 1)


def load_file(data: bytes) -> Any:
    """What a design file holds, as JSON (``read_design`` then checks it); DesignError."""
    if len(data) > MAX_BYTES:
        raise DesignError("too_large")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DesignError("unreadable") from error


def read_design(content: Any) -> Design:
    """A design from what a file held (``load_file``) or the library keeps; DesignError."""
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise DesignError("not_a_design")
    version = content.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise DesignError("not_a_design")
    if version > VERSION:
        raise DesignError("newer", str(version))
    languages = content.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(code, str) for code in languages):
        raise DesignError("field", "languages")
    zone = _text(content, "time_zone", "design", 64)
    try:
        if zone:
            ZoneInfo(zone)
    except (ValueError, KeyError) as error:
        raise DesignError("field", "time_zone") from error
    return Design(
        title=_text(content, "title", "design", 200, required=True),
        objective=_text(content, "objective", "design", 5000),
        host_city=_text(content, "host_city", "design", 120),
        host_country=_text(content, "host_country", "design", 2).upper(),
        time_zone=zone,
        languages=[code.strip().lower() for code in languages if code.strip()][:10],
        days=_number(content, "days", "design", 1, MAX_DAYS),
        itinerary=_read_itinerary(content),
        interview_guide=_read_guide(content),
        codebook=_read_codebook(content),
        protocol=_read_protocol(content),
        checklist=_read_checklist(content),
        glossary=_read_glossary(content),
    )


# Starting a visit


@dataclass(frozen=True)
class Started:
    visit: Visit
    items: int
    questions: int
    codes_added: int
    checks: int
    terms_added: int


def _day(first: date, number: int) -> date:
    return first + timedelta(days=number - 1)


def start_from_design(
    session: Session,
    design: Design,
    *,
    title: str,
    first_day: date,
    time_zone: str,
    host_city: str,
    host_country: str,
    programme_id: int | None,
    lead_person_id: int | None,
    reason: str,
) -> Started:
    """A new visit laid out as the design says, its dates agreed from ``first_day``: items on
    their relative days at their times on the new host's clock, the guide in place of the
    default one, the protocol's rules, the checklist with its due dates, the glossary's terms
    as the visit's own (those already holding in it left out), the codebook's codes added to
    the programme's where it has no code of that name. NonexistentLocalTime when an item falls
    in an hour the clocks skip that day (nothing is then kept: the caller rolls back)."""
    last_day = _day(first_day, design.length)
    visit = Visit(
        title=title,
        objective=design.objective,
        host_city=host_city,
        host_country=host_country,
        time_zone=time_zone,
        languages=",".join(design.languages) or "en",
        programme_id=programme_id,
        status=VisitStatus.IDEA,
    )
    start_visit(session, visit, lead_person_id, reason)
    agree_dates(visit, first_day, last_day)
    for row in design.itinerary:
        session.add(
            ItineraryItem(
                visit_id=visit.id,
                title=row["title"],
                starts_at=to_utc(_day(first_day, row["day"]), row["start"], time_zone),
                ends_at=to_utc(_day(first_day, row["end_day"]), row["end"], time_zone),
                time_zone=time_zone,
                place=row["place"],
                language=row["language"],
                needs_interpreter=row["needs_interpreter"],
                travel_minutes=row["travel_minutes"],
            )
        )
    if design.interview_guide:
        session.execute(delete(GuideQuestion).where(GuideQuestion.visit_id == visit.id))
        positions: dict[Phase, int] = {}
        for row in design.interview_guide:
            position = positions.get(row["phase"], 0)
            positions[row["phase"]] = position + 1
            session.add(GuideQuestion(visit_id=visit.id, position=position, **row))
    protocol = protocol_of(session, visit.id)
    for name, value in design.protocol.items():
        setattr(protocol, name, value)
    for position, row in enumerate(design.checklist):
        due = _day(first_day, row["due_day"]) if row["due_day"] is not None else None
        session.add(
            PlanningTask(
                visit_id=visit.id,
                key=row["key"],
                title=row["title"],
                due_date=due,
                position=position,
            )
        )
    session.flush()
    terms_added = _add_terms(session, visit, design.glossary)
    codes_added = _add_codes(session, programme_id, design.codebook) if programme_id else 0
    session.flush()
    return Started(
        visit,
        len(design.itinerary),
        len(design.interview_guide),
        codes_added,
        len(design.checklist),
        terms_added,
    )


def _add_terms(session: Session, visit: Visit, rows: list[dict[str, Any]]) -> int:
    held = {
        (t.language_a, t.term_a.lower(), t.language_b)
        for t in session.scalars(select(GlossaryTerm).where(applying_to(visit)))
    }
    added = 0
    for row in rows:
        mark = (row["language_a"], row["term_a"].lower(), row["language_b"])
        if mark in held:
            continue
        held.add(mark)
        session.add(GlossaryTerm(visit_id=visit.id, **row))
        added += 1
    return added


def _add_codes(session: Session, programme_id: int, rows: list[dict[str, Any]]) -> int:
    """Codes the programme lacks, by default key or by name (case aside), under the parent
    the design gives them (the programme's code of that name when it has one)."""
    codes = session.scalars(select(Code).where(Code.programme_id == programme_id)).all()
    by_key = {c.default_key: c for c in codes if c.default_key}
    by_name = {c.name.strip().lower(): c for c in codes if c.name}
    placed: dict[str, Code] = {}
    added = 0
    next_position = (
        session.scalar(select(func.max(Code.position)).where(Code.programme_id == programme_id))
        or 0
    ) + 1
    for row in rows:
        found = by_key.get(row["default_key"]) if row["default_key"] else None
        found = found or (by_name.get(row["name"].lower()) if row["name"] else None)
        if found is None:
            parent = placed.get(row["parent"]) if row["parent"] else None
            found = Code(
                programme_id=programme_id,
                parent_id=parent.id if parent else None,
                default_key=row["default_key"],
                name=row["name"],
                definition=row["definition"],
                colour=row["colour"],
                position=next_position,
            )
            next_position += 1
            session.add(found)
            session.flush()
            added += 1
        placed[row["ref"]] = found
    return added


def summary(design: Design) -> dict[str, int]:
    """What a design holds, counted, for the library's list."""
    return {
        "days": design.length,
        "items": len(design.itinerary),
        "questions": len(design.interview_guide),
        "codes": len(design.codebook),
        "checks": len(design.checklist),
        "terms": len(design.glossary),
    }
